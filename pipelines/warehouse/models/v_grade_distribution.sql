SELECT year, jurisdiction, grade, count(*) AS departments,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY year, jurisdiction), 1) AS share_pct
FROM v_department_scores GROUP BY year, jurisdiction, grade
