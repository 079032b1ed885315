SELECT year, dept_code, section, "group", name, weight, score, group_order, rubric_id, run_id
FROM group_scores
