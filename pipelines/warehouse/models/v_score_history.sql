-- Every version of every year's scores, the current one included (current = true);
-- raw_hash is NULL for scores written before history was kept.
SELECT h.year, h.dept_code, h.jurisdiction, h.run_id, v.published_at, h.total_score,
       h.grade, h.rank, h.rubric_id, h.rubric_hash, v.raw_hash,
       h.run_id IS NOT DISTINCT FROM c.run_id AS current,
       v.prior_raw_hash
FROM department_score_history h JOIN score_versions v USING (year, run_id)
LEFT JOIN v_current_versions c ON c.year = h.year AND c.jurisdiction = h.jurisdiction
