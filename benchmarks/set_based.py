"""The set-based reference: the whole rubric scored in plain DuckDB SQL.

From the raw extracts (CSV or Parquet, as ``pipelines.samples`` writes them) to a DuckDB
file: every line score, section and department totals, grades and ranks (per jurisdiction
and year; ties share a rank, 1, 2, 2, 4). It scores what ``benchmarks/row_by_row.py``
scores, rule for rule, in a few statements per rubric rather than a loop per department,
so that the benchmark compares the pipeline with what DuckDB needs for the same scores.
The rules' parameters come from the rubric (the project's loader) as SQL literals and
small tables; the pipeline's scoring engine is not used.

Exact: numbers are read as DECIMAL(18, 4), as the pipeline stages them (more places are
rounded on reading); a rate is an integer quotient rounded half up, since DuckDB divides
decimals in DOUBLE; line scores are rounded half up at the rubric's places. Like
row_by_row it trusts its input: no validation, refusals, findings or checks; the rows a
generated year spoils on purpose are named to it (``--leave-out``). A line it cannot
score (a missing amount; an unknown group, kind, grade or direction) stops the run, and
a rubric option that row_by_row does not implement either is refused.

    python -m benchmarks.set_based RAW RUBRICS OUT.duckdb YEAR... [--leave-out RAW/spoiled.csv]
"""

from __future__ import annotations

import argparse
import time
from decimal import Decimal
from pathlib import Path

import duckdb

from benchmarks.child import report
from pipelines.rubric.library import RubricLibrary
from pipelines.rubric.model import Rubric
from pipelines.settings import DUCKDB_MEMORY_LIMIT

TRUE, FALSE = ("true", "t", "yes", "y", "1", "是"), ("false", "f", "no", "n", "0", "否")
EXTRACTS = ("departments", "budget", "indicators", "checklist", "overrides")
MACROS = f"""
-- Published tables write 19,347.12 and 6.81%.
CREATE OR REPLACE TEMP MACRO num(x) AS
    CAST(nullif(rtrim(replace(trim(x), ',', ''), '%'), '') AS DECIMAL(18, 4));
CREATE OR REPLACE TEMP MACRO yes_no(x) AS CASE WHEN lower(trim(x)) IN {TRUE} THEN true
    WHEN lower(trim(x)) IN {FALSE} THEN false ELSE error('not a yes/no value: ' || x) END;
-- Ten-thousandths as BIGINT, for rates 20 times faster than HUGEINT: a number of 10^10
-- or more (less for a rate of more than 2 places) stops the run with an overflow error.
CREATE OR REPLACE TEMP MACRO units(x) AS CAST(CAST(x AS DECIMAL(18, 4)) * 10000 AS BIGINT);
-- n / d rounded half up (away from zero). The result stays narrow: where two branches
-- of a CASE or UNION meet, DuckDB fits a DECIMAL(38, s) by dropping the other's places.
CREATE OR REPLACE TEMP MACRO div_half_up(n, d) AS
    CAST(sign(n) * sign(d) * ((2 * abs(n) + abs(d)) // (2 * abs(d))) AS DECIMAL(18, 0));
"""


def load(con, raw_dir: Path, years: list[int], leave_out: Path | None = None) -> None:
    """The raw rows of ``years`` as typed temp tables (staging, without its checks).

    ``leave_out``: the rows the generator spoiled on purpose (``pipelines.samples``
    ``--realism``, its ``spoiled.csv``), which the pipeline refuses: their departments
    are not scored that year, as the pipeline does not score them, and a spoiled budget
    row is not last year's amounts for the year after, as in the pipeline."""
    con.execute(MACROS)
    if leave_out is not None:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE left_out AS SELECT DISTINCT CAST(year AS INTEGER)"
            f" AS year, extract, dept_code FROM read_csv({_str(str(leave_out))}, header = true,"
            " all_varchar = true)"
        )
    selects: dict[str, list[str]] = {name: [] for name in EXTRACTS}
    for year in years:
        for name, columns in _sources(con, Path(raw_dir) / str(year)).items():
            where = "" if leave_out is None else _left_out(name, year)
            selects[name].append(f"SELECT {year} AS year, {columns}{where}")
    if not selects["overrides"]:  # the one optional extract
        selects["overrides"] = ["SELECT 0 AS year, '' AS dept_code, '' AS line_code, "
                                "num(NULL) AS score WHERE false"]  # fmt: skip
    for name, parts in selects.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {' UNION ALL BY NAME '.join(parts)}")


