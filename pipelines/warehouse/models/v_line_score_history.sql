-- Every version's lines, rendered as v_line_scores renders the current ones: the earlier
-- versions kept in line_score_history, the current ones under the run that first wrote
-- their version (a re-run on the same inputs reuses it).
{% set every_version %}(
    SELECT * FROM line_score_history
    UNION ALL
    SELECT l.* REPLACE (coalesce(v.run_id, l.run_id) AS run_id)
    FROM line_scores l
    LEFT JOIN staged_departments d USING (year, dept_code)
    LEFT JOIN v_current_versions v ON v.year = l.year AND v.jurisdiction = d.jurisdiction)
{%- endset %}
{{ lines_of(every_version) }}
