"""SQL of the stock reads: lots on hand by warehouse, receipts, allocations, facility use."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from data.mcc.queries import read
from data.mcc.queries.sources import on_hand_source, params


def warehouse_lots(conn: Connection, cutoff: int | None) -> pd.DataFrame:
    """Non-zero stock per warehouse x lot with the warehouse's place and level."""
    return read(conn, f"""
        SELECT w.warehouse_code, w.name AS warehouse_name, w.level, w.province_code,
               w.district_code, w.facility_code, v.vaccine_code, s.lot_number, s.expiry_date,
               s.doses
        FROM ({on_hand_source(cutoff)}) s
        JOIN dim_warehouse w ON w.warehouse_key = s.warehouse_key
        JOIN dim_vaccine v ON v.vaccine_key = s.vaccine_key
        WHERE s.doses <> 0""", params(cutoff), ints=["doses"])






def facility_use(conn: Connection, lo: int, hi: int) -> pd.DataFrame:
    """Per facility: reference columns, doses given up to `hi`, in [lo, hi], last dose day."""
    return read(conn, """
        SELECT f.facility_code, f.name, f.kind, f.status, f.province_code, f.district_code,
               f.latitude, f.longitude, f.daily_capacity,
               COALESCE(u.administered, 0) AS administered, COALESCE(u.used, 0) AS used,
               u.last_key
        FROM dim_facility f
        LEFT JOIN (SELECT facility_key, SUM(doses) AS administered,
                          SUM(CASE WHEN date_key >= :lo THEN doses ELSE 0 END) AS used,
                          MAX(CASE WHEN doses > 0 THEN date_key END) AS last_key
                   FROM agg_doses_facility_daily WHERE date_key <= :hi
                   GROUP BY facility_key) u ON u.facility_key = f.facility_key""",
        {"lo": lo, "hi": hi}, ints=["administered", "used"])


def facility_vaccine_use(conn: Connection, lo: int, hi: int) -> pd.DataFrame:
    """Per facility x vaccine from the facts: doses given up to `hi`, in [lo, hi], last day.

    agg_doses_facility_daily has no vaccine, so a vaccine filter reads fct_injection once for
    every vaccine (callers cache it per data version and window).
    """
    return read(conn, """
        SELECT f.facility_code, v.vaccine_code, COUNT(*) AS administered,
               SUM(CASE WHEN i.date_key >= :lo THEN 1 ELSE 0 END) AS used,
               MAX(i.date_key) AS last_key
        FROM fct_injection i
        JOIN dim_facility f ON f.facility_key = i.facility_key
        JOIN dim_vaccine v ON v.vaccine_key = i.vaccine_key
        WHERE i.date_key <= :hi
        GROUP BY f.facility_code, v.vaccine_code""",
        {"lo": lo, "hi": hi}, ints=["administered", "used"])
