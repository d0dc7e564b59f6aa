"""One row's person and residence cells (kinds.common.person_and_residence), read by
data.interchange.row_cells: the values the column path gives, or Unsure."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from data import catalog
from data.few_rows import FewRows
from data.interchange import row_cells as cells
from data.interchange.kinds.common import PHONE_RE, SEX_ALIASES
from data.interchange.row_cells import Unsure
from data.lookups import RefContext
from data.refdata import district_geo_key

# In printable ASCII (row_cells.ascii_printable) RE2's \s, which the column path's
# patterns use, is the space alone.
_ID_SEPARATORS = re.compile(r"[ .-]")
_PHONE_SEPARATORS = re.compile(r"[ .()-]")
_INTL_PHONE = re.compile(r"\+?84[0-9]{9}", re.ASCII)
_PHONE = re.compile(PHONE_RE.replace(r"\d", "[0-9]"), re.ASCII)
_AGE_EDGES = [lo for _, _, lo, _ in catalog.AGE_BANDS[1:]]

Row = dict[str, Any]
# The dtype of parse.sql_date's and parse.sql_timestamp's text.
SQL_TEXT = pd.ArrowDtype(pa.string())
Cells = Mapping[str, str | None]


def person_identity(c: Cells) -> tuple[str, str]:
    """person_id and id_type (inferred from the shape when omitted), as common.person_identity."""
    pid = cells.upper(cells.text(c.get("person_id")))
    if pid is None:
        raise Unsure
    pid = _ID_SEPARATORS.sub("", cells.ascii_printable(pid))
    id_type = cells.choice(c.get("id_type"), catalog.ID_TYPES, required=False)
    d12 = len(pid) == 12 and pid.isdigit()
    d9 = len(pid) == 9 and pid.isdigit()
    passport = 6 <= len(pid) <= 9 and pid.isalnum()
    if id_type is None:
        id_type = ("CCCD" if d12 else "CMND" if d9
                   else "PASSPORT" if passport and pid[0].isalpha() else None)
    ok = {"CCCD": d12, "CMND": d9 or d12, "PASSPORT": passport}.get(id_type or "", False)
    if not ok:
        raise Unsure
    return pid, str(id_type)


def phone(cell: str | None, required: bool) -> str | None:
    """common.phone: a mobile number in national form (0xxxxxxxxx)."""
    t = cells.text(cell)
    if t is None:
        if required:
            raise Unsure
        return None
    t = _PHONE_SEPARATORS.sub("", cells.ascii_printable(t))
    if _INTL_PHONE.fullmatch(t):
        t = "0" + t[-9:]
    if not _PHONE.fullmatch(t):
        raise Unsure
    return t


def person_and_residence(c: Cells, ctx: RefContext, out: Row, tz: str, *,
                         phone_required: bool) -> dt.date:
    """Fill `out` as common.person_and_residence fills its frame; returns the birth date."""
    out["person_id"], out["id_type"] = person_identity(c)
    out["full_name"] = cells.required(c.get("full_name"))
    birth = cells.date(c.get("birth_date"), tz)
    out["sex"] = cells.choice(c.get("sex"), catalog.SEXES, aliases=SEX_ALIASES)
    out["phone"] = phone(c.get("phone"), phone_required)
    out["priority_group"] = cells.integer(c.get("priority_group"), 0,
                                          catalog.MAX_PRIORITY_GROUP, default=0)
    province = cells.code(c.get("province_code"), 2)
    district = cells.code(c.get("district_code"), 3)
    ward = cells.code(c.get("ward_code"), 5)
    if (province not in ctx.provinces or district is None
            or ctx.district_province.get(district) != province
            or ward is not None and ctx.ward_district.get(ward) != district):
        raise Unsure
    out["province_code"], out["district_code"], out["ward_code"] = province, district, ward
    return birth


def place_codes(c: Cells) -> tuple[str | None, str | None, str | None]:
    """(province, district, ward) codes as the rules read them, to fetch the context."""
    return (cells.code(c.get("province_code"), 2), cells.code(c.get("district_code"), 3),
            cells.code(c.get("ward_code"), 5))


def geo_key(row: Row) -> int:
    """common.geo_keys of one row."""
    ward = row["ward_code"]
    return int(ward) if ward is not None else district_geo_key(row["district_code"])


def group_key(priority: int, birth: dt.date, on: dt.date, sex: str) -> int:
    """common.group_keys of the age band on a local date."""
    age = max(on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)), 0)
    band = int(np.searchsorted(_AGE_EDGES, age, side="right"))
    return priority * 100 + band * 10 + (1 if sex == "M" else 2)


def row_hash(row: Row, columns: list[str]) -> int:
    """common.row_hash of one row: the same text joined by the unit separator, the same
    SipHash (Arrow's cast of a whole number to text is its decimal form)."""
    parts = ["\x00" if row[c] is None else str(row[c]) for c in columns]
    hashed = pd.util.hash_array(np.array(["\x1f".join(parts)], dtype=object),
                                categorize=False)
    return int(hashed.astype("int64")[0])


def few(row: Row, dtypes: Mapping[str, object]) -> FewRows:
    """The one-row path's answer: the row's record (the values the column path's frame
    gives), and that frame when a path asks for it."""
    return FewRows([{c: row.get(c) for c in dtypes}], lambda: frame(row, dtypes))


def frame(row: Row, dtypes: Mapping[str, object]) -> pd.DataFrame:
    """The one-row frame the column path's transform returns (same columns and dtypes),
    built by Arrow: a third of the cost of a Series per column."""
    out = pa.Table.from_pylist([row], schema=_schema(tuple(dtypes.items()))).to_pandas(
        types_mapper=_sql_text)
    for c, t in dtypes.items():
        if t == "boolean":  # nullable boolean: Arrow gives numpy bool
            out[c] = out[c].astype("boolean")
    return out


_ARROW_TYPES: dict[object, pa.DataType] = {
    "str": pa.large_string(), SQL_TEXT: pa.string(), "int64": pa.int64(), "bool": pa.bool_(),
    "boolean": pa.bool_()}


@functools.cache
def _schema(dtypes: tuple[tuple[str, object], ...]) -> pa.Schema:
    return pa.schema([pa.field(c, _ARROW_TYPES[t]) for c, t in dtypes])


def _sql_text(t: pa.DataType) -> object:
    """Arrow's string (not large_string) is the dates' text, kept as parse.sql_date keeps it."""
    return SQL_TEXT if t == pa.string() else None


def listed(code: str | None) -> list[str]:
    """A code read from the cells as the list data.lookups.load_context_for takes."""
    return [] if code is None else [code]
