"""SQL that proves rows clean, so that pandera need only judge the others.

For each contract column, ``cell_sql`` gives (canonical text, is-clean) over the raw
text. A cell is *clean* when it is already written the canonical way (or in one of a
few spellings mapped here exactly as ``normalise`` maps them: 是/否, aliases, a trailing
%) and passes its format check. The rule for this module: a row proved clean here is
a row ``normalise`` + the pandera schema + the checks of ``context`` would accept,
unchanged. Anything unsure (other spellings, full-width digits, thousands separators,
an outcome token, a value at a bound) is *not* proved clean and goes to pandera, which
decides and words any refusal. tests/ingest/test_bulk_lane.py holds the two lanes equal.
"""

from __future__ import annotations

from pipelines.ingest.context import OUTCOME_TOKENS, TOTAL_WORDS
from pipelines.ingest.normalise import _FALSE, _TRUE
from pipelines.ingest.spec import ColumnSpec, ExtractSpec

# Characters NFKC leaves alone: printable ASCII and the CJK unified ideographs.
PLAIN = r"[\x20-\x7E\x{4E00}-\x{9FFF}]*"
PLAIN_NO_COMMA = r"[\x20-\x2B\x2D-\x7E\x{4E00}-\x{9FFF}]*"
# Whitespace Python's str.strip() removes beyond the ASCII space DuckDB's trim() does.
OTHER_SPACE = (
    r"[\t\n\x0B\f\r\x1C-\x1F\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}"
    r"\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"
)
NUMBER = r"-?\d{1,14}(\.\d{1,4})?"
INTEGER = r"[1-9][0-9]{0,8}|0"  # no leading zero: "01" is for normalise to read
CODE = r"[\x21-\x7E\x{4E00}-\x{9FFF}]{1,64}"  # schemas.CODE (\S{1,64}) over PLAIN
DATE = r"\d{4}-\d{2}-\d{2}"


def lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _in(expr: str, values) -> str:
    values = sorted(set(values))
    return f"({expr} IN ({', '.join(map(lit, values))}))" if values else "false"


def _map(expr: str, mapping: dict[str, str], otherwise: str) -> str:
    if not mapping:
        return otherwise
    whens = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in sorted(mapping.items()))
    return f"CASE {expr} {whens} ELSE {otherwise} END"


def cell_sql(col: ColumnSpec, t: str | None) -> tuple[str, str]:
    """(canonical text, clean) for a column whose cell is ``t``: its raw text trimmed,
    NULL when blank (``NULLIF(trim(raw), '')``), or None when the file has no such column."""
    default = lit(col.default) if col.default is not None else "NULL"
    if t is None:
        return default, "true" if not col.required else "false"
    low = f"lower({t})"
    # Each format below admits only characters NFKC leaves alone (ASCII digits, listed
    # words, PLAIN), so a clean cell is one Python would not have changed either.
    if col.type == "text":
        canon, ok = t, f"NOT regexp_matches({t}, '^{OTHER_SPACE}|{OTHER_SPACE}$')"
    elif col.type in ("amount", "number"):
        canon, ok = t, f"regexp_full_match({t}, '{NUMBER}')"
    elif col.type == "percent":
        canon = f"CASE WHEN suffix({t}, '%') THEN left({t}, length({t}) - 1) ELSE {t} END"
        ok = f"regexp_full_match({t}, '{NUMBER}%?')"
    elif col.type == "integer":
        canon, ok = t, f"regexp_full_match({t}, '{INTEGER}')"
    elif col.type == "code":
        canon, ok = t, f"regexp_full_match({t}, '{CODE}')"
    elif col.type == "date":
        canon, ok = t, f"regexp_full_match({t}, '{DATE}')"
    elif col.type == "bool":
        canon = (
            f"CASE WHEN {_in(low, _TRUE)} THEN 'true' "
            f"WHEN {_in(low, _FALSE)} THEN 'false' ELSE {t} END"
        )
        ok = _in(low, _TRUE | _FALSE)
    elif col.type == "choice":
        aliases = {k.lower(): v for k, v in col.aliases.items()}
        canon = _map(low, aliases, low)
        ok = _in(canon, col.choices)
    elif col.type == "grade_or_number":  # which of the two is the row check's to say
        aliases = {k.lower(): v for k, v in col.aliases.items()}
        # PLAIN without the comma: "1,234" is for normalise to read
        canon, ok = _map(low, aliases, t), f"regexp_full_match({t}, '{PLAIN_NO_COMMA}')"
    else:
        raise ValueError(f"no bulk rule for column type {col.type!r}")
    if col.default is not None:
        canon = f"COALESCE({canon}, {default})"
    clean = f"{canon} IS NOT NULL AND {ok}" if col.required else f"{t} IS NULL OR {ok}"
    if col.positive:
        clean = f"({clean}) AND TRY_CAST({canon} AS DECIMAL(18,4)) > 0"
    return canon, f"coalesce({clean}, false)"  # NULL is not a proof


def context_sql(spec: ExtractSpec, year: int, max_multiple: int | None) -> str:
    """Row conditions under which every check of ``context`` for this extract passes,
    over the canonical columns plus ``rubric_id`` (the department's rubric, or NULL).
    The ``ctx_*`` key tables are the ones ``bulk.context_tables`` builds."""
    conds = [
        f"NOT {_in('lower(dept_code)', TOTAL_WORDS)}",
        f"(fiscal_year IS NULL OR fiscal_year = {lit(str(year))})",
    ]
    known = "dept_code IN (SELECT key FROM ctx_departments)"

    def member(table: str, *cols: str) -> str:
        key = " || '|' || ".join(["rubric_id", *cols])
        return f"({key}) IN (SELECT key FROM {table})"

    def num(col: str) -> str:
        return f"TRY_CAST({col} AS DECIMAL(18,4))"

    if spec.name == "departments":
        return " AND ".join(conds)
    if spec.name == "budget":
        conds.append(known)
        if max_multiple:  # at the bound itself pandera decides
            conds.append(f"{num('executed')} < {int(max_multiple)} * {num('full_year_budget')}")
    elif spec.name == "indicators":
        quantitative = (
            f"kind = 'quantitative' AND regexp_full_match(target, '{NUMBER}') "
            f"AND regexp_full_match(actual, '{NUMBER}') AND {num('target')} > 0 "
            f"AND {num('actual')} >= 0"
        )
        qualitative = (
            f"kind = 'qualitative' AND {member('ctx_grades', 'target')} "
            f"AND {member('ctx_grades', 'actual')}"
        )
        conds += [
            known,
            member("ctx_groups", '"group"'),
            f"NOT {_in('actual', OUTCOME_TOKENS)}",
            f"(({quantitative}) OR ({qualitative}))",
            f"(assessed_score IS NULL OR ({num('assessed_score')} >= 0 "
            f"AND {num('assessed_score')} <= {num('weight')}))",
        ]
    elif spec.name == "checklist":
        conds += [known, member("ctx_criteria", "line_code", "criterion_no")]
    elif spec.name == "self_reported":
        conds.append(known)
    else:
        return "false"  # overrides, or an extract not described here: pandera judges all
    return " AND ".join(conds)