def _left_out(extract: str, year: int) -> str:
    """The WHERE that drops the rows of ``year``'s left-out departments from ``extract``:
    every row but a budget row spoiled elsewhere (the pipeline keeps it, for next year)."""
    which = "AND extract = 'budget'" if extract == "budget" else ""
    return (
        ' WHERE trim("dept_code") NOT IN '
        f"(SELECT dept_code FROM left_out WHERE year = {int(year)} {which})"
    )


def _sources(con, year_dir: Path) -> dict[str, str]:
    """extract → the SELECT list that types its rows, and ``FROM`` its file."""
    out = {}
    for name in EXTRACTS:
        files = [p for p in (year_dir / f"{name}.csv", year_dir / f"{name}.parquet") if p.exists()]
        if not files:
            if name != "overrides":
                raise FileNotFoundError(f"{year_dir}: no {name}.csv or {name}.parquet")
            continue
        path = _str(str(files[0]))
        source = f"read_csv({path}, header = true, all_varchar = true, quote = '\"')"
        source = source if files[0].suffix == ".csv" else f"read_parquet({path})"
        have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}

        def col(c: str, have=have) -> str:  # the writer leaves out a column with no value
            return f'trim("{c}")' if c in have else "CAST(NULL AS VARCHAR)"

        quantitative = f"{col('kind')} = 'quantitative'"  # else target and actual are grades
        line = f"{col('line_code')} AS line_code"
        cols = {
            "departments": f"{col('jurisdiction')} AS jurisdiction",
            "budget": ", ".join(f'num("{c}") AS "{c}"' for c in sorted(have - {"dept_code"})),
            "indicators": f"""{line}, {col("group")} AS grp, {col("kind")} AS kind,
                {col("target")} AS target, {col("actual")} AS actual, num(weight) AS weight,
                CASE WHEN {quantitative} THEN num(target) END AS target_num,
                CASE WHEN {quantitative} THEN num(actual) END AS actual_num,
                coalesce(nullif({col("direction")}, ''), 'positive') AS direction,
                num({col("assessed_score")}) AS assessed""",
            "checklist": f"{line}, yes_no(passed) AS passed",
            "overrides": f"{line}, num({col('score')}) AS score",
        }[name]
        out[name] = f"{col('dept_code')} AS dept_code, {cols} FROM {source}"
    return out


