"""Where things live by default. Every path can be overridden by option or env var."""

import os
from pathlib import Path

RAW_DIR = Path(os.environ.get("JIXIAO_RAW_DIR", "raw"))
RUBRICS_DIR = Path(os.environ.get("JIXIAO_RUBRICS_DIR", "rubrics"))
WAREHOUSE_FILE = Path(os.environ.get("JIXIAO_WAREHOUSE", "warehouse/jixiao.duckdb"))
REPORTS_DIR = Path(os.environ.get("JIXIAO_REPORTS_DIR", "reports"))
