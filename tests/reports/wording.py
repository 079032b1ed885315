"""Is a Chinese report Chinese? Latin letters may appear in identifiers only.

``IDENTIFIER`` names what may be Latin: department codes, rubric ids (also as the
rubric's file, rubrics/beijing/2023), run ids, hashes, line and finding codes
(snake_case, and only codes the warehouse knows), file names.
``latin_words`` returns what is left, split by where it comes from: the reports' own
wording, or a sentence the warehouse renders (``explanation``, ``message``, ``reason``
of its views), which other code owns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

IDENTIFIER = re.compile(
    r"""(?<![\w/.-])(?:
        (?P<dept>[A-Z]{2,}(?:-[A-Z0-9]+)+)                   # department codes: BJ-FAO, SYN-001
      | (?P<rubric>(?:rubrics/)?[a-z]+/\d{4})                # rubric ids: beijing/2023, and
                                                             # as a file: rubrics/beijing/2023
      | (?P<run>run-[\w-]+)                                  # run ids given by name: run-2023
      | (?P<uuid>[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})  # run ids: uuid
      | (?P<hex>[0-9a-f]{12,64})                             # rubric hashes, uuid4().hex run ids
      | (?P<code>[a-z][a-z0-9]*(?:_[a-z0-9]+)+)              # line and finding codes: goal_02
      | (?P<file>[\w.-]+\.(?:html|xlsx|md|pdf|csv|yaml|duckdb))  # file names
    )(?![\w/-]|\.\w)""",
    re.VERBOSE,
)
LATIN = re.compile(r"[A-Za-z]+")


def known_codes(warehouse: Path, year: int) -> set[str]:
    """The line and finding codes of the year: the snake_case words allowed as codes."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """SELECT line_code FROM v_line_scores WHERE year = ?
               UNION SELECT code FROM v_findings WHERE year = ?
               UNION SELECT line_code FROM v_findings WHERE year = ? AND line_code IS NOT NULL""",
            [year, year, year],
        ).fetchall()
    return {code for (code,) in rows}


def warehouse_sentences(warehouse: Path, year: int, suffix: str = "") -> list[str]:
    """The sentences the warehouse's views render (in the language of ``suffix``):
    longest first, so a sentence is taken out before a shorter one inside it."""
    queries = [
        f"SELECT explanation{suffix} FROM v_line_scores WHERE year = ?",
        f"SELECT message{suffix} FROM v_findings WHERE year = ?",
        f"SELECT reason{suffix} FROM v_rejected_rows WHERE year = ?",
    ]
    found: set[str] = set()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for sql in queries:
            try:
                rows = con.execute(sql, [year]).fetchall()
            except duckdb.Error:  # a column the warehouse does not have (yet)
                continue
            found |= {" ".join(text.split()) for (text,) in rows if text}
    return sorted(found, key=lambda s: (-len(s), s))


def latin_words(
    texts: Iterable[str], codes: set[str], sentences: list[str]
) -> tuple[list[str], list[str]]:
    """(texts with a Latin word of the report's own, texts whose Latin words all come
    from a warehouse sentence), each text with its Latin words marked «…»."""
    own, theirs = [], []
    for text in texts:
        text = " ".join(str(text).split())
        if not LATIN.search(text):
            continue
        mine = text
        for sentence in sentences:
            if LATIN.search(sentence):
                mine = mine.replace(sentence, " ")
        left = _strip_identifiers(mine, codes)
        if LATIN.search(left):
            own.append(_mark(text, codes))
        elif LATIN.search(_strip_identifiers(text, codes)):
            theirs.append(_mark(text, codes))
    return sorted(set(own)), sorted(set(theirs))


def _strip_identifiers(text: str, codes: set[str]) -> str:
    def keep(m: re.Match) -> str:
        return m[0] if m["code"] and m["code"] not in codes else " "

    return IDENTIFIER.sub(keep, text)


def _mark(text: str, codes: set[str]) -> str:
    left = _strip_identifiers(text, codes)
    return f"{text}  ← «{' '.join(LATIN.findall(left))}»"
