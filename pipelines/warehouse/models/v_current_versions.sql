-- The current score version of each year × jurisdiction: the newest version that
-- covers it (its own, or one of the whole year).
SELECT p.year, p.jurisdiction, v.run_id, v.published_at, v.raw_hash, v.prior_raw_hash
FROM (SELECT DISTINCT year, jurisdiction FROM staged_departments) p
JOIN score_versions v
  ON v.year = p.year AND (v.jurisdiction IS NULL OR v.jurisdiction = p.jurisdiction)
QUALIFY row_number() OVER (
    PARTITION BY p.year, p.jurisdiction ORDER BY v.published_at DESC, v.run_id DESC) = 1