def score(con, library: RubricLibrary) -> None:
    """Score every department of the loaded years into the tables of ``con``'s file."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE scored AS  -- departments with a budget row
        SELECT * FROM departments JOIN budget USING (year, dept_code);
        CREATE OR REPLACE TEMP TABLE failures AS SELECT year, dept_code, line_code,
            count(*) FILTER (WHERE NOT passed) AS failed FROM checklist GROUP BY ALL""")
    pairs = con.execute("SELECT DISTINCT year, jurisdiction FROM scored ORDER BY ALL").fetchall()
    rubrics = [_supported(library.get(j, y).rubric) for y, j in pairs]
    budget_cols = {r[0] for r in con.execute("DESCRIBE budget").fetchall()}
    lines = " UNION ALL ".join(_lines(r, budget_cols) for r in rubrics)
    con.execute(f"CREATE OR REPLACE TABLE line_scores AS {lines}")
    unscored = con.execute(
        "SELECT year, dept_code, line_code FROM line_scores WHERE final_score IS NULL LIMIT 1"
    ).fetchall()
    if unscored:
        raise ValueError(f"cannot score {unscored[0]}: a missing or malformed input")
    sections = _values([(r.year, r.jurisdiction, s) for r in rubrics for s in r.sections])
    bands = [
        (r.year, r.jurisdiction, b.grade, b.min_total) for r in rubrics for b in r.grades.bands
    ]
    con.execute(f"""
        CREATE OR REPLACE TABLE section_scores AS
        SELECT b.year, b.dept_code, s.section, coalesce(l.score, 0) AS score
        FROM scored b JOIN {sections} s(year, jurisdiction, section)
             ON s.year = b.year AND s.jurisdiction = b.jurisdiction
        LEFT JOIN (SELECT year, dept_code, section, sum(final_score) AS score
                   FROM line_scores GROUP BY ALL) l
             ON l.year = b.year AND l.dept_code = b.dept_code AND l.section = s.section;
        -- bands fall from the best grade; the first one reached is the grade (half-open)
        CREATE OR REPLACE TABLE department_scores AS
        SELECT t.year, t.dept_code, t.jurisdiction, t.total_score, g.grade,
               rank() OVER (PARTITION BY t.year, t.jurisdiction ORDER BY t.total_score DESC)
                   AS rank
        FROM (SELECT b.year, b.dept_code, b.jurisdiction,
                     CAST(sum(s.score) AS DECIMAL(18, 2)) AS total_score
              FROM scored b JOIN section_scores s USING (year, dept_code) GROUP BY ALL) t
        ASOF LEFT JOIN {_values(bands)} g(year, jurisdiction, grade, min_total)
             ON g.year = t.year AND g.jurisdiction = t.jurisdiction
                AND t.total_score >= g.min_total""")


def _supported(rubric: Rubric) -> Rubric:
    """The rubric, if it uses only what row_by_row implements; else NotImplementedError."""
    nodes = [n for s in rubric.sections.values() for n in (s, *s.groups.values())]
    unsupported = [f"aggregation {n.aggregation}" for n in nodes if n.aggregation != "sum"]
    unsupported += ["total_caps"] if rubric.total_caps else []
    unsupported += [
        f"{p.code}: {p.line.rule.kind}{' proportional' * getattr(p.line.rule, 'proportional', 0)}"
        for p in rubric.fixed_lines()
        if p.line.rule.kind not in ("ratio", "checklist", "step_deduction")
        or getattr(p.line.rule, "proportional", False)
    ]
    rules = rubric.indicator_rules
    if rules and (rules.quantitative.kind != "indicator_ratio" or rules.outcomes):
        unsupported.append(f"indicator_rules {rules.quantitative.kind} {sorted(rules.outcomes)}")
    if unsupported:
        raise NotImplementedError(f"{rubric.id}: " + "; ".join(unsupported))
    return rubric


