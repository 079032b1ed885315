"""No rule file under rubrics/ (a rubric, draft rules, any family) changes without an
entry in rubrics/CHANGELOG.md naming its id and its new version."""

import shutil

import pytest

from pipelines.messages import say
from pipelines.rubric import changelog
from tests.conftest import RUBRICS

FILES = changelog.rule_files(RUBRICS)


def test_every_family_is_covered():
    assert {"beijing/2023", "chongqing/2023", "drafts/beijing/2023"} <= FILES.keys()


@pytest.mark.parametrize("file_id", sorted(FILES))
def test_every_rule_file_version_has_a_changelog_entry(file_id):
    version = changelog.digest(FILES[file_id])
    assert file_id not in changelog.unlisted(RUBRICS), say(
        "rubric.changelog.unlisted", lang="en", id=file_id, digest=version
    )


def test_the_changelog_names_no_file_that_does_not_exist():
    assert changelog.unknown(RUBRICS) == []


def copy(tmp_path):
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    return rubrics


def test_a_changed_file_without_an_entry_is_named_with_its_new_version(tmp_path):
    rubrics = copy(tmp_path)
    path = rubrics / "drafts" / "beijing" / "2024.yaml"
    path.write_text(path.read_text("utf-8") + "# a comment is a new version too\n", "utf-8")
    version = changelog.digest(path)
    assert changelog.unlisted(rubrics) == {"drafts/beijing/2024": version}
    [problem] = changelog.problems(rubrics)
    assert problem.text("zh").startswith(f"drafts/beijing/2024 已修改（sha256 {version}），")
    assert problem.text("en").startswith(f"drafts/beijing/2024 changed (sha256 {version}) ")


def test_an_entry_counts_for_the_files_it_names_only(tmp_path):
    """An entry of drafts/beijing/2023 does not list beijing/2023, though one id ends
    the other."""
    rubrics = copy(tmp_path)
    log = rubrics / "CHANGELOG.md"
    rubric = rubrics / "beijing" / "2023.yaml"
    rubric.write_text(rubric.read_text("utf-8") + "# changed\n", "utf-8")
    version = changelog.digest(rubric)
    text = log.read_text("utf-8").replace(
        "# Rubric changelog\n",
        f"# Rubric changelog\n\n## today — drafts/beijing/2023 (sha256 {version})\n",
    )
    log.write_text(text, "utf-8")
    assert changelog.unlisted(rubrics) == {"beijing/2023": version}


def test_an_entry_for_a_file_that_does_not_exist_is_named(tmp_path):
    rubrics = copy(tmp_path)
    log = rubrics / "CHANGELOG.md"
    log.write_text(log.read_text("utf-8") + "\n## today — review/beijing/2023 added\n", "utf-8")
    assert changelog.unknown(rubrics) == ["review/beijing/2023"]
    [problem] = changelog.problems(rubrics)
    assert (
        problem.text("zh")
        == "rubrics/CHANGELOG.md 提到的 review/beijing/2023 不是 rubrics/ 下的文件"
    )
