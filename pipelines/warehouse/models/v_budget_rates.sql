-- Every rate budget_rates holds (r.*): a rate added there shows here, and the YAML
-- beside this file, which a test compares with the view, must then name it.
SELECT r.year, r.dept_code, d.dept_name, r.* EXCLUDE (year, dept_code, run_id), r.run_id
FROM budget_rates r
JOIN staged_departments d ON d.year = r.year AND d.dept_code = r.dept_code