def _lines(rubric: Rubric, budget_cols: set[str]) -> str:
    """One SELECT of every line score of the departments ``rubric`` applies to."""
    rp, sp = rubric.numbers.rate_places, rubric.numbers.score_places
    this = f"b.year = {rubric.year} AND b.jurisdiction = {_str(rubric.jurisdiction)}"

    def amount(table: str, column: str) -> str:  # an absent column: the line is not scored
        return f'{table}."{column}"' if column in budget_cols else "NULL"

    def pct(n: str, d: str) -> str:  # a rate is rounded before use (docs/decisions.md#numbers)
        return f"(div_half_up(units({n}) * {100 * 10**rp}, units({d})) * {_dec(1, rp)})"

    def rate(r, t: str) -> str:
        if r.kind == "share":
            return pct(amount(t, r.numerator), amount(t, r.denominator))
        change = f"({amount(t, r.value)} - {amount(t, r.base)})"
        return pct(f"abs{change}" if r.absolute else change, amount(t, r.base))

    parts = []
    for placed in rubric.fixed_lines():
        rule, w, src = placed.line.rule, _dec(placed.line.weight), "scored b"
        if rule.kind == "ratio":
            ratio = pct(amount("b", rule.numerator), amount("b", rule.denominator))
            computed = f"least({ratio}, {_dec(rule.cap_pct)}) * {w} * 0.01"
        elif rule.kind == "checklist":
            src += f""" LEFT JOIN failures f ON f.year = b.year AND f.dept_code = b.dept_code
                        AND f.line_code = {_str(placed.code)}"""
            computed = f"greatest({w} - coalesce(f.failed, 0) * {_dec(rule.deduct_per_failure)}, 0)"
        else:
            if rule.baseline.kind == "reference":
                base = _dec(rule.baseline.value_pct)
            else:  # last year's own amounts beat the extract's claimed rate
                claimed, last = amount("b", rule.baseline.fallback_column), rate(rule.rate, "p")
                base = f"CASE WHEN p.dept_code IS NULL THEN {claimed} ELSE {last} END"
            src = f"""(SELECT b.*, {rate(rule.rate, "b")} AS rate, {base} AS baseline FROM scored b
                       LEFT JOIN budget p ON p.year = b.year - 1 AND p.dept_code = b.dept_code) b"""
            # whole steps of a positive excess, exactly; the edge itself counts as a step
            steps = f"CAST(units(b.rate - b.baseline) // units({_dec(rule.step_pct)}) AS BIGINT)"
            # no baseline to compare with: full weight, never a silent 0
            computed = f"""CASE WHEN b.baseline IS NULL OR b.rate <= b.baseline THEN {w}
                           ELSE greatest({w} - {steps} * {_dec(rule.deduct_per_step)}, 0) END"""
        parts.append(f"""SELECT b.year, b.dept_code, {_str(placed.code)} AS line_code,
                         {_str(placed.section)} AS section, round({computed}, {sp}) AS computed
                         FROM {src} WHERE {this}""")
    if rubric.declared_groups():
        parts.append(_declared(rubric, pct, this))
    union = " UNION ALL ".join(f"({p})" for p in parts)
    # An approved override replaces the line's score; both are rounded alike.
    return f"""SELECT l.year, l.dept_code, l.line_code, l.section,
                      CAST(l.computed AS DECIMAL(18, {sp})) AS computed_score,
                      CAST(coalesce(round(o.score, {sp}), l.computed) AS DECIMAL(18, {sp}))
                          AS final_score
               FROM ({union}) l LEFT JOIN overrides o USING (year, dept_code, line_code)"""


