"""The department's rows replace its earlier ones; the file keeps everything else: other
departments' rows, rows above the header, header words, column order, encoding, line
endings."""

from __future__ import annotations

import codecs

import pytest

from pipelines.ingest.stage import read_year
from pipelines.intake import IntakeError
from pipelines.intake.write import replace_department
from pipelines.messages import use

ROWS = [
    {
        "dept_code": "BJ-FAO",
        "line_code": "TOTAL",
        "reported_score": "94.83",
        "reported_value": "优",
        "source": "r.pdf：综合得分 94.83 分",
        "measure": "",
    },
    {
        "dept_code": "BJ-FAO",
        "line_code": "full_year_budget",
        "reported_score": "19347.12",
        "reported_value": "19347.12万元",
        "source": "r.pdf：全年预算数 19347.12 万元",
        "measure": "full_year_budget",
    },
]


def folder(tmp_path, name="self_reported.csv", data: bytes | None = None):
    (tmp_path / "2023").mkdir(parents=True, exist_ok=True)
    if data is not None:
        (tmp_path / "2023" / name).write_bytes(data)
    return tmp_path / "2023" / name


def test_identifier_headers_utf8_rows_in_the_place_of_the_old_ones(tmp_path):
    path = folder(
        tmp_path,
        data=(
            b"dept_code,line_code,reported_score,reported_value,source\n"
            b"A-1,TOTAL,90.00,,typed\n"
            b"BJ-FAO,TOTAL,90.00,,typed\n"
            b"BJ-FAO,goal_01,7.50,,typed\n"
            b'B-2,TOTAL,80.00,,"typed, by hand"\n'
        ),
    )
    done = replace_department(tmp_path, 2023, "BJ-FAO", ROWS)
    assert (done.rows, done.replaced, done.created) == (2, 2, False)
    assert path.read_text("utf-8") == (
        "dept_code,line_code,reported_score,reported_value,source,measure\n"
        "A-1,TOTAL,90.00,,typed,\n"
        "BJ-FAO,TOTAL,94.83,优,r.pdf：综合得分 94.83 分,\n"
        "BJ-FAO,full_year_budget,19347.12,19347.12万元,r.pdf：全年预算数 19347.12 万元,"
        "full_year_budget\n"
        'B-2,TOTAL,80.00,,"typed, by hand",\n'
    )


def test_chinese_headers_gbk_crlf_and_a_title_row_stay(tmp_path):
    original = (
        "2023年部门自评数据,,,,\r\n"
        "出处,部门编码,指标编码,自评得分,自评值\r\n"
        "人工录入,SYN-001,TOTAL,88.00,\r\n"
        "人工录入,BJ-FAO,TOTAL,90.00,\r\n"
    )
    path = folder(tmp_path, data=original.encode("gbk"))
    replace_department(tmp_path, 2023, "BJ-FAO", ROWS)
    data = path.read_bytes()
    assert data.decode("gbk") == (
        "2023年部门自评数据,,,,\r\n"
        "出处,部门编码,指标编码,自评得分,自评值,预算数据项\r\n"
        "人工录入,SYN-001,TOTAL,88.00,,\r\n"
        "r.pdf：综合得分 94.83 分,BJ-FAO,TOTAL,94.83,优,\r\n"
        "r.pdf：全年预算数 19347.12 万元,BJ-FAO,full_year_budget,19347.12,19347.12万元,"
        "full_year_budget\r\n"
    )


def test_a_bom_stays_and_a_department_without_rows_gets_them_at_the_end(tmp_path):
    path = folder(
        tmp_path,
        data=codecs.BOM_UTF8 + b"dept_code,line_code,reported_score,measure,source,reported_value\n"
        b"A-1,TOTAL,90.00,,,\n",
    )
    done = replace_department(tmp_path, 2023, "BJ-FAO", ROWS)
    assert done.replaced == 0
    assert (
        path.read_bytes()
        == codecs.BOM_UTF8
        + (
            "dept_code,line_code,reported_score,measure,source,reported_value\n"
            "A-1,TOTAL,90.00,,,\n"
            "BJ-FAO,TOTAL,94.83,,r.pdf：综合得分 94.83 分,优\n"
            "BJ-FAO,full_year_budget,19347.12,full_year_budget,r.pdf：全年预算数 19347.12 万元,"
            "19347.12万元\n"
        ).encode()
    )


def test_no_file_yet_makes_one_that_staging_reads(tmp_path):
    folder(tmp_path)
    done = replace_department(tmp_path, 2023, "BJ-FAO", ROWS)
    assert done.created and done.path == tmp_path / "2023" / "self_reported.csv"
    frame = read_year(tmp_path, 2023).files["self_reported"].frame
    assert list(frame.columns[:6]) == [
        "dept_code",
        "line_code",
        "reported_score",
        "reported_value",
        "source",
        "measure",
    ]
    assert oct(done.path.stat().st_mode & 0o777) == "0o644"


def test_a_dry_run_writes_nothing(tmp_path):
    path = folder(tmp_path, data=b"dept_code,line_code,reported_score\nBJ-FAO,TOTAL,90\n")
    done = replace_department(tmp_path, 2023, "BJ-FAO", ROWS, dry_run=True)
    assert (done.rows, done.replaced) == (2, 1)
    assert path.read_bytes() == b"dept_code,line_code,reported_score\nBJ-FAO,TOTAL,90\n"


def test_a_spreadsheet_self_reported_is_not_rewritten(tmp_path):
    path = folder(tmp_path, name="self_reported.xlsx", data=b"PK")
    with pytest.raises(IntakeError) as caught, use("en"):
        replace_department(tmp_path, 2023, "BJ-FAO", ROWS)
    with use("en"):
        assert str(caught.value) == (
            f"{path}: intake writes self_reported as CSV only; convert it to "
            "self_reported.csv first. Nothing written"
        )
    assert path.read_bytes() == b"PK"
