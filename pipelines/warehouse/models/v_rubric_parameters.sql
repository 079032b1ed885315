-- parameter × year × value × reference, for the rubric versions of the current scores.
SELECT DISTINCT d.year, p.jurisdiction, p.rubric_id, p.path AS parameter, p.value,
       p.reference, p.rubric_hash
FROM rubric_parameters p
JOIN (SELECT DISTINCT year, rubric_id, rubric_hash FROM department_scores) d
  USING (rubric_id, rubric_hash)
