"""jixiao: department-wide expenditure performance scoring (部门整体支出绩效评价).

Data flows one way: raw extracts (``ingest``) → staged tables → scored tables
(``scoring``, driven by a ``rubric``) → the DuckDB ``warehouse``. ``defs`` wires
these steps into Dagster; nothing below ``defs`` imports Dagster.
"""
