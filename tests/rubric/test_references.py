"""Every rubric reference can be followed from the repository itself.

A ``reference`` (and a rubric's ``source``, the reference of what has none) cites
repository files by path, with a fragment for the place in a Markdown file
(``docs/decisions.md#rule-8``, ``raw/seed/2023/scoresheet.md#budget_final_diff``), or a
public source (a URL, or a regulation by its number, 财预〔2020〕10号), or says
``ILLUSTRATIVE``. A path must exist, its fragment must be an anchor of the file, and
nothing may point outside the repository. A reference that names a rule of
``docs/decisions.md`` ("rule 6") carries its anchor, and one that names the seed
carries the path of its transcription under ``raw/seed/``.
"""

import re
from pathlib import Path

import pytest

from pipelines.rubric import load_rubric
from pipelines.rubric.load import read_yaml
from pipelines.rubric.params import parameters
from tests.conftest import ROOT, RUBRICS

FILES = sorted(RUBRICS.glob("*/*.yaml"))
IDS = [f"{p.parent.name}/{p.stem}" for p in FILES]

# A repository path: segments of word characters, dots and hyphens, ending in a file
# extension, optionally followed by #fragment.
PATH = re.compile(
    r"(?<![\w./#-])((?:\.{1,2}/)*(?:[\w.-]+/)*[\w-]+(?:\.[\w-]+)*\.(?:md|ya?ml|csv|txt|py))"
    r"(?:#([\w-]+))?"
)
URL = re.compile(r"https?://\S+")
REGULATION = re.compile(r"〔\d{4}〕\d+号")  # a public document by its number: 财预〔2020〕10号
# Places outside the repository, or documents a reader of the repository does not have.
OUTSIDE = re.compile(r"shared/|\.\./|(?<![\w/])domain\.md|\bdomain\b|seeds/\d", re.I)


def _strings(node: object, key: str = "") -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v, key)]
    return [str(node)] if key in {"reference", "source"} else []


def references(path: Path) -> list[str]:
    """Every reference of the file, as written, and as its parameters carry them."""
    written = _strings(read_yaml(path))
    resolved = [p.reference for p in parameters(load_rubric(path, RUBRICS))]
    return sorted(set(written + resolved))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces → '-'."""
    text = re.sub(r"<[^>]+>|\{#[\w-]+\}", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Explicit anchors (``<a id="…">``, ``{#…}``) and the headings' GitHub slugs."""
    text = path.read_text("utf-8")
    found = set(re.findall(r"""<a\s+(?:id|name)=["']([\w-]+)["']""", text))
    found |= set(re.findall(r"\{#([\w-]+)\}", text))
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M):
        slug = _slug(heading)
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return found


def problems(reference: str) -> list[str]:
    """What keeps a reader of the repository from following ``reference``."""
    out = [f"points outside the repository: {m.group(0)!r}" for m in OUTSIDE.finditer(reference)]
    cited = PATH.findall(URL.sub("", reference))
    for name, fragment in cited:
        target = (ROOT / name).resolve()
        if not target.is_relative_to(ROOT) or not target.is_file():
            out.append(f"{name} is not a file of the repository")
        elif fragment and target.suffix != ".md":
            out.append(f"{name}#{fragment}: a fragment needs a Markdown file")
        elif fragment and fragment not in anchors(target):
            out.append(f"{name} has no anchor #{fragment}")
    if re.search(r"\bseed\b", reference) and not any(n.startswith("raw/seed/") for n, _ in cited):
        out.append("cites the seed without its transcription under raw/seed/")
    for rule in re.findall(r"\brule (\d+)", reference):
        if ("docs/decisions.md", f"rule-{rule}") not in cited:
            out.append(f"cites rule {rule} without docs/decisions.md#rule-{rule}")
    public = URL.search(reference) or REGULATION.search(reference)
    if not (cited or public or "ILLUSTRATIVE" in reference):
        out.append("names no repository file, no public source and is not ILLUSTRATIVE")
    return out


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_reference_can_be_followed_from_the_repository(path):
    refs = references(path)
    assert refs
    broken = {r: p for r in refs if (p := problems(r))}
    assert not broken, "\n".join(f"{r!r}:\n  " + "\n  ".join(p) for r, p in broken.items())


@pytest.mark.parametrize("path", [*FILES, RUBRICS / "CHANGELOG.md"], ids=[*IDS, "CHANGELOG"])
def test_no_comment_cites_a_document_outside_the_repository(path):
    outside = [
        f"{n}: {line.strip()}"
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if re.search(r"shared/|(?<![\w/])domain\.md", line)
    ]
    assert not outside, "\n".join(outside)


@pytest.mark.parametrize(
    "reference,expected",
    [
        ("domain.md rule 8 (优 ≥ 90); seed 五（一）", "outside the repository"),
        ("seed 评分表 资金总体 (shared/seeds/000_1caa9b1342e44927.txt)", "outside"),
        ("docs/decisions.md#rule-99", "has no anchor #rule-99"),
        ("docs/nowhere.md#rule-8", "not a file of the repository"),
        ("seed 评分表 资金总体 20.00", "without its transcription under raw/seed/"),
        ("rule 6 as decided", "without docs/decisions.md#rule-6"),
        ("as the table says", "names no repository file"),
    ],
)
def test_a_reference_that_cannot_be_followed_is_caught(reference, expected):
    assert any(expected in p for p in problems(reference))


@pytest.mark.parametrize(
    "reference",
    [
        "seed 评分表 部门预决算差异率（4） (raw/seed/2023/scoresheet.md#budget_final_diff); "
        "rule 6, docs/decisions.md#rule-6",
        "docs/decisions.md#numbers",
        "grade bands of 财政部《项目支出绩效评价管理办法》(财预〔2020〕10号)",
        "ILLUSTRATIVE: a placeholder until the published value replaces it",
    ],
)
def test_a_reference_that_can_be_followed_passes(reference):
    assert not problems(reference)
