"""The derivation of a department's score, as text a reviewer checks by hand.

Read from the warehouse: the total as the sum of its sections, the grade band, every
line (or one) with its explanation sentence, and the rubric parameters behind it
with their references; then the department's findings.
"""

from __future__ import annotations

import json


class NotScored(Exception):
    """The department has no scores for the year (and the findings say why, if any)."""


def explain(con, year: int, dept: str, line: str | None = None) -> str:
    row = con.execute(
        """SELECT dept_name, total_score, uncapped_total, grade, rank, rank_out_of,
                  rubric_id, rubric_hash, run_id
           FROM v_department_scores WHERE year = ? AND dept_code = ?""",
        [year, dept],
    ).fetchone()
    if row is None:
        why = [m for (m,) in con.execute(
            "SELECT message FROM findings WHERE year = ? AND dept_code = ? AND severity = 'error'",
            [year, dept]).fetchall()]
        raise NotScored(f"{dept} has no scores for {year}" + (": " + "; ".join(why) if why else ""))
    name, total, uncapped, grade, rank, out_of, rubric_id, rubric_hash, run_id = row
    rubric = json.loads(con.execute(
        "SELECT content FROM rubric_versions WHERE rubric_id = ? AND rubric_hash = ?",
        [rubric_id, rubric_hash]).fetchone()[0])
    params = con.execute(
        "SELECT path, value, reference FROM rubric_parameters "
        "WHERE rubric_id = ? AND rubric_hash = ? ORDER BY path",
        [rubric_id, rubric_hash],
    ).fetchall()
    out = [f"{dept} {name} — {year}, rubric {rubric_id} (hash {rubric_hash[:12]}), run {run_id}"]
    if line is None:
        out += _total(con, year, dept, total, uncapped, grade, rank, out_of, rubric)
    lines = con.execute(
        """SELECT section, "group", line_code, name, rule_kind, weight, computed_score,
                  assessed_score, final_score, explanation
           FROM v_line_scores WHERE year = ? AND dept_code = ? AND (? IS NULL OR line_code = ?)
           ORDER BY section_order, group_order, line_order""",
        [year, dept, line, line],
    ).fetchall()
    if not lines:
        raise NotScored(f"{dept} has no line {line!r} in {year}")
    declared_kinds: set[str] = set()
    for section, group, code, lname, kind, weight, computed, assessed, final, text in lines:
        out.append("")
        out.append(f"{lname} ({code}) — {final if final is not None else 'left out'} of {weight}")
        out.append(f"  {text}")
        if assessed is not None:
            out.append(f"  assessed score {assessed}")
        if final != computed:
            out.append(f"  computed {computed}, final {final} (override)")
        if kind in DECLARED_KINDS:
            declared_kinds.add(kind)
        else:
            out += _params_block(params, _node(section, group, code))
    for kind in sorted(declared_kinds):
        out += ["", f"declared lines of kind {kind} are scored by:"]
        out += _params_block(params, DECLARED_KINDS[kind])
    findings = con.execute(
        """SELECT severity, code, coalesce(line_code, '-'), message FROM v_findings
           WHERE year = ? AND dept_code = ? AND (? IS NULL OR line_code = ?)
           ORDER BY severity, code""",
        [year, dept, line, line],
    ).fetchall()
    if findings:
        out += ["", "findings:"] + [f"  {s} {c} [{lc}] {m}" for s, c, lc, m in findings]
    return "\n".join(out)


def _total(con, year, dept, total, uncapped, grade, rank, out_of, rubric) -> list[str]:
    sections = con.execute(
        "SELECT name, score, weight FROM v_section_scores WHERE year = ? AND dept_code = ? "
        "ORDER BY section_order",
        [year, dept],
    ).fetchall()
    parts = " + ".join(f"{score} ({name})" for name, score, _ in sections)
    out = [f"total {uncapped} = {parts}"]
    if uncapped != total:
        out.append(f"capped at {total} (rubric total_caps; see findings)")
    bands = ", ".join(f"{b['grade']} ≥ {b['min_total']}" for b in rubric["grades"]["bands"])
    out.append(f"grade {grade}: {bands}   [{rubric['grades']['reference']}]")
    out.append(f"rank {rank} of {out_of} in {year}")
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
    values = "; ".join(f"{p} = {_short(v)}" for p, v, _ in mine)
    refs = list(dict.fromkeys(r for _, _, r in mine))
    return [f"  parameters: {values}"] + [f"  reference: {r}" for r in refs]


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
