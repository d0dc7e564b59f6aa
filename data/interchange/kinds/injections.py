"""injections: one row per dose given."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data import catalog
from data.interchange import parse
from data.interchange.kinds import common
from data.interchange.kinds.base import Parts, Transformed, keep_last_per_key, n_distinct
from data.interchange.validate import Validator
from data.lookups import RefContext

KEY = "record_id"
REQUIRED = ["record_id", "person_id", "full_name", "birth_date", "sex", "province_code",
            "district_code", "facility_code", "vaccine_code", "lot_number", "dose_kind",
            "dose_number", "administered_at"]
OPERATIONAL = ["record_id", "status", "person_id", "id_type", "full_name", "birth_date", "sex",
               "phone", "priority_group", "province_code", "district_code", "ward_code",
               "facility_code", "vaccine_code", "lot_number", "dose_kind", "dose_number",
               "administered_at", "vaccinator"]
FACT = ["date_key", "geo_key", "facility_key", "vaccine_key", "dose_key", "group_key",
        "is_first", "is_full", "is_booster"]

_SERIES = {v.code: v.series_doses for v in catalog.VACCINES}
_VKEY = {v.code: v.key for v in catalog.VACCINES}
_MAX_NUMBER = {"PRIMARY": 3, "ADDITIONAL": 1, "BOOSTER": 2}


def split(raw: pd.DataFrame, part_rows: int) -> Parts:
    """Cut the file into parts of `part_rows` rows when no id repeats in it.

    Ids distinct across parts let each part load on its own (the last row of a repeated id
    wins only when its repeats share one part, so such a file stays whole).
    """
    ids = pa.array(parse.text(raw[KEY]) if KEY in raw else [], type=pa.large_string())
    n_ids = len(ids) - ids.null_count
    if not n_ids:
        return Parts([raw], None)
    bounds = pc.min_max(ids)
    key_bounds = (bounds["min"].as_py(), bounds["max"].as_py())
    if n_distinct(ids) - (ids.null_count > 0) < n_ids:
        return Parts([raw], key_bounds)
    # A short first part: the database starts writing after a quarter of a part is checked.
    first = max(part_rows // 4, 1)
    starts = [0, *range(first, len(raw), max(part_rows, 1))]
    ends = [*starts[1:], len(raw)]
    return Parts([raw.iloc[s:e] for s, e in zip(starts, ends, strict=True)], key_bounds)


def transform(v: Validator, ctx: RefContext, _extra: object = None) -> Transformed:
    """Validate every rule of the spec; build canonical and fact columns for valid rows."""
    out = pd.DataFrame(index=v.raw.index)
    out["record_id"] = v.required_text("record_id")
    out["status"] = v.choice("status", catalog.INJECTION_STATUSES, default="COMPLETED")
    birth = common.person_and_residence(v, ctx, out, phone_required=False)
    out["facility_code"] = v.required_text("facility_code")
    fkey = parse.lookup(out["facility_code"], ctx.facility_keys)
    v.reject(out["facility_code"].notna() & fkey.isna(), "facility_code", "unknown_facility")
    out["vaccine_code"] = parse.upper_of_text(v.text("vaccine_code"))
    v.reject(out["vaccine_code"].isna(), "vaccine_code", "required")
    v.reject(out["vaccine_code"].notna() & ~out["vaccine_code"].isin(_VKEY), "vaccine_code",
             "unknown_vaccine", choices=", ".join(_VKEY))
    out["lot_number"] = v.required_text("lot_number")
    out["dose_kind"] = v.choice("dose_kind", catalog.DOSE_KINDS)
    out["dose_number"] = v.integer("dose_number", required=True)
    limit = parse.lookup(out["dose_kind"], _MAX_NUMBER)
    series = parse.lookup(out["vaccine_code"], _SERIES)
    limit = limit.where(out["dose_kind"] != "PRIMARY", series.fillna(3))
    bad_n = out["dose_number"].notna() & limit.notna() & (
        (out["dose_number"] < 1) | (out["dose_number"] > limit))
    v.reject(bad_n, "dose_number", "bad_dose_number", number=out["dose_number"].astype("str"),
             kind=out["dose_kind"].fillna(""), vaccine=out["vaccine_code"].fillna(""))
    at = v.timestamp("administered_at")
    at_local = at.dt.tz_convert(v.tz).dt.tz_localize(None).dt.normalize()
    v.reject(birth.notna() & at.notna() & (birth > at_local), "birth_date",
             "birth_after_injection")
    out["vaccinator"] = v.optional_text("vaccinator")

    ok = v.valid_mask()
    rows = out[ok].copy()
    birth, at, at_local, fkey = birth[ok], at[ok], at_local[ok], fkey[ok]
    rows["birth_date"] = parse.sql_date(birth)
    rows["administered_at"] = parse.sql_timestamp(at)
    rows["priority_group"] = rows["priority_group"].astype("int64")
    rows["dose_number"] = rows["dose_number"].astype("int64")
    rows["row_hash"] = common.row_hash(rows[OPERATIONAL])
    rows["date_key"] = parse.local_date_key(at, v.tz).astype("int64")
    rows["geo_key"] = common.geo_keys(rows)
    rows["facility_key"] = fkey.astype("int64")
    rows["vaccine_key"] = parse.lookup(rows["vaccine_code"], _VKEY).astype("int64")
    dose_index = pd.MultiIndex.from_arrays([rows["dose_kind"], rows["dose_number"]])
    rows["dose_key"] = pd.Series(catalog.DOSE_KEY).reindex(dose_index).to_numpy()
    rows["group_key"] = common.group_keys(
        rows["priority_group"], common.age_band(birth, at_local), rows["sex"])
    primary = rows["dose_kind"] == "PRIMARY"
    rows["is_first"] = primary & (rows["dose_number"] == 1)
    rows["is_full"] = primary & (rows["dose_number"] == parse.lookup(rows["vaccine_code"], _SERIES))
    rows["is_booster"] = rows["dose_kind"] == "BOOSTER"
    rows, dups = keep_last_per_key(rows, KEY)
    return Transformed(rows[[*OPERATIONAL, "row_hash", *FACT]], v.rejects(), dups)
