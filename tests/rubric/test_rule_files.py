"""Every rule file under rubrics/ is read one way: a family is a model and a folder, and
reading, ``extends``, the hash, the misplaced file and the changelog come with it."""

import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from pipelines.messages import catalog, languages
from pipelines.reports.drafts import DraftRules
from pipelines.rubric import (
    Rubric,
    RubricError,
    RuleFile,
    changelog,
    content_hash,
    find,
    load_file,
    load_rubric,
)
from tests.conftest import ROOT, RUBRICS


class ReviewRules(RuleFile):
    """A family as the 复核 rules could be: nothing but a model and a folder."""

    FAMILY: ClassVar[str] = "review"
    FOLDER: ClassVar[str] = "review"

    sample_share_pct: Decimal
    flags: dict[str, Decimal]


HEAD = "jurisdiction: beijing\ntitle: t\nsource: ILLUSTRATIVE\n"


@pytest.fixture
def rubrics(tmp_path) -> Path:
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    folder = rubrics / "review" / "beijing"
    folder.mkdir(parents=True)
    (folder / "2023.yaml").write_text(
        f"id: review/beijing/2023\nyear: 2023\n{HEAD}sample_share_pct: 10\n"
        "flags: {score_jump: 15, self_score_gap: 5.5}\n",
        "utf-8",
    )
    (folder / "2024.yaml").write_text(
        "extends: review/beijing/2023\nid: review/beijing/2024\nyear: 2024\n"
        "flags: {score_jump: null, late: 1}\n",
        "utf-8",
    )
    return rubrics


def test_a_third_family_is_a_model_and_a_folder(rubrics):
    r23 = find(ReviewRules, rubrics, "beijing", 2023)
    r24 = load_file(ReviewRules, rubrics / "review" / "beijing" / "2024.yaml")
    assert r23.flags == {"score_jump": Decimal(15), "self_score_gap": Decimal("5.5")}
    assert (r24.extends, r24.sample_share_pct) == ("review/beijing/2023", Decimal(10))
    assert r24.flags == {"self_score_gap": Decimal("5.5"), "late": Decimal(1)}
    assert content_hash(r24) != content_hash(r23)
    assert find(ReviewRules, rubrics, "beijing", 2022) is None
    assert {"review/beijing/2023", "review/beijing/2024"} <= changelog.unlisted(rubrics).keys()


def test_the_hash_is_of_the_content_not_its_layout(rubrics):
    path = rubrics / "review" / "beijing" / "2023.yaml"
    before = content_hash(load_file(ReviewRules, path))
    data = yaml.safe_load(path.read_text("utf-8"))
    text = yaml.safe_dump(dict(reversed(data.items())), default_flow_style=False)
    path.write_text("# the same rules, laid out otherwise\n" + text, "utf-8")
    assert content_hash(load_file(ReviewRules, path)) == before
    rubric = RUBRICS / "beijing" / "2023.yaml"
    assert content_hash(load_rubric(rubric)) == content_hash(load_file(Rubric, rubric))


def test_a_file_extends_only_a_file_of_its_family(rubrics):
    path = rubrics / "review" / "beijing" / "2024.yaml"
    path.write_text("extends: drafts/beijing/2023\nid: review/beijing/2024\nyear: 2024\n")
    with pytest.raises(RubricError) as caught:
        load_file(ReviewRules, path)
    [(where, zh)] = caught.value.rendered("zh")
    assert where == "extends"
    assert zh.startswith("不能继承 'drafts/beijing/2023'：")
    assert zh.endswith("（review/<jurisdiction>/<year>）")
    path.write_text("extends: ../../etc/2023\nid: review/beijing/2024\nyear: 2024\n")
    with pytest.raises(RubricError) as caught:
        load_file(ReviewRules, path)
    assert caught.value.rendered("en")[0][1].startswith("cannot extend '../../etc/2023': ")


def test_a_file_whose_id_is_not_its_place_is_refused(rubrics):
    src = rubrics / "drafts" / "beijing" / "2023.yaml"
    shutil.copy(src, rubrics / "drafts" / "beijing" / "2025.yaml")
    with pytest.raises(RubricError) as caught:
        find(DraftRules, rubrics, "beijing", 2025)
    assert caught.value.rendered("zh") == [
        ("id", "文件位于 drafts/beijing/2025，但其中写的是 drafts/beijing/2023")
    ]
    assert caught.value.rendered("en") == [
        ("id", "file is at drafts/beijing/2025 but says drafts/beijing/2023")
    ]


def test_an_id_must_name_the_file_of_its_family(rubrics):
    path = rubrics / "review" / "beijing" / "2023.yaml"
    path.write_text(path.read_text("utf-8").replace("id: review/", "id: "), "utf-8")
    with pytest.raises(RubricError) as caught:
        load_file(ReviewRules, path)
    assert caught.value.rendered("en") == [("", "id must be 'review/beijing/2023'")]


# every catalog key the rule files' code names, by how it names it
USES = [
    (r"""_say\(\s*"([a-z_.]+)\"""", "rubric.{}"),
    (r"""["']((?:rubric|draft)\.[a-z_]+\.[a-z_.]+[a-z_])["']""", "{}"),
    (r"""\bevidence\(\s*"([a-z_]+)\"""", "draft.evidence.{}"),
]
CODE = [
    *(ROOT / "pipelines" / "rubric").glob("*.py"),
    *(ROOT / "pipelines/reports/drafts").rglob("*.py"),
]


def test_every_key_the_rule_files_name_is_in_every_language():
    used = set()
    for path in CODE:
        text = path.read_text("utf-8")
        for pattern, key in USES:
            used |= {key.format(k) for k in re.findall(pattern, text)}
        area = "draft.model" if "drafts" in path.parts else "rubric.model"
        used |= {f"{area}.{k}" for k in re.findall(r'Invalid\(\s*"([a-z_]+)"', text)}
    for family in (Rubric, DraftRules):  # the words that name each family's files
        used |= {f"rubric.family.{family.FAMILY}", f"rubric.family_rule.{family.FAMILY}"}
    assert len(used) > 40
    for lang in languages():
        assert used <= catalog(lang).keys(), (lang, sorted(used - catalog(lang).keys()))
