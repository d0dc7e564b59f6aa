"""Idempotent seeding of reference tables and fixed dimensions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, Table, func, insert, select

from data import admin_units, catalog
from data.models import meta, reference, star

DATE_RANGE = (dt.date(2019, 1, 1), dt.date(2031, 12, 31))


def district_geo_key(district_code: str) -> int:
    """geo_key of the 'ward not given' row of a district."""
    return 100_000 + int(district_code)


def ward_geo_key(ward_code: str) -> int:
    """geo_key of a ward row."""
    return int(ward_code)


def _fill_if_empty(conn: Connection, table: Table, rows: Iterable[dict]) -> None:
    if conn.execute(select(func.count()).select_from(table)).scalar_one() == 0:
        batch = list(rows)
        if batch:
            conn.execute(insert(table), batch)


def _add_missing(conn: Connection, table: Table, key: str, rows: Iterable[dict]) -> None:
    have = set(conn.execute(select(table.c[key])).scalars())
    batch = [r for r in rows if r[key] not in have]
    if batch:
        conn.execute(insert(table), batch)


def _dates() -> Iterable[dict]:
    day, end = DATE_RANGE
    while day <= end:
        iso = day.isocalendar()
        yield {
            "date_key": day.year * 10000 + day.month * 100 + day.day,
            "date": day,
            "year": day.year,
            "quarter": (day.month - 1) // 3 + 1,
            "month": day.month,
            "iso_week": iso.week,
            "day_of_week": iso.weekday,
            "is_weekend": iso.weekday >= 6,
        }
        day += dt.timedelta(days=1)


def _geography() -> Iterable[dict]:
    provs, dists = admin_units.provinces(), admin_units.districts()
    for d in dists.values():
        p = provs[d.parent_code]
        yield {
            "geo_key": district_geo_key(d.code), "level": "DISTRICT", "ward_code": None,
            "ward_name": None, "district_code": d.code, "district_name": d.label,
            "province_code": p.code, "province_name": p.name,
        }
    for w in admin_units.wards().values():
        d = dists.get(w.parent_code)
        if d is None:
            continue
        p = provs[d.parent_code]
        yield {
            "geo_key": ward_geo_key(w.code), "level": "WARD", "ward_code": w.code,
            "ward_name": w.label, "district_code": d.code, "district_name": d.label,
            "province_code": p.code, "province_name": p.name,
        }


def seed_reference(engine: Engine) -> None:
    """Insert the fixed reference data into empty tables (safe to run every start)."""
    provs, dists = admin_units.provinces(), admin_units.districts()
    with engine.begin() as conn:
        _fill_if_empty(conn, reference.Province.__table__, (
            {"code": u.code, "name": u.name, "name_with_type": u.name_with_type}
            for u in provs.values()))
        _fill_if_empty(conn, reference.District.__table__, (
            {"code": u.code, "province_code": u.parent_code, "name": u.name,
             "name_with_type": u.name_with_type} for u in dists.values()))
        _fill_if_empty(conn, reference.Ward.__table__, (
            {"code": u.code, "district_code": u.parent_code, "name": u.name,
             "name_with_type": u.name_with_type}
            for u in admin_units.wards().values() if u.parent_code in dists))
        _fill_if_empty(conn, reference.VaccineProduct.__table__, (
            {"code": v.code, "name": v.name, "platform": v.platform,
             "series_doses": v.series_doses, "min_interval_days": v.min_interval_days}
            for v in catalog.VACCINES))
        _fill_if_empty(conn, star.DimVaccine.__table__, (
            {"vaccine_key": v.key, "vaccine_code": v.code, "name": v.name,
             "platform": v.platform, "series_doses": v.series_doses} for v in catalog.VACCINES))
        _fill_if_empty(conn, star.DimDose.__table__, (
            {"dose_key": k, "dose_kind": kind, "dose_number": n} for k, kind, n in catalog.DOSES))
        # Missing keys, not only an empty table: the catalogue grew (groups 12-16) after
        # databases were seeded.
        _add_missing(conn, star.DimPopulationGroup.__table__, "group_key", (
            {"group_key": catalog.group_key(g, band, sex), "priority_group": g,
             "age_band": label, "sex": sex}
            for g in catalog.PRIORITY_GROUPS for band, label, _, _ in catalog.AGE_BANDS
            for sex in catalog.SEXES))
        _fill_if_empty(conn, star.DimDate.__table__, _dates())
        _fill_if_empty(conn, star.DimGeography.__table__, _geography())
        _fill_if_empty(conn, meta.DataVersion.__table__, [
            {"id": 1, "instance_id": uuid.uuid4().hex, "version": 1,
             "updated_at": dt.datetime.now(dt.UTC)}])
