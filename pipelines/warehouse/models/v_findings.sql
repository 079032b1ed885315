-- message is rendered when read, one column per catalog language. A finding about a
-- line may cite the line's own derivation ({line_explanation}); only the lines findings
-- name are rendered for it. The derivation is rendered in the subquery, as a column:
-- nested inside the finding's macro, it was expanded at every use of the parameters,
-- and planning the view took over a second.
SELECT f.year, f.dept_code, f.line_code, f.severity, f.code, {{ messages }}, f.params,
       f.run_id, f.jurisdiction
FROM {{ source }} f
LEFT JOIN (SELECT l.year, l.dept_code, l.line_code,
                  {{ rendered("explanation", line_keys, "l.params") }}
           FROM (SELECT *, {{ line_params }} AS params FROM ({{ facts(lines) }})
                 WHERE (year, dept_code, line_code) IN (
                     SELECT year, dept_code, line_code FROM {{ source }}
                     WHERE line_code IS NOT NULL)) l
           {{ template_joins }}) l
  ON l.year = f.year AND l.dept_code = f.dept_code AND l.line_code = f.line_code
{{ template_joins }}
