"""Where rules are computed: rule kinds applied to whole tables in DuckDB SQL.

``score_year`` receives validated rubrics and staged tables on a DuckDB connection
and leaves scored tables there; it never writes the warehouse itself.
"""
