"""Apply reference kinds: facilities, warehouses, population (with their dimensions)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, Table, text

from data import bulk
from data.models.reference import Facility, Population, Warehouse


def _apply(conn: Connection, table: Table, key: str, rows: pd.DataFrame, chunk: int,
           progress: bulk.Progress | None) -> bulk.LoadCounts:
    stage_name = f"stg_{table.name}"
    stage = bulk.stage_table(conn, stage_name, table, {})
    bulk.copy_frame(conn, stage, rows, chunk, progress)
    counts = bulk.prune_unchanged(conn, stage_name, table.name, key)
    bulk.replace_rows(conn, stage_name, table.name, key, [c.name for c in table.columns])
    return counts


def apply_facilities(conn: Connection, rows: pd.DataFrame, chunk: int,
                     progress: bulk.Progress | None = None) -> bulk.LoadCounts:
    """Upsert facilities and dim_facility (surrogate keys stay stable across updates)."""
    counts = _apply(conn, Facility.__table__, "code", rows, chunk, progress)
    conn.execute(text("""
        INSERT INTO dim_facility (facility_code, name, kind, province_code, district_code,
                                  latitude, longitude, daily_capacity, status)
        SELECT code, name, kind, province_code, district_code, latitude, longitude,
               daily_capacity, status FROM stg_facility WHERE 1=1
        ON CONFLICT (facility_code) DO UPDATE SET
            name = excluded.name, kind = excluded.kind, province_code = excluded.province_code,
            district_code = excluded.district_code, latitude = excluded.latitude,
            longitude = excluded.longitude, daily_capacity = excluded.daily_capacity,
            status = excluded.status
    """))
    conn.execute(text("DROP TABLE IF EXISTS stg_facility"))
    return counts


def apply_warehouses(conn: Connection, rows: pd.DataFrame, chunk: int,
                     progress: bulk.Progress | None = None) -> bulk.LoadCounts:
    """Upsert warehouses and dim_warehouse."""
    counts = _apply(conn, Warehouse.__table__, "code", rows, chunk, progress)
    conn.execute(text("""
        INSERT INTO dim_warehouse (warehouse_code, name, level, province_code, district_code,
                                   facility_code)
        SELECT code, name, level, province_code, district_code, facility_code
        FROM stg_warehouse WHERE 1=1
        ON CONFLICT (warehouse_code) DO UPDATE SET
            name = excluded.name, level = excluded.level,
            province_code = excluded.province_code, district_code = excluded.district_code,
            facility_code = excluded.facility_code
    """))
    conn.execute(text("DROP TABLE IF EXISTS stg_warehouse"))
    return counts


def apply_population(conn: Connection, rows: pd.DataFrame, chunk: int,
                     progress: bulk.Progress | None = None) -> bulk.LoadCounts:
    """Upsert denominators, then copy the latest year's totals onto dim_geography."""
    table = Population.__table__
    stage = bulk.stage_table(conn, "stg_population", table, {})
    bulk.copy_frame(conn, stage, rows, chunk, progress)
    unchanged = conn.execute(text("""
        DELETE FROM stg_population WHERE EXISTS (SELECT 1 FROM population p
            WHERE p.area_code = stg_population.area_code AND p.year = stg_population.year
              AND p.row_hash = stg_population.row_hash)""")).rowcount
    updated = bulk.scalar(conn, """SELECT COUNT(*) FROM stg_population s JOIN population p
                                   ON p.area_code = s.area_code AND p.year = s.year""")
    total = bulk.scalar(conn, "SELECT COUNT(*) FROM stg_population")
    conn.execute(text("""DELETE FROM population WHERE EXISTS (SELECT 1 FROM stg_population s
                         WHERE s.area_code = population.area_code AND s.year = population.year)"""))
    cols = ", ".join(c.name for c in table.columns)
    conn.execute(text(f"INSERT INTO population ({cols}) SELECT {cols} FROM stg_population"))
    conn.execute(text("DROP TABLE IF EXISTS stg_population"))
    _refresh_geo_population(conn)
    return bulk.LoadCounts(loaded=total - updated, updated=updated, unchanged=unchanged)


def _refresh_geo_population(conn: Connection) -> None:
    latest = "(SELECT MAX(year) FROM population q WHERE q.area_code = p.area_code)"
    conn.execute(text(f"""
        UPDATE dim_geography SET
          district_population = (SELECT p.total FROM population p
              WHERE p.area_code = dim_geography.district_code AND p.year = {latest}),
          province_population = (SELECT p.total FROM population p
              WHERE p.area_code = dim_geography.province_code AND p.year = {latest})
    """))
