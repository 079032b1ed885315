"""The derivation of a department's score, as text a reviewer checks by hand.

Read from the warehouse: the total as the sum of its sections, the grade band, every
line (or one) with its explanation sentence, and the rubric parameters behind it
with their references; then the department's findings. In the current language: the
words from the catalog (``cli.explain.*``), the sentences from the views' column of
that language (``explanation``/``message`` in Chinese, ``explanation_en``/``message_en``…).
"""

from __future__ import annotations

import json

from pipelines.messages import Message, current, say
from pipelines.messages.sql import suffix


class NotScored(Exception):
    """The department has no scores for the year (and the findings say why, if any).
    Its message is a ``Message``: ``str()`` renders it in the current language."""


def column(con, view: str, name: str) -> str:
    """``name`` in the current language (``explanation_en``…), or ``name`` itself in a
    warehouse written before the view had that language."""
    wanted = name + suffix(current())
    columns = {d[0] for d in con.execute(f"SELECT * FROM {view} LIMIT 0").description}
    return wanted if wanted in columns else name


def explain(con, year: int, dept: str, line: str | None = None) -> str:
    row = con.execute(
        """SELECT dept_name, total_score, uncapped_total, grade, rank, rank_out_of,
                  rubric_id, rubric_hash, run_id
           FROM v_department_scores WHERE year = ? AND dept_code = ?""",
        [year, dept],
    ).fetchone()
    message = column(con, "v_findings", "message")
    if row is None:
        why = [
            m
            for (m,) in con.execute(
                f"SELECT {message} FROM v_findings "
                "WHERE year = ? AND dept_code = ? AND severity = 'error' ORDER BY code",
                [year, dept],
            ).fetchall()
        ]
        if why:
            raise NotScored(
                Message(
                    "cli.explain.not_scored_why",
                    dept=dept,
                    year=year,
                    why=say("cli.explain.why_sep").join(why),
                )
            )
        raise NotScored(Message("cli.explain.not_scored", dept=dept, year=year))
    name, total, uncapped, grade, rank, out_of, rubric_id, rubric_hash, run_id = row
    rubric = json.loads(
        con.execute(
            "SELECT content FROM rubric_versions WHERE rubric_id = ? AND rubric_hash = ?",
            [rubric_id, rubric_hash],
        ).fetchone()[0]
    )
    params = con.execute(
        "SELECT path, value, reference FROM rubric_parameters "
        "WHERE rubric_id = ? AND rubric_hash = ? ORDER BY path",
        [rubric_id, rubric_hash],
    ).fetchall()
    out = [
        say(
            "cli.explain.header",
            dept=dept,
            name=name,
            year=year,
            rubric=rubric_id,
            hash=rubric_hash[:12],
            run=run_id,
        )
    ]
    if line is None:
        out += _total(con, year, dept, total, uncapped, grade, rank, out_of, rubric)
    explanation = column(con, "v_line_scores", "explanation")
    lines = con.execute(
        f"""SELECT section, "group", line_code, name, rule_kind, weight, computed_score,
                  assessed_score, final_score, {explanation}
           FROM v_line_scores WHERE year = ? AND dept_code = ? AND (? IS NULL OR line_code = ?)
           ORDER BY section_order, group_order, line_order""",
        [year, dept, line, line],
    ).fetchall()
    if not lines:
        raise NotScored(Message("cli.explain.no_line", dept=dept, line=line, year=year))
    declared_kinds: set[str] = set()
    for section, group, code, lname, kind, weight, computed, assessed, final, text in lines:
        out.append("")
        if final is None:
            out.append(say("cli.explain.line_left_out", name=lname, code=code, weight=weight))
        else:
            out.append(say("cli.explain.line", name=lname, code=code, final=final, weight=weight))
        out.append(f"  {text}")
        if assessed is not None:
            out.append(say("cli.explain.assessed", score=assessed))
        if final != computed:
            out.append(say("cli.explain.override", computed=computed, final=final))
        if kind in DECLARED_KINDS:
            declared_kinds.add(kind)
        else:
            out += _params_block(params, _node(section, group, code))
    for kind in sorted(declared_kinds):
        out += ["", say("cli.explain.declared", kind=kind)]
        out += _params_block(params, DECLARED_KINDS[kind])
    findings = con.execute(
        f"""SELECT severity, code, coalesce(line_code, '-'), {message} FROM v_findings
           WHERE year = ? AND dept_code = ? AND (? IS NULL OR line_code = ?)
           ORDER BY severity, code""",
        [year, dept, line, line],
    ).fetchall()
    if findings:
        out += ["", say("cli.explain.findings")] + [
            say("cli.explain.finding", severity=s, code=c, line=lc, message=m)
            for s, c, lc, m in findings
        ]
    return "\n".join(out)


def _total(con, year, dept, total, uncapped, grade, rank, out_of, rubric) -> list[str]:
    sections = con.execute(
        "SELECT name, score, weight FROM v_section_scores WHERE year = ? AND dept_code = ? "
        "ORDER BY section_order",
        [year, dept],
    ).fetchall()
    parts = " + ".join(
        say("cli.explain.part", score=score, name=name) for name, score, _ in sections
    )
    out = [say("cli.explain.total", uncapped=uncapped, parts=parts)]
    if uncapped != total:
        out.append(say("cli.explain.capped", total=total))
    bands = say("cli.explain.band_sep").join(
        say("cli.explain.band", grade=b["grade"], min=b["min_total"])
        for b in rubric["grades"]["bands"]
    )
    out.append(
        say("cli.explain.grade", grade=grade, bands=bands, reference=rubric["grades"]["reference"])
    )
    out.append(say("cli.explain.rank", rank=rank, out_of=out_of, year=year))
    return out


DECLARED_KINDS = {
    "indicator_ratio": "indicator_rules.quantitative.",
    "indicator_bands": "indicator_rules.quantitative.",
    "graded": "indicator_rules.qualitative.",
    "outcome": "indicator_rules.outcomes.",
}


def _node(section: str, group: str | None, code: str) -> str:
    return f"sections.{section}." + (f"groups.{group}." if group else "") + f"lines.{code}."


def _params_block(params, prefix: str) -> list[str]:
    """The parameters under ``prefix``, one line, then the references they cite."""
    mine = [(p.removeprefix(prefix), v, r) for p, v, r in params if p.startswith(prefix)]
    if not mine:
        return []
    values = say("cli.explain.parameter_sep").join(f"{p} = {_short(v)}" for p, v, _ in mine)
    refs = list(dict.fromkeys(r for _, _, r in mine))
    return [say("cli.explain.parameters", values=values)] + [
        say("cli.explain.reference", reference=r) for r in refs
    ]


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
