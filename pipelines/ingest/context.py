"""Checks that need more than one file: known departments and the department's rubric.

Each function returns the ``RowCheck``s for one extract. A rubric's groups, grades,
checklist lines and line weights come from the rubric object, never from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.ingest.refusals import refusal
from pipelines.ingest.schemas import RowCheck, numeric
from pipelines.rubric import Rubric
from pipelines.rubric.rules import Outcome

OUTCOME_TOKENS = list(Outcome.__args__)


@dataclass(frozen=True)
class Context:
    """What the other files and the rubrics say about a year."""

    departments: frozenset[str]
    rubric_of: dict[str, Rubric]  # dept_code → its jurisdiction's rubric for the year

    def no_rubric(self, df: pd.DataFrame) -> pd.Series:
        """Rows a rubric check cannot judge: unknown departments (refused on their own)
        and departments whose jurisdiction has no rubric (refused in departments)."""
        return ~df["dept_code"].isin(self.rubric_of.keys())

    def rubric_ids(self, dept: pd.Series) -> pd.Series:
        return dept.map({d: r.id for d, r in self.rubric_of.items()})

    def rubrics(self) -> list[Rubric]:
        return list({r.id: r for r in self.rubric_of.values()}.values())


# A 合计 row in an extract is a sum someone typed: totals are derived here, never read.
TOTAL_WORDS = {"合计", "总计", "小计", "total", "sum", "subtotal"}


def is_total(df: pd.DataFrame) -> pd.Series:
    return df["dept_code"].fillna("").str.lower().isin(TOTAL_WORDS)


def every_extract(year: int) -> list[RowCheck]:
    """Checks every extract gets: no total rows, and no row of another fiscal year."""
    return [
        RowCheck(
            "dept_code",
            refusal("total_row"),
            lambda df: ~is_total(df),
        ),
        RowCheck(
            "fiscal_year",
            refusal("other_fiscal_year", year=year),
            lambda df: df["fiscal_year"].isna() | (numeric(df["fiscal_year"]) == year),
        ),
    ]


def known_department(ctx: Context, source: str) -> RowCheck:
    return RowCheck(
        "dept_code",
        refusal("unknown_department", source=source),
        lambda df: df["dept_code"].isin(ctx.departments) | df["dept_code"].isna() | is_total(df),
    )


def budget_checks(ctx: Context, source: str, max_multiple: int | None) -> list[RowCheck]:
    checks = [known_department(ctx, source)]
    if max_multiple:
        checks.append(
            RowCheck(
                "executed",
                refusal("executed_over_budget", multiple=max_multiple),
                lambda df: (
                    ~(
                        (numeric(df["full_year_budget"]) > 0)  # ≤ 0 is refused on its own
                        & (numeric(df["executed"]) > max_multiple * numeric(df["full_year_budget"]))
                    )
                ),
            )
        )
    return checks


def _pairs(df: pd.DataFrame, ctx: Context, column: str) -> pd.Series:
    return ctx.rubric_ids(df["dept_code"]) + "|" + df[column].astype(str)


def indicator_checks(ctx: Context, source: str) -> list[RowCheck]:
    groups = {f"{r.id}|{g}" for r in ctx.rubrics() for g in r.declared_groups()}
    groups_text = "; ".join(f"{r.id}: {', '.join(r.declared_groups())}" for r in ctx.rubrics())
    grades = {
        f"{r.id}|{g}"
        for r in ctx.rubrics()
        if r.indicator_rules
        for g in r.indicator_rules.qualitative.grades
    }
    grades_text = "; ".join(
        f"{r.id}: {', '.join(r.indicator_rules.qualitative.grades)}"
        for r in ctx.rubrics()
        if r.indicator_rules
    )

    def outcome(df, col):
        """An outcome instead of a value (only in actual); whether the rubric accepts it
        is the outcome check's to say, so the value checks let it pass."""
        return (col == "actual") & df[col].isin(OUTCOME_TOKENS)

    def quantitative(df):
        return df["kind"] == "quantitative"

    def qualitative(df):
        return df["kind"] == "qualitative"

    def is_number(s):
        return s.str.fullmatch(r"-?\d{1,14}(\.\d{1,4})?").fillna(False).astype(bool)

    checks = [known_department(ctx, source)]
    checks.append(
        RowCheck(
            "group",
            refusal("unknown_group", groups=groups_text),
            lambda df: _pairs(df, ctx, "group").isin(groups) | ctx.no_rubric(df),
        )
    )
    for col in ("target", "actual"):
        checks.append(
            RowCheck(
                col,
                refusal("quantitative_needs_number", column=col),
                lambda df, col=col: ~quantitative(df) | is_number(df[col]) | outcome(df, col),
            )
        )
        checks.append(
            RowCheck(
                col,
                refusal("qualitative_needs_grade", column=col, grades=grades_text),
                lambda df, col=col: (
                    ~qualitative(df)
                    | _pairs(df, ctx, col).isin(grades)
                    | outcome(df, col)
                    | ctx.no_rubric(df)
                ),
            )
        )
    checks += outcome_checks(ctx)
    checks += [
        RowCheck(
            "target",
            refusal("target_not_positive"),
            lambda df: ~quantitative(df) | ~is_number(df["target"]) | (numeric(df["target"]) > 0),
        ),
        RowCheck(
            "actual",
            refusal("actual_negative"),
            lambda df: ~quantitative(df) | ~is_number(df["actual"]) | (numeric(df["actual"]) >= 0),
        ),
        RowCheck(
            "assessed_score",
            refusal("assessed_score_out_of_range"),
            lambda df: (
                df["assessed_score"].isna()
                | numeric(df["weight"]).isna()  # a bad weight is refused on its own
                | (
                    (numeric(df["assessed_score"]) >= 0)
                    & (numeric(df["assessed_score"]) <= numeric(df["weight"]))
                )
            ),
        ),
    ]
    return checks


