-- target, actual and explanation are rendered when read, from the line's facts and the
-- catalog's templates: one column per catalog language (explanation, explanation_en, …).
-- The same query renders v_line_score_history and the rules' test cases, over another
-- source of lines.
WITH l AS (SELECT *, {{ line_params }} AS params FROM ({{ facts(source) }}))
SELECT l.year, l.dept_code, l.line_code, l.section, l."group", l.subgroup, l.name,
       l.rule_kind, l.weight, {{ shown("target") }}, {{ shown("actual") }},
       l.rate_pct, l.computed_score, l.assessed_score, l.final_score,
       {{ rendered("explanation", line_keys, "l.params") }},
       l.section_order, l.group_order, l.line_order, l.rubric_id, l.run_id
FROM l {{ template_joins }}
