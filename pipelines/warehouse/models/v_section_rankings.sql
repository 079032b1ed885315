SELECT s.year, d.jurisdiction, s.section, s.name AS section_name, s.dept_code, d.dept_name,
       s.weight, s.score,
       rank() OVER (PARTITION BY s.year, d.jurisdiction, s.section ORDER BY s.score DESC) AS rank,
       count(*) OVER (PARTITION BY s.year, d.jurisdiction, s.section) AS rank_out_of
FROM section_scores s JOIN v_department_scores d USING (year, dept_code)
