"""Scoring happens in one place: the warehouse stores what scoring returns and never
scores or binds scoring's inputs, and the rule cases run scoring with no warehouse
code at all."""

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# scoring's entry point and the binding of its inputs
SCORING = {"pipelines.scoring.engine", "pipelines.scoring.inputs"}


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, and every name it imports from one, dotted."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    return out


def test_the_warehouse_neither_scores_nor_binds_scoring_inputs():
    modules = sorted((ROOT / "pipelines" / "warehouse").rglob("*.py"))
    assert modules
    for path in modules:
        assert not imported(path) & SCORING, path.relative_to(ROOT)


def test_the_rule_cases_load_no_warehouse_module():
    code = (
        "import sys, tests.scoring.harness; "
        "print(sorted(m for m in sys.modules if m.startswith('pipelines.warehouse')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"
