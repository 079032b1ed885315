"""Dagster features this code location relies on that Dagster marks beta or preview:
partitioned asset checks, and a partition mapping that tolerates a missing first
year. The warnings are about Dagster's API stability; they are silenced here once,
so operators' logs show only what concerns the data."""

import warnings

import dagster as dg

warnings.filterwarnings("ignore", category=dg.PreviewWarning)
warnings.filterwarnings("ignore", category=dg.BetaWarning)
