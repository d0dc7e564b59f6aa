"""Apply a batch of injections: operational rows, facts and rollup deltas together.

Bulk path: only (record_id, row_hash) is staged to find unchanged and corrected rows; new
and corrected rows then go straight into their tables by COPY (PostgreSQL) or executemany
(SQLite), and the rollup deltas are aggregated in pandas before they touch the database.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    text,
)

from data import bulk
from data.models.operational import Injection
from data.models.star import FctInjection

DELTA_KEYS = ["date_key", "district_code", "province_code", "vaccine_key", "dose_key",
              "group_key", "facility_key", "lot_number"]
# Rollup -> its grouping keys (all drawn from the delta table).
ROLLUPS: dict[str, list[str]] = {
    "agg_doses_daily": ["date_key", "vaccine_key", "dose_key"],
    "agg_doses_daily_province": ["date_key", "province_code", "dose_key"],
    "agg_doses_district": ["district_code", "vaccine_key", "dose_key"],
    "agg_doses_group": ["province_code", "group_key", "vaccine_key", "dose_key"],
    "agg_doses_facility_daily": ["facility_key", "date_key"],
    "agg_doses_lot": ["vaccine_key", "lot_number"],
}
ROLLUP_EXTRA: dict[str, list[str]] = {"agg_doses_district": ["province_code"]}
# Shape of the staged delta (finest grain of all injection rollups).
_DELTA_LIKE = Table(
    "delta_shape", MetaData(),
    Column("date_key", Integer), Column("district_code", String(3)),
    Column("province_code", String(2)), Column("vaccine_key", SmallInteger),
    Column("dose_key", SmallInteger), Column("group_key", SmallInteger),
    Column("facility_key", Integer), Column("lot_number", String(40)), Column("n", BigInteger),
)
OP_COLS = [c.name for c in Injection.__table__.columns]
FACT_COLS = [c.name for c in FctInjection.__table__.columns]


def apply_injections(
    conn: Connection, rows: pd.DataFrame, chunk_rows: int, progress: bulk.Progress | None = None
) -> bulk.LoadCounts:
    """Load validated rows idempotently; corrections and ENTERED_IN_ERROR move the rollups."""
    same, changed = bulk.classify_keys(conn, "injection", "record_id", rows)
    if same:
        # Arrow's hash set: pandas' isin on 1M text ids is ~14x slower.
        known = pa.array(list(same), type=pa.large_string())
        ids = pa.array(rows["record_id"], type=pa.large_string(), from_pandas=True)
        rows = rows[~pc.is_in(ids, value_set=known).to_numpy(zero_copy_only=False)]
    counts = bulk.LoadCounts(loaded=len(rows) - len(changed), updated=len(changed),
                             unchanged=len(same))
    old = _old_facts(conn) if changed else pd.DataFrame(columns=DELTA_KEYS)
    if changed:
        for table in ("fct_injection", "injection"):
            conn.execute(text(f"DELETE FROM {table} WHERE record_id IN "
                              "(SELECT record_id FROM stg_keys)"))
    conn.execute(text("DROP TABLE IF EXISTS stg_keys"))
    if not len(rows):
        return counts
    counted = rows[rows["status"] == "COMPLETED"]
    _apply_delta(conn, pd.concat([old.assign(n=-1), counted[DELTA_KEYS].assign(n=1)]))
    bulk.copy_frame(conn, Injection.__table__, rows[OP_COLS], chunk_rows, progress)
    bulk.copy_frame(conn, FctInjection.__table__, counted[FACT_COLS], chunk_rows)
    return counts


def _old_facts(conn: Connection) -> pd.DataFrame:
    """Rollup keys of the stored facts that corrections replace."""
    return pd.read_sql(text("""
        SELECT f.date_key, g.district_code, g.province_code, f.vaccine_key, f.dose_key,
               f.group_key, f.facility_key, f.lot_number
        FROM fct_injection f
        JOIN stg_keys s ON s.record_id = f.record_id
        JOIN dim_geography g ON g.geo_key = f.geo_key
    """), conn)


def _apply_delta(conn: Connection, delta: pd.DataFrame) -> None:
    """Aggregate +1/-1 rows per rollup in pandas, stage each small result, add it in."""
    for k in ("date_key", "vaccine_key", "dose_key", "group_key", "facility_key"):
        delta[k] = delta[k].astype("int64")
    for table, keys in ROLLUPS.items():
        extra = ROLLUP_EXTRA.get(table, {})
        agg = {"n": ("n", "sum")} | {c: (c, "max") for c in extra}
        grouped = delta.groupby(keys, as_index=False, sort=False).agg(**agg)
        grouped = grouped[grouped["n"] != 0]
        if not len(grouped):
            continue
        stage = bulk.stage_table(conn, "stg_injection_delta", _DELTA_LIKE, {})
        bulk.copy_frame(conn, stage, grouped, 500_000)
        bulk.upsert_add(conn, table, keys, {"doses": "n"}, "stg_injection_delta",
                        {c: f"MAX({c})" for c in extra})
        conn.execute(text("DROP TABLE stg_injection_delta"))
