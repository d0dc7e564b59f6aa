"""Shared SQL fragments: dose flags, and sources that are exact at any cut-off date.

The all-time rollups answer 'as of' questions only when no dose (or movement) is dated after
the cut-off; earlier cut-offs read the facts, grouped to the rollup's shape: those up to the
cut-off, or (for a recent cut-off, from_end) the rollup minus those after it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from data.mcc.queries import scalar

# A dose 'completes' the primary series when its number equals the product's series length
# (1 for Janssen, 3 for Abdala), as in data.rollup_queries.
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


def from_end(conn: Connection, cutoff: int) -> bool:
    """Whether under a quarter of the doses are dated after `cutoff` (the daily rollup says).

    Then a source is cheaper as the all-time rollup minus the facts after the cut-off: 'as of
    last week' reads a week of facts, not two years (a range of the date index where doses
    arrive in date order). Near the middle the rollup's own rows cost more than they save
    (bench.as_of: 0.8x at 32% of doses after the cut-off).
    """
    after, upto = conn.execute(text("""
        SELECT SUM(CASE WHEN date_key > :cutoff THEN doses ELSE 0 END),
               SUM(CASE WHEN date_key <= :cutoff THEN doses ELSE 0 END)
        FROM agg_doses_daily"""), {"cutoff": cutoff}).one()
    return 3 * int(after or 0) < int(upto or 0)


def _as_of(rollup: str, keys: str, fact_keys: str, join: str, tail: bool) -> str:
    """Doses per `keys` up to :cutoff: the facts up to it, or (`tail`) the rollup minus
    the facts after it. Both equal the facts up to the cut-off, since every rollup equals
    its recomputation from the facts (tests/integration/test_rollups_recompute.py)."""
    if not tail:
        return f"""
        SELECT {fact_keys}, COUNT(*) AS doses FROM fct_injection f {join}
        WHERE f.date_key <= :cutoff GROUP BY {fact_keys}"""
    return f"""
        SELECT {keys}, SUM(doses) AS doses
        FROM (SELECT {keys}, doses FROM {rollup}
              UNION ALL
              SELECT {fact_keys}, -1 AS doses FROM fct_injection f {join}
              WHERE f.date_key > :cutoff) t
        GROUP BY {keys} HAVING SUM(doses) <> 0"""


_GEO = "JOIN dim_geography g ON g.geo_key = f.geo_key"


def district_source(conn: Connection, cutoff: int | None, tail: bool | None = None) -> str:
    """Doses per province, district, vaccine_key, dose_key up to `cutoff` (None: all time).

    `tail` picks the rollup-minus-later-facts form (None: from_end decides)."""
    if cutoff is None:
        return ("SELECT province_code, district_code, vaccine_key, dose_key, doses "
                "FROM agg_doses_district")
    return _as_of("agg_doses_district", "province_code, district_code, vaccine_key, dose_key",
                  "g.province_code, g.district_code, f.vaccine_key, f.dose_key", _GEO,
                  from_end(conn, cutoff) if tail is None else tail)


def group_source(conn: Connection, cutoff: int | None, tail: bool | None = None) -> str:
    """Doses per province, group_key, vaccine_key, dose_key up to `cutoff` (None: all time).

    `tail` as in district_source."""
    if cutoff is None:
        return ("SELECT province_code, group_key, vaccine_key, dose_key, doses "
                "FROM agg_doses_group")
    return _as_of("agg_doses_group", "province_code, group_key, vaccine_key, dose_key",
                  "g.province_code, f.group_key, f.vaccine_key, f.dose_key", _GEO,
                  from_end(conn, cutoff) if tail is None else tail)


def lot_source(conn: Connection, cutoff: int | None, tail: bool | None = None) -> str:
    """Doses per vaccine_key, lot_number up to `cutoff` (None: all time); `tail` as above."""
    if cutoff is None:
        return "SELECT vaccine_key, lot_number, doses FROM agg_doses_lot WHERE doses <> 0"
    return _as_of("agg_doses_lot", "vaccine_key, lot_number", "f.vaccine_key, f.lot_number",
                  "", from_end(conn, cutoff) if tail is None else tail)


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
