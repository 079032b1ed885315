"""Drafts of a department report's 五（二）存在的问题及原因分析 and 六、措施建议.

Each sentence comes from a rule kept as data, beside the rubrics and versioned the
same way: ``rubrics/drafts/<jurisdiction>/<year>.yaml`` (``rules``: a family of rule
files, loaded as a rubric is, ``extends`` included). A rule is a condition over the
warehouse (its ``kind``: one module of ``kinds``, with its thresholds in the file) and
the catalog keys of its sentences (``draft.*``). Every sentence cites its evidence: the
figures of the warehouse it was drawn from, each with the view or table, the key and
the column it was read from.

The conditions are evaluated in SQL when the reports are built, one query per rule
for a chunk of departments (``query``); the sentences are rendered from the catalog in
the current language when the report is built (``sentences``), never stored.
"""

from pipelines.reports.drafts.common import DraftRule, Evidence
from pipelines.reports.drafts.query import ChunkDrafts, query_chunk
from pipelines.reports.drafts.rules import (
    FOLDER,
    DraftRules,
    RulesInUse,
    load_rules,
    rules_for,
    rules_path,
)
from pipelines.reports.drafts.sentences import Drafts, Sentence, render
from pipelines.rubric.files import content_hash

__all__ = [
    "FOLDER",
    "ChunkDrafts",
    "DraftRule",
    "DraftRules",
    "Drafts",
    "Evidence",
    "RulesInUse",
    "Sentence",
    "content_hash",
    "load_rules",
    "query_chunk",
    "render",
    "rules_for",
    "rules_path",
]
