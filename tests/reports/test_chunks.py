"""Reports that stream: department reports a chunk at a time over worker processes,
the summaries from DuckDB's aggregates, ``--summary-only``. Each gives the files the
whole-year, one-process build gave."""

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.messages import say, use
from pipelines.reports import build_reports, department, summary
from pipelines.reports.__main__ import main
from pipelines.reports.data import (
    ChunkReader,
    city_medians,
    connect,
    load_departments,
    load_year,
    localized,
    records,
    value,
)
from tests.reports.conftest import YEAR


def files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_workers_and_chunks_write_the_same_files(warehouse, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    with use("en"):  # the language reaches the workers
        written_one = build_reports(warehouse, YEAR, one, workers=1)
        written_two = build_reports(warehouse, YEAR, two, workers=2, chunk_size=7)
    assert [p.relative_to(one) for p in written_one] == [p.relative_to(two) for p in written_two]
    first, second = files(one), files(two)
    assert first.keys() == second.keys() and len(first) > 100
    assert not [str(p) for p in first if first[p] != second[p]]
    page = (two / str(YEAR) / "beijing" / "departments" / "BJ-FAO.html").read_text("utf-8")
    assert '<html lang="en' in page


def test_summary_only_writes_the_summaries(warehouse, tmp_path):
    written = build_reports(warehouse, YEAR, tmp_path, departments=False)
    folder = tmp_path / str(YEAR) / "beijing"
    assert sorted(p.relative_to(tmp_path) for p in written) == [
        folder.relative_to(tmp_path) / "summary.html",
        folder.relative_to(tmp_path) / "summary.xlsx",
        Path("index.html"),
    ]
    assert not (folder / "departments").exists()
    assert 'href="departments/' not in (folder / "summary.html").read_text("utf-8")


def test_summary_only_links_the_pages_there_are(warehouse, built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    summaries = ["summary.html", "summary.xlsx"]
    for name in summaries:
        (out / str(YEAR) / "beijing" / name).unlink()
    build_reports(warehouse, YEAR, out, departments=False)
    assert files(out) == files(built)  # the summaries of a full build, byte for byte


def test_summary_only_on_the_command_line(warehouse, tmp_path, capsys):
    args = ["--warehouse", str(warehouse), "--year", str(YEAR), "--out", str(tmp_path)]
    assert main([*args, "--summary-only", "--workers", "1"]) == 0
    assert "共写出 3 个文件" in capsys.readouterr().out  # the summaries and the index
    assert not list(tmp_path.rglob("departments"))


# What the summary computed with pandas over every line and finding of the year, before
# it read DuckDB's aggregates (summary._top_lost, _findings and the unscored list).
def _top_lost_of_every_line(lines: pd.DataFrame, section_names: dict) -> list[dict]:
    lost = lines.assign(lost=lines["weight"] - lines["final_score"])
    grouped = (
        lost.groupby(["line_code", "name"], dropna=False)
        .agg(
            section=("section", "first"),
            lost=("lost", "sum"),
            departments=("lost", lambda s: int((s > 0).sum())),
            scored=("lost", "size"),
        )
        .reset_index()
    )
    grouped = grouped[grouped["lost"] > 0].sort_values(
        ["lost", "line_code"], ascending=[False, True]
    )
    return [
        {
            "line_code": g["line_code"],
            "name": value(g, "name") or g["line_code"],
            "section": section_names.get(g["section"], g["section"]),
            "lost": float(round(g["lost"], 2)),
            "departments": int(g["departments"]),
            "scored": int(g["scored"]),
            "mean_lost": float(round(g["lost"] / g["departments"], 2)) if g["departments"] else 0.0,
        }
        for _, g in grouped.head(summary.TOP_LOST).iterrows()
    ]


def _findings_of_every_row(findings: pd.DataFrame, names: dict) -> list[dict]:
    out = []
    for severity, rows in findings.groupby("severity", sort=False):
        rows = rows.sort_values(["dept_code", "code", "line_code", "message"], na_position="first")
        codes = rows["code"].value_counts().sort_index()
        samples = [
            {
                "dept": names.get(value(r, "dept_code"), value(r, "dept_code"))
                or say("report.summary.whole_year"),
                "code": r["code"],
                "line_code": value(r, "line_code"),
                "message": localized(r, "message") or "",
            }
            for _, r in rows.head(summary.SAMPLES).iterrows()
        ]
        out.append(
            {
                "severity": str(severity),
                "label": summary.severity_label(severity),
                "count": len(rows),
                "codes": [(str(c), int(n)) for c, n in codes.items()],
                "samples": samples,
            }
        )
    return sorted(out, key=lambda f: summary.SEVERITY_ORDER.get(f["severity"], 9))


@pytest.fixture(scope="module")
def many_findings(warehouse, tmp_path_factory) -> Path:
    """The year with more findings than a summary samples, one of them for the whole
    year, and a department left unscored (its error says why)."""
    copy = tmp_path_factory.mktemp("findings") / "w.duckdb"
    shutil.copy(warehouse, copy)
    codes = [f"SYN-{i:03d}" for i in range(8, 16)]
    rows = [(code, None, "error", "missing_budget", {}) for code in codes]
    rows += [(None, None, "info", "column_ignored", {"file": "budget.csv", "header": "备注"})]
    rows += [
        (code, "carryover_rate", "warning", "override_applied",
         {"computed": "4.00", "override": "3.00", "approved_by": "某某", "reason": "复核"})
        for code in reversed(codes)
    ]  # fmt: skip
    with duckdb.connect(str(copy)) as con:
        for dept, line, severity, code, params in rows:
            con.execute(
                """INSERT INTO findings (year, dept_code, line_code, severity, code, params, run_id)
                   VALUES (?, ?, ?, ?, ?, MAP(?::VARCHAR[], ?::VARCHAR[]), 'run-2023')""",
                [YEAR, dept, line, severity, code, list(params), list(params.values())],
            )
        con.execute(
            "DELETE FROM department_scores WHERE year = ? AND dept_code = ?", [YEAR, codes[0]]
        )
    return copy


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_equals_the_one_from_every_line(many_findings, lang):
    with use(lang), connect(many_findings) as con:
        data = load_year(None, YEAR, con=con)
        lines = con.execute(
            """SELECT * FROM v_line_scores WHERE year = ?
               ORDER BY dept_code, section_order, group_order, line_order, line_code""",
            [YEAR],
        ).df()
        findings = con.execute(
            """SELECT * FROM v_findings WHERE year = ?
               ORDER BY dept_code NULLS FIRST, severity, code, line_code NULLS FIRST, message""",
            [YEAR],
        ).df()
        report = summary.build(data, "beijing")
        sections = data.sections[data.sections["jurisdiction"] == "beijing"]
        scored = lines[lines["dept_code"].isin(set(data.departments["dept_code"]))]
        names = dict(zip(data.roster["dept_code"], data.roster["dept_name"], strict=True))
        section_names = dict(zip(sections["section"], sections["name"], strict=False))
        assert report.top_lost == _top_lost_of_every_line(scored, section_names)
        assert report.findings == _findings_of_every_row(findings, names)
        assert report.findings[0]["count"] > summary.SAMPLES  # errors: samples are a few
        assert len(report.findings[0]["samples"]) == summary.SAMPLES
        errors = findings[(findings["severity"] == "error") & (findings["dept_code"] == "SYN-008")]
        assert [u["dept_code"] for u in report.unscored] == ["SYN-008"]
        assert report.unscored[0]["reasons"] == localized(errors.iloc[0], "message")


@pytest.mark.parametrize("twice", [False, True])
def test_explanations_are_read_for_the_lines_that_lost_points(warehouse, tmp_path, twice):
    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse, copy)
    if twice:  # a line code twice in a department: explanations matched by position
        with duckdb.connect(str(copy)) as con:
            con.execute(
                """INSERT INTO line_scores SELECT * FROM line_scores
                   WHERE year = ? AND dept_code = 'BJ-FAO' AND line_code = 'carryover_rate'""",
                [YEAR],
            )
    with use("en"), connect(copy) as con:
        infos = [i for i in records(load_departments(con, YEAR)) if i["dept_code"] == "BJ-FAO"]
        (d,) = ChunkReader(con).load(YEAR, infos, city_medians(con, YEAR))
        expected = con.execute(
            """SELECT line_code, explanation_en FROM v_line_scores
               WHERE year = ? AND dept_code = 'BJ-FAO' AND weight - final_score > 0
               ORDER BY section_order, group_order, line_order, line_code""",
            [YEAR],
        ).fetchall()
        report = department.build(d, YEAR)
    assert [(r.line_code, r.explanation) for r in report.lost_rows] == expected
    assert len(report.lost_rows) >= 3 and all(r.explanation for r in report.lost_rows)
