"""The reports' charts as inline SVG text, byte-identical from run to run.

Text stays text (svg.fonttype 'none'): the browser draws the Chinese labels with
its own CJK font, so the file needs no embedded glyphs. Each chart gets its own
hash salt, so two charts on one page never share a clip-path id.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from pipelines.messages import say
from pipelines.reports.numbers import amount, score
from pipelines.reports.templating import grade_label

if TYPE_CHECKING:  # matplotlib is imported by the summary's chart alone (~30 MB a process)
    from matplotlib.figure import Figure

FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "DejaVu Sans",
]
GRADE_COLOURS = {"优": "#2e7d32", "良": "#1565c0", "中": "#ef6c00", "差": "#c62828"}
_ID_REF = re.compile(r'( id="| href="#|url\(#)')
# matplotlib's RDF block (creator "Matplotlib v3…", format "image/svg+xml"): not for
# readers, and a browser's text of the page would include it.
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
BLUE, GREY, DARK, ORANGE = "#1f5fa8", "#e3e7ee", "#333333", "#d84315"


def _style(salt: str) -> dict:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": f"jixiao-{salt}",
        "font.family": "sans-serif",
        "font.sans-serif": FONTS,
        "font.size": 10,
        # Department names are data: a "$" must not start mathtext.
        "text.parse_math": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": False,
    }


def _svg(fig: Figure, salt: str, tight: bool = True) -> Markup:
    buf = io.StringIO()
    with warnings.catch_warnings():
        # Without a CJK font matplotlib measures the labels with a fallback font and
        # warns per glyph; the browser still draws them, so the warning is noise here.
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from font")
        warnings.filterwarnings("ignore", message=r"findfont: Font family")
        fig.savefig(
            buf, format="svg", metadata={"Date": None}, bbox_inches="tight" if tight else None
        )
    text = buf.getvalue()
    text = _METADATA.sub("", text[text.index("<svg") :])
    # Element ids (figure_1, patch_3…) repeat in every matplotlib SVG: prefix them so
    # several charts can share one HTML page with unique ids.
    text = _ID_REF.sub(lambda m: f"{m[1]}{salt}-", text)
    # matplotlib escapes every label it writes, so the markup is safe to inline as is.
    return Markup(text)


def _figure(salt: str, width: float, height: float) -> Figure:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_style(salt)):
        return Figure(figsize=(width, height), dpi=100)


def section_chart(sections: list[dict]) -> Markup:
    """Score by section (of its weight) against the city median of that section.

    Drawn as SVG by hand, not by matplotlib: it is on every department's page, and
    matplotlib took ~90 ms a chart (1,000 departments: 90 s); this takes well under 1.
    """
    row, left, width, bar_w = 54, 170, 720, 400
    height = row * len(sections) + 70
    room = max([s["weight"] or 0 for s in sections] or [1]) or 1

    def x(value) -> float:  # the axis runs to 1.5 × the largest weight, as before
        return left + float(value) / float(room) * bar_w / 1.5

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{", ".join(FONTS)}" font-size="13" '
        f'role="img" aria-label="{escape(say("report.chart.sections_label"))}">'
    ]
    for i, sec in enumerate(sections):
        y = 10 + i * row
        weight, got, median = sec["weight"] or 0, sec["score"] or 0, sec["city_median"]
        label = say("report.chart.sections_value", score=score(got), weight=amount(weight))
        if median is not None:
            label += say("report.chart.sections_median", median=score(median))
        parts += [
            f'<text x="{left - 8}" y="{y + 22}" text-anchor="end" fill="{DARK}">'
            f"{escape(sec['name'])}</text>",
            f'<rect x="{left}" y="{y + 6}" width="{x(weight) - left:.1f}" height="{row * 0.6:.0f}"'
            f' fill="{GREY}"/>',
            f'<rect x="{left}" y="{y + 6}" width="{x(got) - left:.1f}" height="{row * 0.6:.0f}"'
            f' fill="{BLUE}"/>',
            f'<text x="{x(max(got, weight)) + 6:.1f}" y="{y + 22}" font-size="12" '
            f'fill="{DARK}">{escape(label)}</text>',
        ]
        if median is not None:
            parts.append(
                f'<line x1="{x(median):.1f}" x2="{x(median):.1f}" y1="{y + 2}" '
                f'y2="{y + 6 + row * 0.6 + 4:.0f}" stroke="{ORANGE}" stroke-width="2.5"/>'
            )
    legend_y = height - 22
    lx = left
    for colour, key in ((GREY, "weight"), (BLUE, "own_score"), (ORANGE, "city_median")):
        text = say(f"report.field.{key}")
        parts += [
            f'<rect x="{lx}" y="{legend_y - 10}" width="14" height="12" fill="{colour}"/>',
            f'<text x="{lx + 20}" y="{legend_y}" font-size="12" fill="{DARK}">'
            f"{escape(text)}</text>",
        ]
        lx += max(130, 40 + _text_width(text, 12))
    parts.append("</svg>")
    return Markup("".join(parts))


def grade_chart(counts: list[tuple[str, int, float]]) -> Markup:
    """Departments per grade: (grade, departments, share %)."""
    import matplotlib

    salt = "grades"
    with matplotlib.rc_context(_style(salt)):
        fig = _figure(salt, 6.0, 3.2)
        ax = fig.subplots()
        grades = [g for g, _, _ in counts]
        values = [n for _, n, _ in counts]
        colours = [GRADE_COLOURS.get(g, BLUE) for g in grades]
        ax.bar(range(len(grades)), values, color=colours, width=0.6)
        for i, (_, n, share) in enumerate(counts):
            bar = say("report.chart.grades_bar", n=n, share=f"{share:.1f}")
            ax.text(i, n, bar, ha="center", va="bottom", fontsize=9)
        ax.set_xticks(range(len(grades)), [grade_label(g) for g in grades])
        ax.set_ylim(0, max(values or [1]) * 1.2)
        ax.set_ylabel(say("report.field.departments"))
        return _svg(fig, salt)


def section_heatmap(labels: list[str], sections: list[str], shares: list[list[float | None]]):
    """Departments × sections, each cell the share of the section's weight achieved (%),
    red at 50% or less, yellow at 75%, green at 100%. Drawn by hand like
    ``section_chart``: a row per department, so matplotlib cost seconds per year."""
    return Markup("".join(section_heatmap_parts(labels, sections, shares, len(labels))))


def section_heatmap_parts(
    labels: Iterable[str], sections: list[str], shares: Iterable[list[float | None]], rows: int
) -> Iterator[Markup]:
    """``section_heatmap`` in pieces, as they are drawn (``rows``: how many labels):
    nationally the chart has 100,000 rows, a few hundred MB as one string."""
    row, col, left, top = 20, 120, 300, 44
    width, height = left + col * len(sections) + 20, top + row * rows + 40
    yield Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{", ".join(FONTS)}" font-size="12" '
        f'role="img" aria-label="{escape(say("report.chart.heatmap_label"))}">'
    )
    parts = []
    for j, name in enumerate(sections):
        parts.append(
            f'<text x="{left + j * col + col / 2:.0f}" y="{top - 12}" text-anchor="middle" '
            f'fill="{DARK}">{escape(name)}</text>'
        )
    for i, (label, values) in enumerate(zip(labels, shares, strict=True)):
        y = top + i * row
        parts.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" fill="{DARK}">'
            f"{escape(label)}</text>"
        )
        for j, value in enumerate(values):
            fill = "#eeeeee" if value is None else _red_yellow_green(value)
            parts.append(
                f'<rect x="{left + j * col}" y="{y}" width="{col - 2}" height="{row - 2}" '
                f'fill="{fill}"/>'
            )
            if value is not None:
                parts.append(
                    f'<text x="{left + j * col + col / 2:.0f}" y="{y + 14}" '
                    f'text-anchor="middle">{value:.0f}</text>'
                )
        if len(parts) >= 4096:
            yield Markup("".join(parts))
            parts = []
    parts.append(
        f'<text x="{left}" y="{height - 12}" fill="{DARK}">'
        f"{escape(say('report.chart.heatmap_legend'))}</text></svg>"
    )
    yield Markup("".join(parts))


def _text_width(text: str, size: int) -> int:
    """About how wide ``text`` is drawn at ``size`` px: a CJK character is square, a
    Latin one a little over half as wide."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return round(wide * size + (len(text) - wide) * size * 0.6)


def _red_yellow_green(share: float) -> str:
    stops = [(50.0, (215, 48, 39)), (75.0, (255, 255, 191)), (100.0, (26, 152, 80))]
    v = min(max(float(share), 50.0), 100.0)
    (a, ca), (b, cb) = (stops[0], stops[1]) if v <= 75 else (stops[1], stops[2])
    t = (v - a) / (b - a)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))
