# Two commands on a fresh machine (Python 3.11+ on PATH):
#   make run    score the bundled raw/ into warehouse/jixiao.duckdb
#   make test   lint, format check and the test suite
# Each makes its own virtual environment in .venv from the pinned constraints.txt.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)

.PHONY: install run ui test lint samples bench bench-smoke clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

run: install
	$(BIN)/jixiao run
	@echo "Open the Dagster UI with: make ui   (then http://127.0.0.1:3000)"

# dg dev: Dagster's UI and daemon for the project of pyproject.toml ([tool.dg]), run in
# .venv (VIRTUAL_ENV says so to dg)
ui: install
	VIRTUAL_ENV=$(abspath $(VENV)) $(BIN)/dg dev --use-active-venv -h 127.0.0.1 -p 3000

# Regenerate the bundled synthetic years (deterministic; tests check raw/ matches).
samples: install
	$(BIN)/python -m pipelines.samples --out raw --years 2022 2023 2024 --departments 40 --seed 2023

# The benchmark of docs/performance.md (well over an hour on 2 cores; data kept in tmp/):
# 1,000, 10,000 and 100,000 departments, one year and ten (ten national years at 100,000),
# generated with findings and refused rows at real years' rates; the stages, `jixiao run`
# once per year as users run it, and the references.
bench: install
	$(BIN)/python -m benchmarks --units 1000 10000 100000 --years 1 10 \
	    --html-reports --dagster-year 2023 --json tmp/benchmarks/results.json

# A small size: shows the benchmark works end to end, `jixiao run` included (CI runs it;
# the times mean nothing).
bench-smoke: install
	$(BIN)/python -m benchmarks --units 100 --years 2 --data tmp/benchmarks-smoke --html-reports

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Two workers (pytest-xdist): tests share no state (temporary folders, ephemeral Dagster
# instances, DAGSTER_HOME unset). The slowest tests' durations are printed (addopts).
test: lint
	env -u DAGSTER_HOME $(BIN)/pytest -n 2

clean:
	rm -rf $(VENV) .dagster_home/* warehouse/*.duckdb warehouse/*.wal
