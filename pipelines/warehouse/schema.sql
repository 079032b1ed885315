-- Scored tables: one set of rows per year, replaced as a whole in one transaction.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, finished_at TIMESTAMP,
    raw_dir VARCHAR, sources VARCHAR, departments INTEGER, scored INTEGER,
    refused_rows INTEGER, findings INTEGER);
CREATE TABLE IF NOT EXISTS rubric_versions (
    rubric_id VARCHAR NOT NULL, rubric_hash VARCHAR NOT NULL, jurisdiction VARCHAR,
    year INTEGER, content JSON, first_run_id VARCHAR, PRIMARY KEY (rubric_id, rubric_hash));
-- Rubric history: every parameter of every rubric version, and which runs used it.
CREATE TABLE IF NOT EXISTS rubric_parameters (
    rubric_id VARCHAR NOT NULL, rubric_hash VARCHAR NOT NULL, jurisdiction VARCHAR,
    year INTEGER, path VARCHAR NOT NULL, value VARCHAR, reference VARCHAR,
    PRIMARY KEY (rubric_id, rubric_hash, path));
CREATE TABLE IF NOT EXISTS rubric_usage (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, rubric_id VARCHAR NOT NULL,
    rubric_hash VARCHAR NOT NULL, used_at TIMESTAMP, official BOOLEAN, scenario VARCHAR);
-- line_scores: created from pipelines.scoring.facts (pipelines/warehouse/schema.py)
CREATE TABLE IF NOT EXISTS section_scores (
    year INTEGER NOT NULL, dept_code VARCHAR NOT NULL, section VARCHAR NOT NULL, name VARCHAR,
    weight DECIMAL(18,2), score DECIMAL(18,2), section_order INTEGER,
    rubric_id VARCHAR, rubric_hash VARCHAR, run_id VARCHAR);
CREATE TABLE IF NOT EXISTS group_scores (
    year INTEGER NOT NULL, dept_code VARCHAR NOT NULL, section VARCHAR, "group" VARCHAR NOT NULL,
    name VARCHAR, weight DECIMAL(18,2), score DECIMAL(18,2), group_order INTEGER,
    rubric_id VARCHAR, rubric_hash VARCHAR, run_id VARCHAR);
CREATE TABLE IF NOT EXISTS department_scores (
    year INTEGER NOT NULL, dept_code VARCHAR NOT NULL, total_score DECIMAL(18,2),
    grade VARCHAR, rubric_id VARCHAR, rubric_hash VARCHAR, run_id VARCHAR);
