-- message is rendered when read, one column per catalog language; a finding about a
-- line may cite the line's own derivation ({line_explanation}). The SQL is
-- pipelines/scoring/sentences.py's, which the rules' test cases render with too.
{{ findings_of("findings", "line_scores") }}
