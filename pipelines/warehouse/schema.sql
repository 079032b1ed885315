-- Tables and their migrations. The views analysts query are apart, one SQL file and one
-- YAML (grain, columns, tests) each: pipelines/warehouse/models/.

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

-- What-if scenarios: a year scored under another rubric (or changed parameters),
-- beside the official tables and never in them.
CREATE TABLE IF NOT EXISTS scenario_department_scores (
    scenario VARCHAR NOT NULL, year INTEGER NOT NULL, dept_code VARCHAR NOT NULL,
    uncapped_total DECIMAL(18,2), total_score DECIMAL(18,2), grade VARCHAR,
    rubric_id VARCHAR, rubric_hash VARCHAR, changes VARCHAR, run_id VARCHAR);
-- scenario_line_scores: as line_scores, with its scenario (pipelines/warehouse/schema.py)