-- Columns added after the first release: an older warehouse file gains them here.
ALTER TABLE department_scores ADD COLUMN IF NOT EXISTS uncapped_total DECIMAL(18,2);
-- The raw_hash of last year's inputs this department's row compared with; NULL: none
-- in the warehouse (the extract's prior_* columns, where given, stood in).
ALTER TABLE department_scores ADD COLUMN IF NOT EXISTS prior_year_inputs VARCHAR;
-- Score history (pipelines/warehouse/history.py): every version of a year's scores,
-- what it was computed from, and its departments; the lines are in line_score_history.
CREATE TABLE IF NOT EXISTS score_versions (
    year INTEGER NOT NULL, run_id VARCHAR NOT NULL, published_at TIMESTAMP,
    raw_hash VARCHAR, rubric_hashes VARCHAR, PRIMARY KEY (year, run_id));
ALTER TABLE score_versions ADD COLUMN IF NOT EXISTS prior_raw_hash VARCHAR;
CREATE TABLE IF NOT EXISTS department_score_history (
    year INTEGER NOT NULL, dept_code VARCHAR NOT NULL, run_id VARCHAR NOT NULL,
    jurisdiction VARCHAR, total_score DECIMAL(18,2), grade VARCHAR, rank INTEGER,
    rubric_id VARCHAR, rubric_hash VARCHAR);
-- Findings and refusals keep a code and its parameters; views render the sentence.
CREATE TABLE IF NOT EXISTS findings (
    year INTEGER NOT NULL, dept_code VARCHAR, line_code VARCHAR,
    severity VARCHAR NOT NULL, code VARCHAR NOT NULL, params MAP(VARCHAR, VARCHAR),
    run_id VARCHAR);
ALTER TABLE findings ADD COLUMN IF NOT EXISTS params MAP(VARCHAR, VARCHAR);
ALTER TABLE findings DROP COLUMN IF EXISTS message;
CREATE TABLE IF NOT EXISTS rejected_rows (
    year INTEGER NOT NULL, file VARCHAR, row_number INTEGER, "column" VARCHAR,
    value VARCHAR, reason_code VARCHAR, params MAP(VARCHAR, VARCHAR), run_id VARCHAR);
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS reason_code VARCHAR;
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS params MAP(VARCHAR, VARCHAR);
ALTER TABLE rejected_rows DROP COLUMN IF EXISTS reason;
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS dept_code VARCHAR;
-- A run replaces a year whole, or one jurisdiction of it (a Dagster partition,
-- pipelines/warehouse/write.py). Its run row and its score version say which (NULL: the
-- whole year); a finding or refusal names its department's jurisdiction (NULL: the
-- year's own, such as a row of an unknown department, rewritten by every run of the year).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS jurisdiction VARCHAR;
ALTER TABLE score_versions ADD COLUMN IF NOT EXISTS jurisdiction VARCHAR;
ALTER TABLE findings ADD COLUMN IF NOT EXISTS jurisdiction VARCHAR;
ALTER TABLE rejected_rows ADD COLUMN IF NOT EXISTS jurisdiction VARCHAR;
UPDATE findings SET jurisdiction = d.jurisdiction FROM staged_departments d
WHERE findings.jurisdiction IS NULL AND d.year = findings.year AND d.dept_code = findings.dept_code;

-- The current score version of each year × jurisdiction: the newest version that
-- covers it (its own, or one of the whole year).
CREATE OR REPLACE VIEW v_current_versions AS
SELECT p.year, p.jurisdiction, v.run_id, v.published_at, v.raw_hash, v.prior_raw_hash
FROM (SELECT DISTINCT year, jurisdiction FROM staged_departments) p
JOIN score_versions v
  ON v.year = p.year AND (v.jurisdiction IS NULL OR v.jurisdiction = p.jurisdiction)
QUALIFY row_number() OVER (
    PARTITION BY p.year, p.jurisdiction ORDER BY v.published_at DESC, v.run_id DESC) = 1;

-- The analyst views (contract.md). Ranks are computed here so they always agree
-- with the scores: ties share a rank and the next rank skips (1, 2, 2, 4).
CREATE OR REPLACE VIEW v_department_scores AS
SELECT s.year, s.dept_code, d.dept_name, d.jurisdiction, d.category, s.rubric_id, s.rubric_hash,
       s.run_id, s.total_score, s.uncapped_total, s.grade,
       rank() OVER (PARTITION BY s.year, d.jurisdiction ORDER BY s.total_score DESC) AS rank,
       count(*) OVER (PARTITION BY s.year, d.jurisdiction) AS rank_out_of,
       s.prior_year_inputs
FROM department_scores s
JOIN staged_departments d ON d.year = s.year AND d.dept_code = s.dept_code;

CREATE OR REPLACE VIEW v_section_scores AS
SELECT year, dept_code, section, name, weight, score, section_order, rubric_id, run_id
FROM section_scores;

CREATE OR REPLACE VIEW v_group_scores AS
SELECT year, dept_code, section, "group", name, weight, score, group_order, rubric_id, run_id
FROM group_scores;




-- v_line_scores, v_findings and v_rejected_rows render sentences: pipelines/warehouse/views.py

-- Every version of every year's scores, the current one included (current = true);
-- raw_hash is NULL for scores written before history was kept.
CREATE OR REPLACE VIEW v_score_history AS
SELECT h.year, h.dept_code, h.jurisdiction, h.run_id, v.published_at, h.total_score,
       h.grade, h.rank, h.rubric_id, h.rubric_hash, v.raw_hash,
       h.run_id IS NOT DISTINCT FROM c.run_id AS current,
       v.prior_raw_hash
FROM department_score_history h JOIN score_versions v USING (year, run_id)
LEFT JOIN v_current_versions c ON c.year = h.year AND c.jurisdiction = h.jurisdiction;

-- Years (each jurisdiction of them) scored against last year's inputs that have since
-- changed or arrived: each must be scored again (jixiao run does it in the same command).
CREATE OR REPLACE VIEW v_stale_years AS
SELECT c.year, c.run_id, c.prior_raw_hash AS prior_inputs_used,
       p.raw_hash AS prior_inputs_now, c.jurisdiction
FROM v_current_versions c
JOIN v_current_versions p ON p.year = c.year - 1 AND p.jurisdiction = c.jurisdiction
WHERE p.raw_hash IS NOT NULL AND p.raw_hash IS DISTINCT FROM c.prior_raw_hash;

CREATE OR REPLACE VIEW v_budget_rates AS
SELECT r.year, r.dept_code, d.dept_name, r.* EXCLUDE (year, dept_code, run_id), r.run_id
FROM budget_rates r
JOIN staged_departments d ON d.year = r.year AND d.dept_code = r.dept_code;

-- The rubric version each year is scored with now, and every run that used a version.
CREATE OR REPLACE VIEW v_rubric_versions AS
SELECT v.rubric_id, v.rubric_hash, v.jurisdiction, v.year AS rubric_year, u.run_id,
       u.year AS scored_year, u.used_at, u.official, u.scenario
FROM rubric_versions v LEFT JOIN rubric_usage u USING (rubric_id, rubric_hash);

-- parameter × year × value × reference, for the rubric versions of the current scores.
CREATE OR REPLACE VIEW v_rubric_parameters AS
SELECT DISTINCT d.year, p.jurisdiction, p.rubric_id, p.path AS parameter, p.value,
       p.reference, p.rubric_hash
FROM rubric_parameters p
JOIN (SELECT DISTINCT year, rubric_id, rubric_hash FROM department_scores) d
  USING (rubric_id, rubric_hash);

-- What-if scenarios: a year scored under another rubric (or changed parameters),
-- beside the official tables and never in them.
CREATE TABLE IF NOT EXISTS scenario_department_scores (
    scenario VARCHAR NOT NULL, year INTEGER NOT NULL, dept_code VARCHAR NOT NULL,
    uncapped_total DECIMAL(18,2), total_score DECIMAL(18,2), grade VARCHAR,
    rubric_id VARCHAR, rubric_hash VARCHAR, changes VARCHAR, run_id VARCHAR);
-- scenario_line_scores: as line_scores, with its scenario (pipelines/warehouse/schema.py)

CREATE OR REPLACE VIEW v_scenario_changes AS
WITH s AS (
    SELECT x.*, d.jurisdiction,
           rank() OVER (PARTITION BY x.scenario, x.year, d.jurisdiction
                        ORDER BY x.total_score DESC) AS rank
    FROM scenario_department_scores x
    JOIN staged_departments d ON d.year = x.year AND d.dept_code = x.dept_code)
SELECT s.scenario, s.year, s.dept_code, o.dept_name, s.jurisdiction,
       o.rubric_id AS official_rubric, s.rubric_id AS scenario_rubric, s.changes,
       o.total_score AS official_total, s.total_score AS scenario_total,
       s.total_score - o.total_score AS total_change,
       o.grade AS official_grade, s.grade AS scenario_grade,
       o.rank AS official_rank, s.rank AS scenario_rank,
       o.rank - s.rank AS rank_change  -- positive: moved up
FROM s JOIN v_department_scores o ON o.year = s.year AND o.dept_code = s.dept_code;

-- Rankings (views over the scores, so they never disagree with them).
-- Ties share a rank and the next rank skips (1, 2, 2, 4); percentile: the share of the
-- year's departments in the jurisdiction that scored lower, in percent.
CREATE OR REPLACE VIEW v_rankings AS
WITH r AS (
    SELECT s.*,
           round(100.0 * (rank() OVER w_up - 1) / count(*) OVER w_all, 1) AS percentile,
           rank() OVER (PARTITION BY s.year, s.jurisdiction, s.category
                        ORDER BY s.total_score DESC) AS category_rank,
           count(*) OVER (PARTITION BY s.year, s.jurisdiction, s.category) AS category_out_of
    FROM v_department_scores s
    WINDOW w_all AS (PARTITION BY s.year, s.jurisdiction),
           w_up AS (PARTITION BY s.year, s.jurisdiction ORDER BY s.total_score ASC))
SELECT r.year, r.jurisdiction, r.dept_code, r.dept_name, r.category, r.total_score, r.grade,
       r.rank, r.rank_out_of, r.percentile, r.category_rank, r.category_out_of,
       p.total_score AS prior_total, r.total_score - p.total_score AS total_change,
       p.rank AS prior_rank, p.rank - r.rank AS rank_change,  -- positive: moved up
       r.rubric_id, r.run_id
FROM r LEFT JOIN v_department_scores p
  ON p.year = r.year - 1 AND p.dept_code = r.dept_code AND p.jurisdiction = r.jurisdiction;

CREATE OR REPLACE VIEW v_section_rankings AS
SELECT s.year, d.jurisdiction, s.section, s.name AS section_name, s.dept_code, d.dept_name,
       s.weight, s.score,
       rank() OVER (PARTITION BY s.year, d.jurisdiction, s.section ORDER BY s.score DESC) AS rank,
       count(*) OVER (PARTITION BY s.year, d.jurisdiction, s.section) AS rank_out_of
FROM section_scores s JOIN v_department_scores d USING (year, dept_code);

CREATE OR REPLACE VIEW v_grade_distribution AS
SELECT year, jurisdiction, grade, count(*) AS departments,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY year, jurisdiction), 1) AS share_pct
FROM v_department_scores GROUP BY year, jurisdiction, grade;