def outcome_checks(ctx: Context) -> list[RowCheck]:
    """An outcome in ``actual`` that the department's rubric does not accept. One check
    per rubric, so that a refusal names what the department's own rubric accepts."""
    checks = []
    for r in ctx.rubrics():
        accepted = list(r.indicator_rules.outcomes) if r.indicator_rules else []
        why = (
            refusal("outcome_not_accepted", rubric=r.id, outcomes=", ".join(accepted))
            if accepted
            else refusal("outcome_not_declared", rubric=r.id)
        )
        checks.append(
            RowCheck(
                "actual",
                why,
                lambda df, rid=r.id, accepted=accepted: (
                    ~df["actual"].isin(OUTCOME_TOKENS)
                    | (ctx.rubric_ids(df["dept_code"]) != rid)  # another rubric's, or none
                    | df["actual"].isin(accepted)
                ),
            )
        )
    return checks


def checklist_checks(ctx: Context, source: str) -> list[RowCheck]:
    counts = {
        f"{r.id}|{line}": n for r in ctx.rubrics() for line, n in r.checklist_criteria().items()
    }
    lines_text = "; ".join(
        f"{r.id}: " + ", ".join(f"{k} (1–{n})" for k, n in r.checklist_criteria().items())
        for r in ctx.rubrics()
    )

    def known(df):
        return ctx.no_rubric(df)

    def limit(df):
        return _pairs(df, ctx, "line_code").map(counts)

    return [
        known_department(ctx, source),
        RowCheck(
            "line_code",
            refusal("not_a_checklist_line", lines=lines_text),
            lambda df: known(df) | limit(df).notna(),
        ),
        RowCheck(
            "criterion_no",
            refusal("criterion_out_of_range", lines=lines_text),
            lambda df: (
                known(df)
                | limit(df).isna()
                | numeric(df["criterion_no"]).isna()
                | numeric(df["criterion_no"]).between(1, limit(df))
            ),
        ),
    ]


def override_checks(ctx: Context, source: str, declared: pd.DataFrame) -> list[RowCheck]:
    """An override must name a line the department has, with a score within its weight."""
    weights = {
        f"{d}|{p.code}": p.line.weight for d, r in ctx.rubric_of.items() for p in r.fixed_lines()
    }
    for row in declared[["dept_code", "line_code", "weight"]].itertuples(index=False):
        weights[f"{row.dept_code}|{row.line_code}"] = row.weight
    weight_num = {k: float(v) for k, v in weights.items()}

    def key(df):
        return df["dept_code"].astype(str) + "|" + df["line_code"].astype(str)

    return [
        known_department(ctx, source),
        RowCheck(
            "line_code",
            refusal("not_a_department_line"),
            lambda df: key(df).isin(weights) | ctx.no_rubric(df),
        ),
        RowCheck(
            "score",
            refusal("override_score_out_of_range"),
            lambda df: (
                ~key(df).isin(weights)
                | ((numeric(df["score"]) >= 0) & (numeric(df["score"]) <= key(df).map(weight_num)))
            ),
        ),
    ]


def self_reported_checks(ctx: Context, source: str) -> list[RowCheck]:
    return [known_department(ctx, source)]
