"""Where a rule is defined: the rule files under rubrics/ (rubrics, draft rules, review
rules), their one loader, ``extends``, content hash and changelog; the rubric model.

Knows nothing of DuckDB or Dagster. ``load_rubric`` returns a validated ``Rubric``
or raises ``RubricError`` naming file and key path of every problem; ``load_file`` and
``find`` do the same for a file of any family (a ``RuleFile``).
"""

from pipelines.rubric.base import RuleFile
from pipelines.rubric.errors import RubricError, RubricMissing
from pipelines.rubric.files import content_hash, find, load_file
from pipelines.rubric.load import load_rubric, rubric_path
from pipelines.rubric.model import Rubric

__all__ = [
    "Rubric",
    "RubricError",
    "RubricMissing",
    "RuleFile",
    "content_hash",
    "find",
    "load_file",
    "load_rubric",
    "rubric_path",
]
