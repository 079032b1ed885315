"""Tests of staging raw extracts (pipelines.ingest) through real files in tmp_path."""
