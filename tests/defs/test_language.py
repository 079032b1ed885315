"""The Dagster layer speaks the catalog's language: Chinese by default, English with
JIXIAO_LANG=en. Descriptions are fixed when the definitions load, so English is read
in a fresh process."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from pipelines.defs.expectations import SUITES
from pipelines.ingest.read import SUFFIXES
from pipelines.messages import _PLACEHOLDER, HERE, current, say, use
from tests.conftest import ROOT

CJK = re.compile(r"[\u3400-\u9fff]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# English words a Chinese description may keep: product names with no Chinese name in
# use (file formats are allowed as their suffixes, identifiers as the definitions name them)
PRODUCTS = {"DuckDB", "Great", "Expectations", "Markdown"}
FORMATS = {s.lstrip(".").lower() for s in SUFFIXES} | {"html", "xlsx", "md", "pdf"}
# what the strict rule covers; schedules, sensors, resources and config fields may name
# environment variables, folders and values (JIXIAO_ANNUAL_CRON, raw/<年度>/, fail_year)
STRICT = ("asset", "check", "job", "op")


def descriptions() -> dict[str, str]:
    """Every description the UI shows, by ``kind:name``, as the definitions load."""
    from pipelines.defs import defs

    repo = defs.get_repository_def()
    out = {f"asset:{s.key.to_user_string()}": s.description for s in defs.resolve_all_asset_specs()}
    for checks in repo.asset_checks_defs_by_key.values():
        out.update({f"check:{s.name}": s.description for s in checks.check_specs})
    for job in repo.get_all_jobs():
        if job.name.startswith("__"):
            continue
        out[f"job:{job.name}"] = job.description
        for node in job.graph.node_defs:
            if node.description is not None:  # an op without one: the UI shows none
                out[f"op:{job.name}:{node.name}"] = node.description
            if node.config_schema is None:
                continue
            schema = node.config_schema.as_field()
            if schema.description is not None:  # a Config class's description
                out[f"config:{node.name}"] = schema.description
            for field, f in getattr(schema.config_type, "fields", {}).items():
                out[f"config:{node.name}.{field}"] = f.description
    out.update({f"schedule:{s.name}": s.description for s in repo.schedule_defs})
    out.update({f"sensor:{s.name}": s.description for s in repo.sensor_defs})
    for key, resource in defs.resources.items():
        rd = resource.get_resource_definition()
        out[f"resource:{key}"] = rd.description
        for field, f in rd.config_schema.as_field().config_type.fields.items():
            out[f"resource:{key}.{field}"] = f.description
    return out


def in_a_fresh_process(lang: str) -> dict[str, str]:
    """``descriptions()`` as a process started with ``JIXIAO_LANG=lang`` loads them."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from tests.defs.test_language import descriptions; "
            "print(json.dumps(descriptions()))",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "JIXIAO_LANG": lang,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


LOADED = descriptions()  # in this process's language
# the names a description may use as they are: assets, checks, jobs, ops, config
# fields, and the tables the Great Expectations suites are named after
IDENTIFIERS = {part for key in LOADED for part in re.split(r"[:.]", key)} | set(SUITES)


@pytest.fixture(scope="module")
def zh() -> dict[str, str]:
    return LOADED if current() == "zh" else in_a_fresh_process("zh")


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    return in_a_fresh_process("en")


def cases(kinds=None):
    return [
        pytest.param(name, id=name)
        for name in sorted(LOADED)
        if kinds is None or name.split(":")[0] in kinds
    ]


def english_words(text: str, allowed: set[str]) -> list[str]:
    return [
        w
        for w in WORD.findall(text)
        if sum(c.isalpha() for c in w) >= 3
        and w not in allowed
        and w not in PRODUCTS
        and w.lower() not in FORMATS
    ]


def test_every_definition_has_a_description():
    assert {k for k, v in LOADED.items() if not v} == set()
    kinds = {k.split(":")[0] for k in LOADED}
    assert {"asset", "check", "job", "op", "schedule", "sensor", "resource", "config"} <= kinds


