"""The budget rates a report prints (glossary: execution_rate, carryover_rate, …).

They are derived from the raw amounts once, with the rubric's rounding, so a
report never copies a rate from a (possibly garbled) published table. A rule that
uses a rate computes it from its own rubric parameters; these are for reading.
"""

MEASURES = {
    "execution_rate": ("executed", "full_year_budget"),
    "basic_execution_rate": ("basic_executed", "basic_budget"),
    "project_execution_rate": ("project_executed", "project_budget"),
    "other_execution_rate": ("other_executed", "other_budget"),
    "carryover_rate": ("carryover_total", "full_year_budget"),
    "budget_final_diff_rate": ("abs(final_accounts - initial_budget)", "initial_budget"),
}


def insert_sql() -> str:
    """INSERT of one rubric's departments into ``scored_rates`` (macros already set)."""
    cols = ", ".join(f"jx_pct({n}, {d}) AS {name}" for name, (n, d) in MEASURES.items())
    return (
        f"INSERT INTO scored_rates SELECT dept_code, {cols} "
        "FROM stg_budget JOIN scope USING (dept_code)"
    )


def table_ddl(temp: bool) -> str:
    cols = ", ".join(f"{name} DECIMAL(18,4)" for name in MEASURES)
    kind = "OR REPLACE TEMP TABLE scored_rates" if temp else "TABLE IF NOT EXISTS budget_rates"
    extra = "" if temp else "year INTEGER NOT NULL, "
    return f"CREATE {kind} ({extra}dept_code VARCHAR, {cols}{'' if temp else ', run_id VARCHAR'})"
