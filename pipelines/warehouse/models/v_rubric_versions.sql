-- The rubric version each year is scored with now, and every run that used a version.
SELECT v.rubric_id, v.rubric_hash, v.jurisdiction, v.year AS rubric_year, u.run_id,
       u.year AS scored_year, u.used_at, u.official, u.scenario
FROM rubric_versions v LEFT JOIN rubric_usage u USING (rubric_id, rubric_hash)
