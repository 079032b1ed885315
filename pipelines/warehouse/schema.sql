-- Scored tables: one set of rows per year, replaced as a whole in one transaction.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR NOT NULL, year INTEGER NOT NULL, finished_at TIMESTAMP,
    raw_dir VARCHAR, sources VARCHAR, departments INTEGER, scored INTEGER,
    refused_rows INTEGER, findings INTEGER);
CREATE TABLE IF NOT EXISTS rubric_versions (
    rubric_id VARCHAR NOT NULL, rubric_hash VARCHAR NOT NULL, jurisdiction VARCHAR,
    year INTEGER, content JSON, first_run_id VARCHAR, PRIMARY KEY (rubric_id, rubric_hash));
CREATE TABLE IF NOT EXISTS line_scores (
    year INTEGER NOT NULL, dept_code VARCHAR NOT NULL, line_code VARCHAR NOT NULL,
    section VARCHAR, "group" VARCHAR, subgroup VARCHAR, name VARCHAR, rule_kind VARCHAR,
    weight DECIMAL(18,2), target VARCHAR, actual VARCHAR, rate_pct DECIMAL(18,4),
    computed_score DECIMAL(18,2), assessed_score DECIMAL(18,2), final_score DECIMAL(18,2),
    explanation VARCHAR, section_order INTEGER, group_order INTEGER, line_order INTEGER,
    rubric_id VARCHAR, rubric_hash VARCHAR, run_id VARCHAR);
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
CREATE TABLE IF NOT EXISTS findings (
    year INTEGER NOT NULL, dept_code VARCHAR, line_code VARCHAR,
    severity VARCHAR NOT NULL, code VARCHAR NOT NULL, message VARCHAR, run_id VARCHAR);
CREATE TABLE IF NOT EXISTS rejected_rows (
    year INTEGER NOT NULL, file VARCHAR, row_number INTEGER, "column" VARCHAR,
    value VARCHAR, reason VARCHAR, run_id VARCHAR);

-- The analyst views (contract.md). Ranks are computed here so they always agree
-- with the scores: ties share a rank and the next rank skips (1, 2, 2, 4).
CREATE OR REPLACE VIEW v_department_scores AS
SELECT s.year, s.dept_code, d.dept_name, d.jurisdiction, d.category, s.rubric_id, s.rubric_hash,
       s.run_id, s.total_score, s.uncapped_total, s.grade,
       rank() OVER (PARTITION BY s.year, d.jurisdiction ORDER BY s.total_score DESC) AS rank,
       count(*) OVER (PARTITION BY s.year, d.jurisdiction) AS rank_out_of
FROM department_scores s
JOIN staged_departments d ON d.year = s.year AND d.dept_code = s.dept_code;

CREATE OR REPLACE VIEW v_section_scores AS
SELECT year, dept_code, section, name, weight, score, section_order, rubric_id, run_id
FROM section_scores;

CREATE OR REPLACE VIEW v_group_scores AS
SELECT year, dept_code, section, "group", name, weight, score, group_order, rubric_id, run_id
FROM group_scores;

CREATE OR REPLACE VIEW v_line_scores AS
SELECT year, dept_code, line_code, section, "group", subgroup, name, rule_kind, weight,
       target, actual, rate_pct, computed_score, assessed_score, final_score, explanation,
       section_order, group_order, line_order, rubric_id, run_id
FROM line_scores;

CREATE OR REPLACE VIEW v_findings AS
SELECT year, dept_code, line_code, severity, code, message, run_id FROM findings;

CREATE OR REPLACE VIEW v_rejected_rows AS
SELECT year, file, row_number, "column", value, reason, run_id FROM rejected_rows;

CREATE OR REPLACE VIEW v_budget_rates AS
SELECT r.year, r.dept_code, d.dept_name, r.* EXCLUDE (year, dept_code, run_id), r.run_id
FROM budget_rates r
JOIN staged_departments d ON d.year = r.year AND d.dept_code = r.dept_code;
