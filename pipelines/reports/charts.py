"""The reports' charts as inline SVG text, byte-identical from run to run.

Text stays text (svg.fonttype 'none'): the browser draws the Chinese labels with
its own CJK font, so the file needs no embedded glyphs. Each chart gets its own
hash salt, so two charts on one page never share a clip-path id.
"""

from __future__ import annotations

import io
import re
import warnings

import matplotlib
from markupsafe import Markup
from matplotlib.figure import Figure

from pipelines.reports.numbers import amount, score

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
    text = text[text.index("<svg") :]
    # Element ids (figure_1, patch_3…) repeat in every matplotlib SVG: prefix them so
    # several charts can share one HTML page with unique ids.
    text = _ID_REF.sub(lambda m: f"{m[1]}{salt}-", text)
    # matplotlib escapes every label it writes, so the markup is safe to inline as is.
    return Markup(text)


def _figure(salt: str, width: float, height: float) -> Figure:
    with matplotlib.rc_context(_style(salt)):
        return Figure(figsize=(width, height), dpi=100)


def section_chart(sections: list[dict]) -> Markup:
    """Score by section (of its weight) against the city median of that section."""
    salt = "section"
    with matplotlib.rc_context(_style(salt)):
        fig = _figure(salt, 7.2, 0.75 * len(sections) + 1.1)
        ax = fig.subplots()
        names = [s["name"] for s in sections][::-1]
        weights = [s["weight"] or 0 for s in sections][::-1]
        scores = [s["score"] or 0 for s in sections][::-1]
        medians = [s["city_median"] for s in sections][::-1]
        y = range(len(sections))
        ax.barh(y, weights, color=GREY, height=0.6, label="分值")
        ax.barh(y, scores, color=BLUE, height=0.6, label="本部门得分")
        room = max(weights or [1])
        for i, (s, w, m) in enumerate(zip(scores, weights, medians, strict=True)):
            label = f"{score(s)} / {amount(w)}" + ("" if m is None else f"（中位数 {score(m)}）")
            ax.text(max(s, w) + room * 0.01, i, label, va="center", fontsize=9, color=DARK)
            if m is not None:
                ax.plot([m, m], [i - 0.38, i + 0.38], color=ORANGE, linewidth=2.2)
        ax.plot([], [], color=ORANGE, linewidth=2.2, label="全市中位数")
        ax.set_yticks(list(y), names)
        ax.set_xlim(0, room * 1.5)
        ax.set_xlabel("得分")
        ax.legend(loc="lower right", frameon=False, fontsize=9)
        # A fixed layout (room for ten Chinese characters) draws once instead of twice.
        fig.subplots_adjust(left=0.22, right=0.98, top=0.97, bottom=0.55 / fig.get_figheight())
        return _svg(fig, salt, tight=False)


def grade_chart(counts: list[tuple[str, int, float]]) -> Markup:
    """Departments per grade: (grade, departments, share %)."""
    salt = "grades"
    with matplotlib.rc_context(_style(salt)):
        fig = _figure(salt, 6.0, 3.2)
        ax = fig.subplots()
        grades = [g for g, _, _ in counts]
        values = [n for _, n, _ in counts]
        colours = [GRADE_COLOURS.get(g, BLUE) for g in grades]
        ax.bar(range(len(grades)), values, color=colours, width=0.6)
        for i, (_, n, share) in enumerate(counts):
            ax.text(i, n, f"{n}（{share:.1f}%）", ha="center", va="bottom", fontsize=9)
        ax.set_xticks(range(len(grades)), grades)
        ax.set_ylim(0, max(values or [1]) * 1.2)
        ax.set_ylabel("部门数")
        return _svg(fig, salt)


def section_heatmap(labels: list[str], sections: list[str], shares: list[list[float | None]]):
    """Departments × sections, each cell the share of the section's weight achieved (%)."""
    salt = "heatmap"
    with matplotlib.rc_context(_style(salt)):
        fig = _figure(salt, 4.0 + 1.8 * len(sections), 0.3 * len(labels) + 1.6)
        ax = fig.subplots()
        grid = [[float("nan") if v is None else v for v in row] for row in shares]
        image = ax.imshow(grid, cmap="RdYlGn", vmin=50, vmax=100, aspect="auto")
        for i, row in enumerate(shares):
            for j, v in enumerate(row):
                if v is not None:
                    ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=9)
        ax.set_xticks(range(len(sections)), sections)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(labels)), labels, fontsize=9)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        fig.colorbar(image, ax=ax, shrink=0.5, label="得分占分值比例（%）")
        return _svg(fig, salt)
