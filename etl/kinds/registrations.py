"""registrations: people asking to be vaccinated."""

from __future__ import annotations

import pandas as pd

from data import refdata
from data.lookups import RefContext
from etl import parse
from etl.kinds import common
from etl.kinds.base import Transformed, keep_last_per_key
from etl.validate import Validator

KEY = "registration_id"
REQUIRED = ["registration_id", "person_id", "full_name", "birth_date", "sex", "phone",
            "province_code", "district_code", "registered_at"]
OPERATIONAL = ["registration_id", "person_id", "id_type", "full_name", "birth_date", "sex",
               "phone", "priority_group", "province_code", "district_code", "ward_code",
               "address", "organisation", "registered_at"]


def geo_keys(rows: pd.DataFrame) -> pd.Series:
    """Ward row when the ward is known, else the district's 'ward not given' row."""
    ward = pd.to_numeric(rows["ward_code"], errors="coerce")
    district = rows["district_code"].astype("int64") + refdata.district_geo_key("000")
    return ward.fillna(district).astype("int64")


def transform(v: Validator, ctx: RefContext, _extra: object = None) -> Transformed:
    """Validate a registrations file."""
    out = pd.DataFrame(index=v.raw.index)
    out["registration_id"] = v.required_text("registration_id")
    out["person_id"], out["id_type"] = common.person_identity(v)
    out["full_name"] = v.required_text("full_name")
    birth = v.date("birth_date")
    out["sex"] = common.sex(v)
    out["phone"] = common.phone(v, required=True)
    out["priority_group"] = v.integer("priority_group", 0, 11, default=0)
    out["province_code"] = v.province("province_code", ctx.provinces)
    out["district_code"] = v.district("district_code", out["province_code"],
                                      ctx.district_province, "province_code")
    out["ward_code"] = v.ward("ward_code", out["district_code"], ctx.ward_district)
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
    rows["geo_key"] = geo_keys(rows)
    rows["group_key"] = common.group_keys(
        rows["priority_group"], common.age_band(birth, at_local), rows["sex"])
    rows, dups = keep_last_per_key(rows, KEY)
    return Transformed(rows, v.rejects(), dups)
