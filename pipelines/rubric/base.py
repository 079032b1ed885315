"""What every rule file under rubrics/ is: a strict model of one jurisdiction and year.

A family of rule files (rubrics, draft rules, review rules) is a subclass of
``RuleFile`` naming its ``FAMILY`` and the ``FOLDER`` its files live in:
``rubrics/<FOLDER>/<jurisdiction>/<year>.yaml``, and ``id`` is that path without
``.yaml`` (``beijing/2023``, ``drafts/beijing/2023``). Everything else (reading,
``extends``, the hash, the changelog) is the same for every family:
``pipelines.rubric.files``.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pipelines.rubric.errors import Invalid

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
# a rule file named by its path under rubrics/, without .yaml
FileId = Annotated[str, StringConstraints(pattern=r"^(?:[a-z][a-z0-9_]*/)+\d{4}$")]
_PLACE = re.compile(r"[a-z][a-z0-9_]*/\d{4}")  # <jurisdiction>/<year>


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleFile(Strict):
    # the family's name in messages (its label rubric.family.<FAMILY>)
    FAMILY: ClassVar[str]
    # where its files are under rubrics/ ("" for the rubrics themselves)
    FOLDER: ClassVar[str]
    # mappings whose keys are codes of the family's tree: a key new to the parent adds an
    # entry, which must then be complete (``name``), and ``null`` removes one
    TREE_KEYS: ClassVar[frozenset[str]] = frozenset()

    id: str
    extends: FileId | None = None
    jurisdiction: Code
    year: int = Field(ge=1990, le=2200)
    title: str
    source: str

    @classmethod
    def prefix(cls) -> str:
        return f"{cls.FOLDER}/" if cls.FOLDER else ""

    @classmethod
    def id_of(cls, jurisdiction: str, year: int | str) -> str:
        return f"{cls.prefix()}{jurisdiction}/{year}"

    @classmethod
    def owns(cls, file_id: str) -> bool:
        """Whether ``file_id`` names a file of this family."""
        place = file_id.removeprefix(cls.prefix())
        return file_id.startswith(cls.prefix()) and _PLACE.fullmatch(place) is not None

    @model_validator(mode="after")
    def _named_for_its_place(self):
        if self.id != self.id_of(self.jurisdiction, self.year):
            raise Invalid("id", id=self.id_of(self.jurisdiction, self.year))
        return self
