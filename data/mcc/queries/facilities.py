"""SQL of the facility reads: doses per facility and day, activity over a window."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from data.mcc.queries import read


def facilities(conn: Connection) -> pd.DataFrame:
    """Every facility's reference columns."""
    return read(conn, """
        SELECT facility_code, name, kind, status, province_code, district_code,
               daily_capacity FROM dim_facility ORDER BY facility_code""")


def facility_days(conn: Connection, province_code: str, lo: int, hi: int) -> pd.DataFrame:
    """Doses per facility of a province and day in [lo, hi] (days without doses absent)."""
    return read(conn, """
        SELECT f.facility_code, a.date_key, a.doses
        FROM agg_doses_facility_daily a JOIN dim_facility f ON f.facility_key = a.facility_key
        WHERE f.province_code = :p AND a.date_key BETWEEN :lo AND :hi AND a.doses <> 0""",
        {"p": province_code, "lo": lo, "hi": hi}, ints=["doses"])


def last_doses(conn: Connection, lo: int, hi: int) -> pd.DataFrame:
    """Per facility with doses up to `hi`: doses in [lo, hi] and the last day with doses."""
    return read(conn, """
        SELECT f.facility_code,
               SUM(CASE WHEN a.date_key >= :lo THEN a.doses ELSE 0 END) AS recent,
               MAX(a.date_key) AS last_key
        FROM agg_doses_facility_daily a JOIN dim_facility f ON f.facility_key = a.facility_key
        WHERE a.date_key <= :hi AND a.doses > 0
        GROUP BY f.facility_code""", {"lo": lo, "hi": hi}, ints=["recent"])
