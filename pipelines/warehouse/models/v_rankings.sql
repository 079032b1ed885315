-- Views over the scores, so rankings never disagree with them. percentile: the share
-- of the year's departments in the jurisdiction that scored lower, in percent.
WITH r AS (
    SELECT s.*,
           round(100.0 * (rank() OVER w_up - 1) / count(*) OVER w_all, 1) AS percentile,
           rank() OVER (PARTITION BY s.year, s.jurisdiction, s.category
                        ORDER BY s.total_score DESC) AS category_rank,
           count(*) OVER (PARTITION BY s.year, s.jurisdiction, s.category) AS category_out_of
    FROM v_department_scores s
    WINDOW w_all AS (PARTITION BY s.year, s.jurisdiction),
           w_up AS (PARTITION BY s.year, s.jurisdiction ORDER BY s.total_score ASC))
SELECT r.year, r.jurisdiction, r.dept_code, r.dept_name, r.category, r.total_score, r.grade,
       r.rank, r.rank_out_of, r.percentile, r.category_rank, r.category_out_of,
       p.total_score AS prior_total, r.total_score - p.total_score AS total_change,
       p.rank AS prior_rank, p.rank - r.rank AS rank_change,  -- positive: moved up
       r.rubric_id, r.run_id
FROM r LEFT JOIN v_department_scores p
  ON p.year = r.year - 1 AND p.dept_code = r.dept_code AND p.jurisdiction = r.jurisdiction
