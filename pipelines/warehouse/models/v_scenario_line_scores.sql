-- explanation is rendered when read, as in v_line_scores, one column per catalog
-- language.
WITH l AS (SELECT *, {{ line_params }} AS params FROM ({{ facts("scenario_line_scores") }}))
SELECT l.scenario, l.year, l.dept_code, l.line_code, l.section, l."group", l.name,
       l.weight, l.computed_score, l.final_score,
       {{ rendered("explanation", line_keys, "l.params") }}, l.rubric_id, l.run_id
FROM l {{ template_joins }}