@pytest.mark.parametrize("name", cases())
def test_descriptions_are_chinese(zh, name):
    assert CJK.search(zh[name]), zh[name]


@pytest.mark.parametrize("name", cases(STRICT))
def test_chinese_descriptions_keep_no_english_but_identifiers(zh, name):
    text = zh[name]
    assert english_words(text, IDENTIFIERS) == [], text
    assert not re.search(r"[,;:?!](\s|$)", text), f"half-width punctuation: {text}"


def test_with_jixiao_lang_en_the_descriptions_are_english(english):
    assert set(english) == set(LOADED)
    chinese = {k: v for k, v in english.items() if CJK.search(v or "")}
    assert all(english.values())
    assert chinese == {}
    for name in (n for n in english if n.split(":")[0] in STRICT):
        assert english_words(english[name], set()), english[name]
    # today's wording, kept
    assert english["job:annual_scoring"] == (
        'Score one jurisdiction\'s fiscal year (partition "jurisdiction|year"): '
        "raw extracts → staged → scored warehouse."
    )
    assert english["asset:raw_extracts"] == (
        "The year's raw extracts (.csv, .xlsx, .parquet) as text cells."
    )
    assert english["check:gx_line_scores"] == "Great Expectations suite on line_scores"
    assert english["check:scores_consistent"] == (
        "Every line score lies between 0 and its weight; sums agree."
    )


def _catalog_file(lang: str) -> dict[str, str]:
    out = {}

    def walk(node, prefix):
        for k, v in node.items():
            if isinstance(v, dict):
                walk(v, f"{prefix}.{k}")
            else:
                out[f"{prefix}.{k}"] = str(v)

    walk(yaml.safe_load((HERE / lang / "dagster.yaml").read_text("utf-8")), "dagster")
    return out


def test_both_languages_have_the_same_keys_and_placeholders():
    zh, en = _catalog_file("zh"), _catalog_file("en")
    assert set(zh) == set(en)
    for key in zh:
        shape = [sorted(m.group(0) for m in _PLACEHOLDER.finditer(t[key])) for t in (zh, en)]
        assert shape[0] == shape[1], key


def test_every_key_the_dagster_code_says_is_in_the_catalog():
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "pipelines" / "defs").glob("*.py")) + (
        ROOT / "pipelines" / "quality" / "checks.py"
    ).read_text("utf-8")
    used = set(re.findall(r"""["'](dagster\.[a-z_.]+[a-z_])["']""", source))
    assert len(used) > 60
    keys = set(_catalog_file("zh"))
    areas = {k.rsplit(".", n)[0] for k in keys for n in (1, 2)}  # label(area, value)
    assert used - keys - areas == set()


def test_metadata_labels_are_chinese():
    assert say("dagster.meta.findings", lang="zh", severity="warning") == "发现问题：警告"
    assert say("dagster.meta.ranking", lang="zh", n=20) == "排名（前 20 名）"
    assert say("dagster.meta.ranking", lang="en", n=20) == "ranking (top 20)"
    assert say("dagster.meta.findings", lang="en", severity="warning") == "findings: warning"


def test_table_headers_come_from_the_catalog():
    import pandas as pd

    from pipelines.defs.metadata import markdown_table

    frame = pd.DataFrame({"dept_code": ["BJ-FAO"], "total_score": [94.83], "grade": ["优"]})
    with use("zh"):
        assert markdown_table(frame).value.splitlines()[0] == "| 部门编码 | 总分 | 等级 |"
        assert markdown_table(frame.head(0)).value == "_无_"
    with use("en"):
        assert markdown_table(frame).value.splitlines()[0] == "| dept_code | total_score | grade |"
        assert markdown_table(pd.concat([frame] * 21), limit=20).value.endswith(
            "\n_1 more rows not shown_"
        )
