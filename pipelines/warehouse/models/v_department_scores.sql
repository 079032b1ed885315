-- Ranks are computed here so they always agree with the scores: ties share a rank
-- and the next rank skips (1, 2, 2, 4).
SELECT s.year, s.dept_code, d.dept_name, d.jurisdiction, d.category, s.rubric_id, s.rubric_hash,
       s.run_id, s.total_score, s.uncapped_total, s.grade,
       rank() OVER (PARTITION BY s.year, d.jurisdiction ORDER BY s.total_score DESC) AS rank,
       count(*) OVER (PARTITION BY s.year, d.jurisdiction) AS rank_out_of,
       s.prior_year_inputs
FROM department_scores s
JOIN staged_departments d ON d.year = s.year AND d.dept_code = s.dept_code
