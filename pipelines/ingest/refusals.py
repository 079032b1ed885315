"""Refusals and findings collected while a year is staged."""

REJECTED_COLUMNS = ["file", "row_number", "column", "value", "reason"]
FINDING_COLUMNS = ["dept_code", "line_code", "severity", "code", "message"]


class Collector:
    """Accumulates refusals and findings while a year is staged."""

    def __init__(self) -> None:
        self.rejected: list[dict] = []
        self.findings: list[dict] = []

    def refuse(self, file, row, column, value, reason, dept=None) -> None:
        self.rejected.append(
            dict(
                file=file, row_number=row, column=column, value=value, reason=reason, dept_code=dept
            )
        )

    def finding(self, dept, severity, code, message, line=None) -> None:
        self.findings.append(
            dict(dept_code=dept, line_code=line, severity=severity, code=code, message=message)
        )
