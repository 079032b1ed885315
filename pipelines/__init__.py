"""jixiao: department-wide expenditure performance scoring (部门整体支出绩效评价).

Data flows one way: raw extracts (``ingest``) → staged tables → scored tables
(``scoring``, driven by a ``rubric``) → the DuckDB ``warehouse``. ``defs`` wires
these steps into Dagster; nothing below ``defs`` imports Dagster.
"""

import os

# openpyxl writes its XML with lxml when lxml is installed (python-docx brings it) and
# with its own writer otherwise: two byte streams for one workbook. Its own writer,
# always, so a workbook is the same bytes on every machine (the fast writer in
# ``reports.xlsxfast`` reproduces that one). Set before anything imports openpyxl.
os.environ.setdefault("OPENPYXL_LXML", "False")
