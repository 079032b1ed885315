"""Reports for readers: per department and year (HTML, XLSX, Markdown, optional PDF)
and a city-wide summary per year and jurisdiction, from the warehouse views.

    from pipelines.reports import build_reports
    build_reports("warehouse/jixiao.duckdb", 2023, Path("reports"))
"""

from pipelines.reports.build import FORMATS, NothingToReport, ReportError, build_reports

__all__ = ["FORMATS", "NothingToReport", "ReportError", "build_reports"]