def _declared(rubric: Rubric, pct, this: str) -> str:
    """The SELECT of the lines departments declare, each rounded at the rubric's places."""
    q, g = rubric.indicator_rules.quantitative, rubric.indicator_rules.qualitative
    cap, w, sp = _dec(q.cap_pct), "i.weight", rubric.numbers.score_places
    # Over-achievement is compared exactly (unrounded); the highest band reached counts.
    over = " ".join(
        f"WHEN (i.actual_num - i.target_num) * 100 >= {_dec(b.min_over_pct)} * i.target_num"
        f" THEN {_dec(b.deduct_pct_of_weight)}"
        for b in sorted(q.over_achievement, key=lambda b: b.min_over_pct, reverse=True)
    )
    achieved = f"least({pct('i.actual_num', 'i.target_num')}, {cap}) * {w} * 0.01"
    positive = f"greatest({achieved} - {w} * CASE {over} ELSE 0 END * 0.01, 0)"
    if not over:
        positive = achieved
    reverse = f"""least(CASE WHEN i.actual_num = 0 THEN {_dec(q.reverse_zero_actual_pct)}
                  ELSE {pct("i.target_num", "i.actual_num")} END, {cap}) * {w} * 0.01"""
    grades = f"[{', '.join(map(_str, g.grades))}]"
    shares = ", ".join(_dec(b.default_share_pct) for b in g.bands_by_shortfall)
    shortfall = (
        f"greatest(list_position({grades}, i.actual) - list_position({grades}, i.target), 0)"
    )
    band = f"least({shortfall}, {len(g.bands_by_shortfall) - 1}) + 1"
    # The assessor's score counts even outside its band (the pipeline only warns).
    qualitative = f"""CASE WHEN {shortfall} IS NOT NULL THEN coalesce(i.assessed,
                      {w} * CAST([{shares}] AS DECIMAL(9, 4)[])[{band}] * 0.01) END"""
    groups = _values([(grp, s) for grp, (s, _) in rubric.declared_groups().items()])
    # Each kind is rounded before the CASE joins them, for the reason div_half_up gives.
    return f"""SELECT i.year, i.dept_code, i.line_code, d.section, CASE
                   WHEN d.section IS NULL THEN NULL  -- not a declared group: not scored
                   WHEN i.kind = 'qualitative' THEN round({qualitative}, {sp})
                   WHEN i.kind IS DISTINCT FROM 'quantitative' THEN NULL
                   WHEN i.direction = 'positive' THEN round({positive}, {sp})
                   WHEN i.direction = 'reverse' THEN round({reverse}, {sp}) END AS computed
               FROM indicators i JOIN scored b ON b.year = i.year AND b.dept_code = i.dept_code
               LEFT JOIN {groups} d(grp, section) ON d.grp = i.grp
               WHERE {this}"""


def _str(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _dec(value, places: int = 0) -> str:
    """An exact literal: DuckDB reads 28.3 as DECIMAL(3, 1), the narrowest type."""
    return format(Decimal(value).scaleb(-places), "f")


def _values(rows: list[tuple]) -> str:
    def literal(v) -> str:
        return str(v) if isinstance(v, int) else _dec(v) if isinstance(v, Decimal) else _str(v)

    return "(VALUES " + ", ".join("(" + ", ".join(map(literal, r)) + ")" for r in rows) + ")"


def run(
    raw_dir: Path, rubrics_dir: Path, out: Path, years: list[int], leave_out: Path | None = None
) -> dict[str, float]:
    """Load and score ``years`` into DuckDB file ``out``; the seconds of each stage."""
    start = time.perf_counter()
    with duckdb.connect(str(out)) as con:
        con.execute(f"SET memory_limit = {_str(DUCKDB_MEMORY_LIMIT)}")  # the pipeline's limit
        load(con, raw_dir, sorted(years), leave_out)
        loaded = time.perf_counter()
        score(con, RubricLibrary(rubrics_dir))
    end = time.perf_counter()
    return {"load": loaded - start, "score": end - loaded, "end to end": end - start}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.set_based", description=__doc__)
    p.add_argument("raw", type=Path, help="folder of <year>/ extracts")
    p.add_argument("rubrics", type=Path, help="folder of <jurisdiction>/<year>.yaml")
    p.add_argument("out", type=Path, help="DuckDB file to write")
    p.add_argument("years", type=int, nargs="+", metavar="YEAR")
    p.add_argument("--leave-out", type=Path, metavar="CSV",
                   help="rows spoiled on purpose (samples --realism: spoiled.csv)")  # fmt: skip
    args = p.parse_args(argv)
    seconds = run(args.raw, args.rubrics, args.out, args.years, args.leave_out)  # one JSON line
    with duckdb.connect(str(args.out), read_only=True) as con:
        [(departments, lines)] = con.execute(
            "SELECT (SELECT count(*) FROM department_scores), (SELECT count(*) FROM line_scores)"
        ).fetchall()
    report(seconds=seconds, departments=departments, line_rows=lines)


if __name__ == "__main__":
    main()
