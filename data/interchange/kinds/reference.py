"""facilities, warehouses, population: the reference kinds."""

from __future__ import annotations

import pandas as pd

from data import catalog
from data.geo.territory import inside_vietnam
from data.interchange import parse
from data.interchange.kinds.base import Transformed, keep_last_per_key
from data.interchange.kinds.common import row_hash
from data.interchange.validate import Validator
from data.lookups import RefContext

FACILITY_REQUIRED = ["facility_code", "name", "kind", "province_code", "district_code"]
WAREHOUSE_REQUIRED = ["warehouse_code", "name", "level"]
POPULATION_REQUIRED = ["area_code", "year", "total"]


def transform_facilities(v: Validator, ctx: RefContext, _extra: object = None) -> Transformed:
    """Validate a facilities file."""
    out = pd.DataFrame(index=v.raw.index)
    out["code"] = v.required_text("facility_code")
    out["name"] = v.required_text("name")
    out["kind"] = v.choice("kind", catalog.FACILITY_KINDS)
    out["province_code"] = v.province("province_code", ctx.provinces)
    out["district_code"] = v.district("district_code", out["province_code"],
                                      ctx.district_province, "province_code")
    out["ward_code"] = v.ward("ward_code", out["district_code"], ctx.ward_district)
    out["address"] = v.optional_text("address")
    lat, lon = parse.number(v.col("latitude")), parse.number(v.col("longitude"))
    unreadable = pd.Series(False, index=v.raw.index)
    for name, val in (("latitude", lat), ("longitude", lon)):
        bad = parse.text(v.col(name)).notna() & val.isna()
        v.reject(bad, name, "bad_coordinate")
        unreadable |= bad
    given = lat.notna() | lon.notna()
    outside = given & ~unreadable & ~inside_vietnam(lat.to_numpy(), lon.to_numpy())
    v.reject(outside, "latitude,longitude", "bad_coordinate",
             value=v.col("latitude").fillna("") + ", " + v.col("longitude").fillna(""))
    out["latitude"], out["longitude"] = lat, lon
    out["daily_capacity"] = v.integer("daily_capacity", 0, 1_000_000, required=False)
    out["status"] = v.choice("status", catalog.FACILITY_STATUSES, default="ACTIVE")
    rows = out[v.valid_mask()].copy()
    rows["row_hash"] = row_hash(rows)
    rows, dups = keep_last_per_key(rows, "code")
    return Transformed(rows, v.rejects(), dups)


def transform_warehouses(v: Validator, ctx: RefContext, _extra: object = None) -> Transformed:
    """Validate a warehouses file."""
    out = pd.DataFrame(index=v.raw.index)
    out["code"] = v.required_text("warehouse_code")
    out["name"] = v.required_text("name")
    out["level"] = v.choice("level", catalog.WAREHOUSE_LEVELS)
    prov_raw = parse.text(v.col("province_code"))
    prov, ok = parse.code(prov_raw, 2)
    v.reject(prov_raw.notna() & (~ok | ~prov.isin(ctx.provinces)), "province_code",
             "unknown_province")
    needs_prov = out["level"].isin(["PROVINCE", "DISTRICT", "FACILITY"])
    v.reject(needs_prov & prov_raw.isna(), "province_code", "required")
    out["province_code"] = prov
    dist_raw = parse.text(v.col("district_code"))
    dist, ok = parse.code(dist_raw, 3)
    unknown = dist_raw.notna() & (~ok | ~dist.isin(ctx.district_province.keys()))
    v.reject(unknown, "district_code", "unknown_district")
    outside = ~unknown & dist.notna() & prov.notna() & (dist.map(ctx.district_province) != prov)
    v.reject(outside, "district_code", "district_not_in_province",
             district=dist.fillna(""), province=prov.fillna(""))
    v.reject(out["level"].isin(["DISTRICT", "FACILITY"]) & dist_raw.isna(), "district_code",
             "required")
    out["district_code"] = dist
    out["facility_code"] = v.optional_text("facility_code")
    is_fac = out["level"] == "FACILITY"
    v.reject(is_fac & out["facility_code"].isna(), "facility_code", "facility_required")
    v.reject(out["facility_code"].notna() & ~out["facility_code"].isin(ctx.facility_keys),
             "facility_code", "unknown_facility")
    out["capacity_litres"] = parse.number(v.col("capacity_litres"))
    rows = out[v.valid_mask()].copy()
    rows["row_hash"] = row_hash(rows)
    rows, dups = keep_last_per_key(rows, "code")
    return Transformed(rows, v.rejects(), dups)


def transform_population(v: Validator, ctx: RefContext, _extra: object = None) -> Transformed:
    """Validate a population (denominators) file."""
    out = pd.DataFrame(index=v.raw.index)
    raw = v.required_text("area_code")
    digits = raw.str.replace(r"\.0+$", "", regex=True)
    is_district = digits.str.len() == 3
    prov, _ = parse.code(digits.where(~is_district), 2)
    code = prov.where(~is_district, digits)
    known = code.isin(ctx.provinces) | code.isin(ctx.district_province.keys())
    v.reject(raw.notna() & ~known, "area_code", "unknown_area")
    out["area_code"] = code
    out["year"] = v.integer("year", 2000, 2100)
    out["total"] = v.integer("total", 0, 200_000_000)
    for band in ("age_18_plus", "age_12_17", "age_5_11", "age_65_plus"):
        out[band] = v.integer(band, 0, 200_000_000, required=False)
        v.reject(out[band].notna() & out["total"].notna() & (out[band] > out["total"]), band,
                 "age_exceeds_total")
    rows = out[v.valid_mask()].copy()
    rows["row_hash"] = row_hash(rows)
    rows = rows[~rows.duplicated(["area_code", "year"], keep="last")]
    return Transformed(rows, v.rejects())
