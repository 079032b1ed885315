"""Fiscal years as Dagster partitions: one partition per year, keyed "2023"."""

import dagster as dg

# end_offset=1 keeps the current (open) fiscal year selectable for preliminary runs.
fiscal_years = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", start="2015", fmt="%Y", end_offset=1
)
