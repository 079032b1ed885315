"""Intake: reading what departments send into the raw extracts.

``jixiao intake report`` reads a published self-evaluation report (.txt, .docx, .pdf)
and writes the figures it states (total and grade, section and line scores, rates,
amounts) as the department's ``self_reported`` rows, each with the sentence it came
from. One module per concept:

- ``formats/``: the text of each format (``plain``, ``word``, ``pdf``);
- ``flatten``: that text as one run of sentences (line and page breaks, radicals);
- ``rules`` (``figures.yaml``, ``radicals.yaml``): the phrases that precede each figure;
- ``numbers``: a printed number, or None when it is not one;
- ``find``: mentions of figures, then one figure per target;
- ``department``, ``checks``: whose report it is, and for which year;
- ``rows``, ``write``: the ``self_reported`` rows, and the CSV they replace;
- ``report``: the whole, every check before the one write.
"""

from pipelines.intake.errors import IntakeError
from pipelines.intake.report import Intake, intake_report

__all__ = ["Intake", "IntakeError", "intake_report"]
