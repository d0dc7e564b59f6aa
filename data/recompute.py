"""Full recomputation of every rollup from the facts: the reference the deltas must match.

Tests compare it with the incrementally maintained tables; the benchmarks time it as the
'GROUP BY over the fact table' baseline.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from data.loaders.injections import ROLLUPS

_INJECTION_SOURCE = """
    SELECT f.date_key, g.district_code, g.province_code, f.vaccine_key, f.dose_key,
           f.group_key, f.facility_key, f.lot_number
    FROM fct_injection f JOIN dim_geography g ON g.geo_key = f.geo_key
"""


def rollup_from_facts(conn: Connection, table: str) -> pd.DataFrame:
    """The rows `table` should hold, computed from the facts (zero rows dropped)."""
    if table == "agg_stock_on_hand":
        keys = ["warehouse_key", "vaccine_key", "lot_number"]
        sql = f"""SELECT {", ".join(keys)}, SUM(doses) AS doses FROM fct_stock_movement
                  GROUP BY {", ".join(keys)}"""
    else:
        keys = ROLLUPS[table]
        sql = f"""SELECT {", ".join(keys)}, COUNT(*) AS doses FROM ({_INJECTION_SOURCE}) f
                  GROUP BY {", ".join(keys)}"""
    return _canonical(pd.read_sql(text(sql), conn), keys)


def rollup_as_stored(conn: Connection, table: str) -> pd.DataFrame:
    """The rows `table` holds now (zero rows dropped), in the same shape."""
    keys = (["warehouse_key", "vaccine_key", "lot_number"] if table == "agg_stock_on_hand"
            else ROLLUPS[table])
    df = pd.read_sql(text(f"SELECT {', '.join(keys)}, doses FROM {table}"), conn)
    return _canonical(df, keys)


def _canonical(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df[df["doses"] != 0].copy()
    df["doses"] = df["doses"].astype("int64")
    for k in keys:
        df[k] = df[k].astype("str")
    return df.sort_values(keys).reset_index(drop=True)


ALL_ROLLUPS = [*ROLLUPS, "agg_stock_on_hand"]
