"""registrations: people asking to be vaccinated."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from data.interchange import parse
from data.interchange.kinds import common
from data.interchange.kinds.base import Transformed, keep_last_per_key
from data.interchange.validate import Validator
from data.lookups import RefContext
from data.lookups_batch import merged_registrations

KEY = "registration_id"
REQUIRED = ["registration_id", "person_id", "full_name", "birth_date", "sex", "phone",
            "province_code", "district_code", "registered_at"]
OPERATIONAL = ["registration_id", "person_id", "id_type", "full_name", "birth_date", "sex",
               "phone", "priority_group", "province_code", "district_code", "ward_code",
               "address", "organisation", "registered_at"]


def prefetch(conn: Connection, raw: pd.DataFrame, _ctx: RefContext) -> dict[str, str]:
    """The file's registration ids that a merge took away, and the ids kept in their place."""
    ids = parse.text(raw.get("registration_id", pd.Series(dtype="str"))).dropna()
    return merged_registrations(conn, ids)


def transform(v: Validator, ctx: RefContext, merged: dict[str, str] | None = None
              ) -> Transformed:
    """Validate a registrations file."""
    out = pd.DataFrame(index=v.raw.index)
    out["registration_id"] = v.required_text("registration_id")
    if merged:
        # A merged-away registration sent again would bring the duplicate back.
        kept = out["registration_id"].map(merged)
        v.reject(kept.notna(), "registration_id", "registration_merged", kept=kept)
    birth = common.person_and_residence(v, ctx, out, phone_required=True)
    out["address"] = v.optional_text("address")
    out["organisation"] = v.optional_text("organisation")
    at = v.timestamp("registered_at")
    at_local = at.dt.tz_convert(v.tz).dt.tz_localize(None).dt.normalize()
    ok = v.valid_mask()
    rows = out[ok].copy()
    birth, at, at_local = birth[ok], at[ok], at_local[ok]
    rows["birth_date"] = parse.sql_date(birth)
    rows["registered_at"] = parse.sql_timestamp(at)
    rows["priority_group"] = rows["priority_group"].astype("int64")
    rows["row_hash"] = common.row_hash(rows[OPERATIONAL])
    rows["date_key"] = parse.local_date_key(at, v.tz).astype("int64")
    rows["geo_key"] = common.geo_keys(rows)
    rows["group_key"] = common.group_keys(
        rows["priority_group"], common.age_band(birth, at_local), rows["sex"])
    rows, dups = keep_last_per_key(rows, KEY)
    return Transformed(rows, v.rejects(), dups)
