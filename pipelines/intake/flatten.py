"""A report's text as one run of sentences, whatever line and page breaks it came with.

PDF text breaks lines where the page did (资金支出数 18214.74 / 万元), puts page numbers
between them, and may give a character as its radical look-alike (部⻔ for 部门).
Figures are found in the flattened text: characters folded, page-number lines dropped,
lines joined (nothing where a line broke between two Chinese characters, one space
elsewhere), spaces squeezed. Headings end sentences, so a quote does not run into the
heading before it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from pipelines.intake.rules import Layout, radicals

# Full-width digits and number marks as ASCII, so one pattern reads １９３４７．１２ and
# 19347.12; invisible characters out. Other punctuation stays as printed (it is quoted).
_FOLD = {
    **{0xFF10 + d: str(d) for d in range(10)},
    0xFF0E: ".",
    0xFF05: "%",
    0x3000: " ",  # ideographic space
    0x00A0: " ",
    0x00AD: None,  # soft hyphen
    0x200B: None,
    0x200C: None,
    0x200D: None,
    0xFEFF: None,
}
_SPACE = re.compile(r"[^\S\n]+")  # any space but a line break (em spaces of tables too)


# Characters that Chinese text sets without spaces around them: radicals, CJK
# punctuation, kana, ideographs, compatibility ideographs, full-width forms （）：，,
# curly quotes, — and …, and the ideographs beyond the basic plane.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2014\u2026\U00020000-\U0003ffff"
_ONE_CJK = re.compile(f"[{_CJK}]")
# a word spaced out character by character, as justified PDF text comes (单 时 ， 汇 率)
_SPACED_OUT = re.compile(f"(?<![{_CJK}])[{_CJK}](?: [{_CJK}]){{2,}}(?![{_CJK}])")


def is_cjk(ch: str) -> bool:
    return bool(_ONE_CJK.fullmatch(ch))


def fold(text: str) -> str:
    """Characters as they were meant: radicals as ideographs, full-width digits as ASCII.
    NFC first: a text layer may give 〈 as U+2329 or 館 as a compatibility ideograph,
    which are canonically the same; NFKC would also turn ，（ into ASCII, which is quoted."""
    table = radicals()
    out = []
    for ch in unicodedata.normalize("NFC", text).translate(_FOLD):
        o = ord(ch)
        if o in table:
            out.append(table[o])
        elif 0x2F00 <= o <= 0x2FDF:  # Kangxi radicals: NFKC gives the ideograph
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def _squeeze(line: str) -> str:
    """Runs of spaces as one space, and none inside a spaced-out word; cells keep theirs
    (资产管理规范性 优 优 4.00 4.00)."""
    line = _SPACE.sub(" ", line)
    return _SPACED_OUT.sub(lambda m: m[0].replace(" ", ""), line)


@dataclass(frozen=True)
class Flat:
    """The flattened text and where its sentences may start (headings, paragraphs)."""

    text: str
    starts: tuple[int, ...]  # sorted positions where a sentence starts whatever precedes
    layout: Layout

    def quote(self, start: int, end: int) -> str:
        """The sentence around ``text[start:end]``; when that runs longer than a sentence
        can (a table read as text), ``text[start:end]`` itself."""
        text, ends, closers = self.text, self.layout.sentence_ends, self.layout.sentence_closers
        first = max(text.rfind(c, 0, start) + 1 for c in ends)
        i = bisect_right(self.starts, start) - 1
        if i >= 0:
            first = max(first, self.starts[i])
        while first < start and text[first] in closers:  # the last sentence's ”
            first += 1
        stops = [p for p in (text.find(c, end) for c in ends) if p >= 0]
        last = min(stops) + 1 if stops else len(text)
        while last < len(text) and text[last] in closers:
            last += 1
        j = bisect_left(self.starts, end)
        if j < len(self.starts) and self.starts[j] < last:
            last = self.starts[j]
        sentence = text[first:last].strip()
        if len(sentence) > self.layout.longest_quote:
            return text[start:end].strip()
        return sentence


def flatten(raw: str, layout: Layout) -> Flat:
    """``raw`` (a document's text, lines as it broke them; \\f between pages) flattened."""
    lines = []
    for line in fold(raw).replace("\f", "\n").splitlines():
        line = _squeeze(line.strip())
        if line and not any(p.fullmatch(line) for p in layout.page_lines):
            lines.append(line)
    pieces: list[str] = []
    size, starts, heading_before = 0, [], False
    for line in lines:
        heading = any(p.match(line) for p in layout.heading_marks)
        if pieces:
            glue = "" if is_cjk(pieces[-1][-1]) and is_cjk(line[0]) else " "
            pieces.append(glue)
            size += len(glue)
        if heading or heading_before:
            starts.append(size)
        pieces.append(line)
        size += len(line)
        # a heading line (a mark, no sentence punctuation) ends its sentence with it
        heading_before = heading and not any(c in line for c in layout.sentence_ends + "，")
    return Flat("".join(pieces), tuple(starts), layout)
