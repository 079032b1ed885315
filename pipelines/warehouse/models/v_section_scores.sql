SELECT year, dept_code, section, name, weight, score, section_order, rubric_id, run_id
FROM section_scores
