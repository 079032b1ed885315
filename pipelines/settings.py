"""Where things live by default. Every path can be overridden by option or env var."""

import os
from pathlib import Path

RAW_DIR = Path(os.environ.get("JIXIAO_RAW_DIR", "raw"))
RUBRICS_DIR = Path(os.environ.get("JIXIAO_RUBRICS_DIR", "rubrics"))
WAREHOUSE_FILE = Path(os.environ.get("JIXIAO_WAREHOUSE", "warehouse/jixiao.duckdb"))
REPORTS_DIR = Path(os.environ.get("JIXIAO_REPORTS_DIR", "reports"))
# departments' self-evaluation reports, <year>/<dept_code>.<txt|docx|pdf> (jixiao intake)
DOCUMENTS_DIR = Path(os.environ.get("JIXIAO_DOCUMENTS_DIR", "documents"))
# A CSV extract of at least this many bytes is staged in DuckDB (the bulk lane,
# pipelines/ingest/bulk.py); Parquet always is. 0 sends every eligible CSV there.
BULK_BYTES = int(os.environ.get("JIXIAO_BULK_BYTES", 262_144))
# Where the bulk lane keeps a year's staged rows between staging and writing.
STAGING_DIR = Path(os.environ.get("JIXIAO_STAGING_DIR", WAREHOUSE_FILE.parent / ".staging"))
# A staging file is removed by a later staging of its year once it is this old: runs of
# a year's partitions at the same time each stage the year and read their own file.
STAGING_KEEP_HOURS = float(os.environ.get("JIXIAO_STAGING_KEEP_HOURS", 24))
# How much memory each DuckDB database of a run may hold before it spills to disk
# (DuckDB's own default is 80% of the machine). A run holds one at a time; its process
# needs about 0.4 GiB beside it (Python, Dagster, pandas) and the Great Expectations
# worker about 0.4 GiB more: 1GB keeps a national year's whole `jixiao run` under
# 2 GiB, at little cost in time; see docs/performance.md.
DUCKDB_MEMORY_LIMIT = os.environ.get("JIXIAO_DUCKDB_MEMORY_LIMIT", "1GB")
# The on-disk format of the warehouse files: the oldest DuckDB that must open the
# published snapshot. v1.5.0 keeps it readable by the DuckDB CLI (duckdb-cli 1.5.x,
# the `duckdb` of README) and by tools built on DuckDB 1.5, such as DBeaver's driver.
STORAGE_VERSION = os.environ.get("JIXIAO_STORAGE_VERSION", "v1.5.0")
# Where a run's steps execute: "" (Dagster's default, processes on this machine) or
# "k8s" (Kubernetes Jobs, with dagster-k8s). pipelines/defs/executors.py
EXECUTOR = os.environ.get("JIXIAO_EXECUTOR", "")
