"""A pydantic validation error as a (key path, message) the catalog words."""

from __future__ import annotations

import re

from pipelines.messages import DEFAULT, Message, catalog
from pipelines.rubric.errors import Invalid, Text


def validation_problem(err: dict, family: str = "rubric") -> tuple[str, Text]:
    """A pydantic error as (key path, message): a validator's own ``Invalid`` message,
    else the catalog's ``rubric.invalid.<type>`` filled from the error's context (and
    ``family``, the kind of file: ``rubric.family.<family>``)."""
    loc = ".".join(str(p) for p in err["loc"])
    kind, ctx = err["type"], dict(err.get("ctx") or {})
    error = ctx.get("error")
    if isinstance(error, Invalid):
        return loc, error.message
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "union_tag_invalid":
        ctx["tag"] = repr(err["input"].get("kind"))
    elif kind == "literal_error":
        ctx["choices"] = "、".join(re.split(r", | or ", ctx.get("expected", "")))
    key = f"rubric.invalid.{kind}"
    if key not in catalog(DEFAULT):
        key = "rubric.invalid.other"
    params = {k: v for k, v in ctx.items() if k != "error"}
    return loc, Message(key, msg=msg, family=family, **params)
