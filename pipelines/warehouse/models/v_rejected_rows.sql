-- reason is rendered when read from reason_code and params, one column per catalog
-- language.
SELECT r.year, r.file, r.row_number, r."column", r.value, r.reason_code,
       {{ rendered("reason", "['refusal.' || r.reason_code]", "r.params") }}, r.params,
       r.run_id, r.dept_code, r.jurisdiction
FROM rejected_rows r {{ template_joins }}
