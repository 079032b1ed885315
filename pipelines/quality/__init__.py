"""Quality checks over the staged and scored data: reconciliation findings (SQL) and
Great Expectations suites on the warehouse tables."""
