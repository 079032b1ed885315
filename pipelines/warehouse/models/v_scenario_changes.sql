-- What-if scenarios beside the official scores: ranks within the scenario's year and
-- jurisdiction, as the official ones.
WITH s AS (
    SELECT x.*, d.jurisdiction,
           rank() OVER (PARTITION BY x.scenario, x.year, d.jurisdiction
                        ORDER BY x.total_score DESC) AS rank
    FROM scenario_department_scores x
    JOIN staged_departments d ON d.year = x.year AND d.dept_code = x.dept_code)
SELECT s.scenario, s.year, s.dept_code, o.dept_name, s.jurisdiction,
       o.rubric_id AS official_rubric, s.rubric_id AS scenario_rubric, s.changes,
       o.total_score AS official_total, s.total_score AS scenario_total,
       s.total_score - o.total_score AS total_change,
       o.grade AS official_grade, s.grade AS scenario_grade,
       o.rank AS official_rank, s.rank AS scenario_rank,
       o.rank - s.rank AS rank_change  -- positive: moved up
FROM s JOIN v_department_scores o ON o.year = s.year AND o.dept_code = s.dept_code
