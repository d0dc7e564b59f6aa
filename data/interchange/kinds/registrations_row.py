"""One registration row without pandas: kinds.registrations.transform's rules and columns for
the usual cells, or None when the column path must decide (as kinds.injections_row)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from data.few_rows import FewRows
from data.interchange import row_cells as cells
from data.interchange.kinds import common_row
from data.interchange.kinds.common_row import SQL_TEXT, Cells, Row
from data.interchange.kinds.registrations import OPERATIONAL
from data.interchange.row_cells import Unsure
from data.lookups import RefContext

# The columns in the column path's order (the dates are set last there).
DTYPES: dict[str, object] = {c: "str" for c in OPERATIONAL
                             if c not in ("birth_date", "registered_at")} | {
    "priority_group": "int64", "birth_date": SQL_TEXT, "registered_at": SQL_TEXT,
    "row_hash": "int64", "date_key": "int64", "geo_key": "int64", "group_key": "int64"}


def transform(c: Cells, ctx: RefContext, tz: str, merged: dict[str, str] | None = None
              ) -> FewRows | None:
    """The transform's one row of valid cells (common_row.few); None when the column path
    must run."""
    try:
        row = _row(c, ctx, tz, merged or {})
    except Unsure:
        return None
    return common_row.few(row, DTYPES)


def _row(c: Cells, ctx: RefContext, tz: str, merged: dict[str, str]) -> Row:
    out: Row = {"registration_id": cells.required(c.get("registration_id"))}
    if out["registration_id"] in merged:
        raise Unsure  # a merged-away registration: the column path refuses it
    birth = common_row.person_and_residence(c, ctx, out, tz, phone_required=True)
    out["address"] = cells.text(c.get("address"))
    out["organisation"] = cells.text(c.get("organisation"))
    at = cells.timestamp(c.get("registered_at"), tz)
    on = at.astimezone(ZoneInfo(tz)).date()
    out["birth_date"] = cells.sql_date(birth)
    out["registered_at"] = cells.sql_timestamp(at)
    row = {k: out[k] for k in OPERATIONAL}
    row["row_hash"] = common_row.row_hash(row, OPERATIONAL)
    row["date_key"] = cells.date_key(on)
    row["geo_key"] = common_row.geo_key(row)
    row["group_key"] = common_row.group_key(row["priority_group"], birth, on, row["sex"])
    return row
