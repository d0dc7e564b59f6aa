"""One injection row without pandas: kinds.injections.transform's rules and columns for the
usual cells, or None when the column path must decide (a refusal, or an unusual shape).

The command (data.ops.commands.injection) runs this first and the column path only when it
answers None, so a dose is valid exactly when the same file row is, and every refusal is
worded by the column path."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from data import catalog
from data.few_rows import FewRows
from data.interchange import row_cells as cells
from data.interchange.kinds import common_row
from data.interchange.kinds.common_row import SQL_TEXT, Cells, Row
from data.interchange.kinds.injections import _MAX_NUMBER, _SERIES, _VKEY, FACT, OPERATIONAL
from data.interchange.row_cells import Unsure
from data.lookups import RefContext

_TEXT = "str"
DTYPES: dict[str, object] = {c: _TEXT for c in OPERATIONAL} | {
    "birth_date": SQL_TEXT, "administered_at": SQL_TEXT,
    "priority_group": "int64", "dose_number": "int64", "row_hash": "int64",
    "date_key": "int64", "geo_key": "int64", "facility_key": "int64", "vaccine_key": "int64",
    "dose_key": "int64", "group_key": "int64", "is_first": "bool", "is_full": "boolean",
    "is_booster": "bool"}
DTYPES = {c: DTYPES[c] for c in [*OPERATIONAL, "row_hash", *FACT]}


def transform(c: Cells, ctx: RefContext, tz: str) -> FewRows | None:
    """The transform's one row of valid cells (common_row.few); None when the column path
    must run."""
    try:
        row = _row(c, ctx, tz)
    except Unsure:
        return None
    return common_row.few(row, DTYPES)


def _row(c: Cells, ctx: RefContext, tz: str) -> Row:
    out: Row = {"record_id": cells.required(c.get("record_id"))}
    out["status"] = cells.choice(c.get("status"), catalog.INJECTION_STATUSES,
                                 default="COMPLETED")
    birth = common_row.person_and_residence(c, ctx, out, tz, phone_required=False)
    out["facility_code"] = cells.required(c.get("facility_code"))
    facility_key = ctx.facility_keys.get(out["facility_code"])
    vaccine = cells.upper(cells.text(c.get("vaccine_code")))
    if facility_key is None or vaccine not in _VKEY:
        raise Unsure
    out["vaccine_code"] = vaccine
    out["lot_number"] = cells.required(c.get("lot_number"))
    kind = str(cells.choice(c.get("dose_kind"), catalog.DOSE_KINDS))
    number = cells.integer(c.get("dose_number"))
    limit = _SERIES[vaccine] if kind == "PRIMARY" else _MAX_NUMBER[kind]
    if not 1 <= number <= limit:
        raise Unsure
    out["dose_kind"], out["dose_number"] = kind, number
    at = cells.timestamp(c.get("administered_at"), tz)
    on = at.astimezone(ZoneInfo(tz)).date()
    if birth > on:
        raise Unsure
    out["vaccinator"] = cells.text(c.get("vaccinator"))
    out["birth_date"] = cells.sql_date(birth)
    out["administered_at"] = cells.sql_timestamp(at)
    row = {k: out[k] for k in OPERATIONAL}
    row["row_hash"] = common_row.row_hash(row, OPERATIONAL)
    row |= _facts(row, birth, on, facility_key)
    return row


def _facts(row: Row, birth: dt.date, on: dt.date, facility_key: int) -> Row:
    kind, number, vaccine = row["dose_kind"], row["dose_number"], row["vaccine_code"]
    key = catalog.DOSE_KEY.get((kind, number))
    if key is None:
        raise Unsure
    primary = kind == "PRIMARY"
    return {
        "date_key": cells.date_key(on), "geo_key": common_row.geo_key(row),
        "facility_key": facility_key, "vaccine_key": _VKEY[vaccine], "dose_key": key,
        "group_key": common_row.group_key(row["priority_group"], birth, on, row["sex"]),
        "is_first": primary and number == 1, "is_full": primary and number == _SERIES[vaccine],
        "is_booster": kind == "BOOSTER"}
