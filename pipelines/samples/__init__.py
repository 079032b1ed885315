"""Deterministic synthetic raw extracts shaped by a year's rubric (see ``generate``)."""

from pipelines.samples.generate import generate

__all__ = ["generate"]
