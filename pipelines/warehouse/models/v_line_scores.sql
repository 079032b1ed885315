-- target, actual and explanation are rendered when read, from the line's facts and the
-- catalog's templates: one column per catalog language (explanation, explanation_en, …).
-- The SQL is pipelines/scoring/sentences.py's, which also renders v_line_score_history
-- and the rules' test cases, over other sources of lines.
{{ lines_of("line_scores") }}
