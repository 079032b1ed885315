"""The DuckDB warehouse: tables, the analyst views, and one transaction per year."""
