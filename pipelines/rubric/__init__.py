"""Where a rule is defined: the rubric model, its loading from rubrics/ and its hash.

Knows nothing of DuckDB or Dagster. ``load_rubric`` returns a validated ``Rubric``
or raises ``RubricError`` naming file and key path of every problem.
"""

from pipelines.rubric.load import RubricError, RubricMissing, load_rubric, rubric_path
from pipelines.rubric.model import Rubric

__all__ = ["Rubric", "RubricError", "RubricMissing", "load_rubric", "rubric_path"]
