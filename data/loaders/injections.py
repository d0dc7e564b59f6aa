"""Apply a batch of injections: operational rows, facts and rollup deltas together."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from data import bulk
from data.models.operational import Injection

FACT_COLS = ["record_id", "date_key", "geo_key", "facility_key", "vaccine_key", "dose_key",
             "group_key", "lot_number", "is_first", "is_full", "is_booster"]
DELTA_KEYS = ["date_key", "district_code", "province_code", "vaccine_key", "dose_key",
              "group_key"]
# Rollup -> its grouping keys (all drawn from the delta table).
ROLLUPS: dict[str, list[str]] = {
    "agg_doses_daily": ["date_key", "vaccine_key", "dose_key"],
    "agg_doses_daily_province": ["date_key", "province_code", "dose_key"],
    "agg_doses_district": ["district_code", "vaccine_key", "dose_key"],
    "agg_doses_group": ["province_code", "group_key", "vaccine_key", "dose_key"],
}
ROLLUP_EXTRA = {"agg_doses_district": {"province_code": "MAX(province_code)"}}


def apply_injections(
    conn: Connection, rows: pd.DataFrame, chunk_rows: int, progress: bulk.Progress | None = None
) -> bulk.LoadCounts:
    """Load validated rows idempotently; corrections and ENTERED_IN_ERROR move the rollups."""
    stage = bulk.stage_table(
        conn, "stg_injection", Injection.__table__,
        bulk.int_cols("date_key", "geo_key", "facility_key", "vaccine_key", "dose_key",
                      "group_key") | bulk.bool_cols("is_first", "is_full", "is_booster"),
    )
    bulk.copy_frame(conn, stage, rows, chunk_rows, progress)
    counts = bulk.prune_unchanged(conn, "stg_injection", "injection", "record_id")
    if counts.loaded + counts.updated:
        _apply_delta(conn, counts.updated > 0)
        bulk.replace_rows(conn, "stg_injection", "fct_injection", "record_id", FACT_COLS,
                          where="status = 'COMPLETED'", any_existing=counts.updated > 0)
        op_cols = [c.name for c in Injection.__table__.columns]
        bulk.replace_rows(conn, "stg_injection", "injection", "record_id", op_cols,
                          any_existing=counts.updated > 0)
    conn.execute(text("DROP TABLE IF EXISTS stg_injection"))
    return counts


def _apply_delta(conn: Connection, has_old: bool) -> None:
    keys = ", ".join(DELTA_KEYS)
    old = """
        SELECT f.date_key, g.district_code, g.province_code, f.vaccine_key, f.dose_key,
               f.group_key, -1 AS n
        FROM fct_injection f
        JOIN stg_injection s ON s.record_id = f.record_id
        JOIN dim_geography g ON g.geo_key = f.geo_key
        UNION ALL """ if has_old else ""
    conn.execute(text("DROP TABLE IF EXISTS stg_injection_delta"))
    conn.execute(text(f"""
        CREATE TEMPORARY TABLE stg_injection_delta AS
        SELECT {keys}, SUM(n) AS n FROM ({old}
            SELECT date_key, district_code, province_code, vaccine_key, dose_key, group_key,
                   1 AS n
            FROM stg_injection WHERE status = 'COMPLETED') u
        GROUP BY {keys}
    """))
    for table, keys_ in ROLLUPS.items():
        bulk.upsert_add(conn, table, keys_, {"doses": "n"}, "stg_injection_delta",
                        ROLLUP_EXTRA.get(table))
    conn.execute(text("DROP TABLE IF EXISTS stg_injection_delta"))
