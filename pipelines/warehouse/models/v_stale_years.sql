-- Years (each jurisdiction of them) scored against last year's inputs that have since
-- changed or arrived: each must be scored again (jixiao run does it in the same command).
SELECT c.year, c.run_id, c.prior_raw_hash AS prior_inputs_used,
       p.raw_hash AS prior_inputs_now, c.jurisdiction
FROM v_current_versions c
JOIN v_current_versions p ON p.year = c.year - 1 AND p.jurisdiction = c.jurisdiction
WHERE p.raw_hash IS NOT NULL AND p.raw_hash IS DISTINCT FROM c.prior_raw_hash
