"""Every word of the reports comes from the message catalog (report.*, jurisdiction.*):
Chinese by default, English on request; the code and templates hold none."""

import ast
import re

import openpyxl
import pytest

from pipelines.messages import catalog
from pipelines.reports import build_reports
from pipelines.reports.templating import TEMPLATES
from tests.conftest import ROOT
from tests.reports.conftest import YEAR
from tests.reports.wording import known_codes, latin_words, warehouse_sentences

REPORTS = ROOT / "pipelines" / "reports"
AREAS = ("report.", "jurisdiction.")
PLACEHOLDER = re.compile(r"\{([^{}|]*)(?:\|([^{}]*))?\}")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Data, not wording: the rubric's grades (the charts' colours, the summary's order) and
# the brackets of a name's abbreviation (narrative.short_name).
DATA_IN_CODE = set("优良中差（）")
MD_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|])")


def ours(lang: str) -> dict[str, str]:
    return {k: v for k, v in catalog(lang).items() if k.startswith(AREAS)}


def test_every_language_has_the_same_keys_and_placeholders():
    zh, en = ours("zh"), ours("en")
    assert zh.keys() == en.keys()
    for key in zh:
        assert set(PLACEHOLDER.findall(zh[key])) == set(PLACEHOLDER.findall(en[key])), key
    assert zh["jurisdiction.beijing"] == "北京市" and zh["jurisdiction.chongqing"] == "重庆市"


def test_every_key_the_code_and_templates_name_exists():
    keys = set(ours("zh"))
    areas = {key.rsplit(".", 1)[0] for key in keys}  # label("report.grade", …)
    files = {path.name for path in TEMPLATES.iterdir()}  # {% include "report.css" %}
    named = set()
    for path in [*REPORTS.glob("*.py"), *TEMPLATES.glob("*.j2")]:
        named |= set(re.findall(r"""["'](report\.[a-z_.]+[a-z_])["']""", path.read_text("utf-8")))
    assert len(named) > 100, "few keys found: has the way templates call the catalog changed?"
    assert not sorted(named - keys - areas - files)


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def test_the_python_code_holds_no_chinese_wording():
    found = []
    for path in sorted(REPORTS.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                extra = set(CJK.findall(node.value)) - DATA_IN_CODE
                if id(node) not in docs and extra:
                    found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", ["base.html.j2", "department.html.j2", "summary.html.j2",
                                  "department.md.j2", "ranking.html.j2", "ranking_table.html.j2",
                                  "search.html.j2"])  # fmt: skip
def test_the_templates_hold_no_words(name):
    text = (TEMPLATES / name).read_text("utf-8")
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.S)
    text = re.sub(r"<!DOCTYPE[^>]*>|<[^>]+>", " ", text)
    assert not re.findall(r"[A-Za-z\u3400-\u9fff]+", text)


@pytest.fixture(scope="module")
def allowed(warehouse) -> tuple[set[str], list[str]]:
    return known_codes(warehouse, YEAR), warehouse_sentences(warehouse, YEAR)


def test_the_markdown_report_is_chinese(bj_fao, allowed):
    lines = [MD_ESCAPE.sub(r"\1", line) for line in bj_fao["md"].read_text("utf-8").splitlines()]
    cells = [cell for line in lines for cell in line.split(" | ")]
    own, _ = latin_words(cells, *allowed)
    assert not own, "\n".join(own)


@pytest.mark.parametrize("relative", ["departments/BJ-FAO.xlsx", "summary.xlsx"])
def test_the_workbooks_are_chinese(built, allowed, relative):
    wb = openpyxl.load_workbook(built / str(YEAR) / "beijing" / relative)
    texts = [*wb.sheetnames]
    texts += [
        c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]
    own, _ = latin_words(texts, *allowed)
    assert not own, "\n".join(own)
    overview = {row[0].value: row[1].value for row in wb["概况"].iter_rows(min_row=2)}
    assert overview["地区"] == "北京市"


@pytest.fixture(scope="module")
def english(warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports-en")
    build_reports(warehouse, YEAR, out, depts=["BJ-FAO"], lang="en")
    return out / str(YEAR) / "beijing"


def test_english_on_request(english):
    md = (english / "departments" / "BJ-FAO.md").read_text("utf-8")
    assert "## II. Budget execution in the year" in md
    assert "In 2023 the full-year budget was 19347.12 (10,000 yuan)" in md
    assert "rated “excellent”" in md
    assert "当年预算执行情况 |" in md  # a section's name is the rubric's data
    assert "二、当年预算执行情况" not in md and "万元" not in md
    html = (english / "departments" / "BJ-FAO.html").read_text("utf-8")
    assert '<html lang="en">' in html and "Beijing / 市级部门" in html
    summary = (english / "summary.html").read_text("utf-8")
    assert "Beijing: 2023 departmental expenditure performance evaluation summary" in summary
    sheets = openpyxl.load_workbook(english / "departments" / "BJ-FAO.xlsx").sheetnames
    assert sheets == ["Overview", "Scores", "Scoring table", "Points lost", "Findings", "Ranking"]


def test_the_english_reports_words_are_english(english):
    """The English page's own words: no Chinese outside the data (names of departments,
    sections, lines and categories, grades as targets, warehouse sentences)."""
    text = (english / "departments" / "BJ-FAO.md").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith(("#", "- ", "| Item", "| Section", "| Severity", "| Evaluated")):
            left = re.sub(r"北京市人民政府外事办公室（市外办）|市级部门", "", line)
            assert not CJK.search(left), line
