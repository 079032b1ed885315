"""Text normalisation, once, at staging: the ways people write a value → one canonical text.

Full-width digits and punctuation (１９，３４７．１２) become ASCII (NFKC), thousands
separators go, a trailing % on a rate goes, 是/否 become true/false. What still does
not look like its type is left as written, so the schema refuses it and the refusal
shows the value the data team sent.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from pipelines.ingest.spec import ColumnSpec

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?%?$")
_TRUE = {"true", "t", "yes", "y", "1", "是", "合格", "通过", "√"}
_FALSE = {"false", "f", "no", "n", "0", "否", "不合格", "未通过", "×"}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _nfkc(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def _strip(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value).strip() or None


def normalise_column(series: pd.Series, col: ColumnSpec) -> pd.Series:
    # Names and notes keep their own punctuation (（市外办）stays full-width).
    s = series.map(_strip if col.type == "text" else _nfkc)
    if col.type in ("amount", "number", "percent", "integer"):
        s = s.map(_numeric_text, na_action="ignore")
        if col.type == "percent":
            s = s.str.removesuffix("%")
        elif col.type == "integer":  # "01" and "1" are the same criterion
            s = s.map(lambda v: str(int(v)) if v.isdigit() else v, na_action="ignore")
    elif col.type == "bool":
        s = s.map(_bool_text, na_action="ignore")
    elif col.type == "choice":
        aliases = {k.lower(): v for k, v in col.aliases.items()}
        s = s.map(lambda v: aliases.get(v.lower(), v.lower()), na_action="ignore")
    elif col.type == "date":
        s = s.map(_date_text, na_action="ignore")
    elif col.type == "grade_or_number":
        aliases = {k.lower(): v for k, v in col.aliases.items()}
        s = s.map(
            lambda v: _numeric_text(v) if _THOUSANDS.match(v) else aliases.get(v.lower(), v),
            na_action="ignore",
        )
    if col.default is not None:
        s = s.fillna(col.default)
    return s


def _numeric_text(value: str) -> str:
    value = value.replace(" ", "")
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    if value.startswith("+"):
        value = value[1:]
    return value


def _bool_text(value: str) -> str:
    low = value.lower()
    if low in _TRUE:
        return "true"
    if low in _FALSE:
        return "false"
    return value


def _date_text(value: str) -> str:
    m = _DATE.match(value)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else value
