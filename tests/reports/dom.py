"""Read what a reader sees in an HTML page: text by element id (or data-testid), table
rows, whether an element holds an <svg>, and every piece of text shown (``shown``: text
nodes outside <script> and <style>, and the aria-label, alt and title attributes)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"br", "img", "meta", "link", "input", "hr", "col", "source", "wbr", "area", "base"}
HIDDEN = {"script", "style"}
SPOKEN = ("aria-label", "alt", "title")


class Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text_by_id: dict[str, str] = {}
        self.svg_inside: set[str] = set()
        self.tables: dict[str, list[list[str]]] = {}
        self.shown: list[str] = []
        self._hidden = 0
        self._open: list[tuple[str, tuple[str, ...]]] = []  # (tag, its id and data-testid)
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.shown += [attrs[a] for a in SPOKEN if attrs.get(a)]
        if tag in HIDDEN:
            self._hidden += 1
        if tag == "svg":
            self.svg_inside.update(k for _, keys in self._open for k in keys)
        if tag == "table" and attrs.get("id"):
            self._table = attrs["id"]
            self.tables[self._table] = []
        if tag == "tr" and self._table:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag not in VOID:
            keys = tuple(dict.fromkeys(k for k in (attrs.get("id"), attrs.get("data-testid")) if k))
            self._open.append((tag, keys))
            for k in keys:
                self.text_by_id.setdefault(k, "")

    def handle_endtag(self, tag):
        if tag in HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        if tag == "table":
            self._table = None
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.shown.append(" ".join(data.split()))
        for _, keys in self._open:
            for k in keys:
                self.text_by_id[k] += data
        if self._cell is not None:
            self._cell.append(data)

    def text(self, element_id: str) -> str:
        return " ".join(self.text_by_id.get(element_id, "").split())
