"""Shared SQL fragments: dose flags, and sources that are exact at any cut-off date.

The all-time rollups answer 'as of' questions only when no dose (or movement) is dated after
the cut-off; earlier cut-offs fall back to the facts, grouped to the rollup's shape.
"""

from __future__ import annotations

from sqlalchemy import Connection

from data.mcc.queries import scalar

# A dose 'completes' the primary series when its number equals the product's series length
# (1 for Janssen, 3 for Abdala), as in data.queries.
FLAGS = """
    CASE WHEN d.dose_kind = 'PRIMARY' AND d.dose_number = 1 THEN a.doses ELSE 0 END AS dose1,
    CASE WHEN d.dose_kind = 'PRIMARY' AND d.dose_number = 2 THEN a.doses ELSE 0 END AS dose2,
    CASE WHEN d.dose_kind = 'PRIMARY' AND d.dose_number = v.series_doses
         THEN a.doses ELSE 0 END AS fully,
    CASE WHEN d.dose_kind = 'BOOSTER' THEN a.doses ELSE 0 END AS booster,
    CASE WHEN d.dose_kind = 'ADDITIONAL' THEN a.doses ELSE 0 END AS additional
"""
FLAG_COLS = ["doses", "dose1", "dose2", "fully", "booster", "additional"]
SUM_FLAGS = ", ".join(f"SUM({c}) AS {c}" for c in FLAG_COLS)


def last_dose_key(conn: Connection) -> int | None:
    """Latest date_key with doses (agg_doses_daily)."""
    k = scalar(conn, "SELECT MAX(date_key) FROM agg_doses_daily WHERE doses <> 0")
    return int(k) if k else None


def last_movement_key(conn: Connection) -> int | None:
    """Latest date_key of a stock movement."""
    k = scalar(conn, "SELECT MAX(date_key) FROM fct_stock_movement")
    return int(k) if k else None


def district_source(cutoff: int | None) -> str:
    """Doses per province, district, vaccine_key, dose_key up to `cutoff` (None: all time)."""
    if cutoff is None:
        return ("SELECT province_code, district_code, vaccine_key, dose_key, doses "
                "FROM agg_doses_district")
    return """
        SELECT g.province_code, g.district_code, f.vaccine_key, f.dose_key, COUNT(*) AS doses
        FROM fct_injection f JOIN dim_geography g ON g.geo_key = f.geo_key
        WHERE f.date_key <= :cutoff
        GROUP BY g.province_code, g.district_code, f.vaccine_key, f.dose_key"""


def group_source(cutoff: int | None) -> str:
    """Doses per province, group_key, vaccine_key, dose_key up to `cutoff` (None: all time)."""
    if cutoff is None:
        return ("SELECT province_code, group_key, vaccine_key, dose_key, doses "
                "FROM agg_doses_group")
    return """
        SELECT g.province_code, f.group_key, f.vaccine_key, f.dose_key, COUNT(*) AS doses
        FROM fct_injection f JOIN dim_geography g ON g.geo_key = f.geo_key
        WHERE f.date_key <= :cutoff
        GROUP BY g.province_code, f.group_key, f.vaccine_key, f.dose_key"""


def on_hand_source(cutoff: int | None) -> str:
    """Stock per warehouse_key, vaccine_key, lot_number (+ expiry_date) at `cutoff`."""
    if cutoff is None:
        return ("SELECT warehouse_key, vaccine_key, lot_number, expiry_date, doses "
                "FROM agg_stock_on_hand")
    return """
        SELECT f.warehouse_key, f.vaccine_key, f.lot_number, MAX(dd.date) AS expiry_date,
               SUM(f.doses) AS doses
        FROM fct_stock_movement f LEFT JOIN dim_date dd ON dd.date_key = f.expiry_date_key
        WHERE f.date_key <= :cutoff
        GROUP BY f.warehouse_key, f.vaccine_key, f.lot_number"""


def params(cutoff: int | None) -> dict[str, int]:
    """Bind parameters of a source."""
    return {} if cutoff is None else {"cutoff": cutoff}
