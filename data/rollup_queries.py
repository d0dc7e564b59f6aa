"""Read side over the rollups and facts that more than one face shows: plain SQL returning
DataFrames, no caching here (data.rollup_reads caches them per data version).

Shared by the command center (data.mcc) and the public portal (data.portal), so both read the
same numbers from the same statements (moved here from data.mcc.queries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Connection, text

# Flags derived from the dose and product dimensions: a dose 'completes' the primary series
# when its number equals the product's series length (1 for Janssen, 3 for Abdala).
_FLAGS = """
    CASE WHEN d.dose_kind = 'PRIMARY' AND d.dose_number = 1 THEN a.doses ELSE 0 END AS dose1,
    CASE WHEN d.dose_kind = 'PRIMARY' AND d.dose_number = v.series_doses
         THEN a.doses ELSE 0 END AS fully,
    CASE WHEN d.dose_kind = 'BOOSTER' THEN a.doses ELSE 0 END AS booster,
    CASE WHEN d.dose_kind = 'ADDITIONAL' THEN a.doses ELSE 0 END AS additional
"""


def read(conn: Connection, sql: str, params: Mapping[str, Any] | None = None,
         ints: Iterable[str] = ()) -> pd.DataFrame:
    """Run `sql`; columns in `ints` become int64 (PostgreSQL sums arrive as Decimal)."""
    df = pd.read_sql(text(sql), conn, params=dict(params or {}))
    for col in ints:
        df[col] = df[col].fillna(0).astype("int64")
    return df


def scalar(conn: Connection, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """One value."""
    return conn.execute(text(sql), dict(params or {})).scalar_one()


def date_key(day: dt.date) -> int:
    """dim_date key of a day."""
    return day.year * 10000 + day.month * 100 + day.day


def kpi_totals(conn: Connection, today: dt.date) -> dict[str, int]:
    """Totals by dose role over all districts, today's doses, and the last day with doses
    (last_date_key, 0 without any) with its doses."""
    row = conn.execute(text(f"""
        SELECT COALESCE(SUM(doses), 0), COALESCE(SUM(dose1), 0), COALESCE(SUM(fully), 0),
               COALESCE(SUM(booster), 0), COALESCE(SUM(additional), 0)
        FROM (SELECT a.doses, {_FLAGS}
              FROM agg_doses_district a
              JOIN dim_dose d ON d.dose_key = a.dose_key
              JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key) t
    """)).one()
    today_doses = conn.execute(
        text("SELECT COALESCE(SUM(doses), 0) FROM agg_doses_daily WHERE date_key = :k"),
        {"k": date_key(today)},
    ).scalar_one()
    last = conn.execute(
        text("SELECT MAX(date_key) FROM agg_doses_daily WHERE doses <> 0")
    ).scalar_one()
    last_doses = conn.execute(
        text("SELECT COALESCE(SUM(doses), 0) FROM agg_doses_daily WHERE date_key = :k"),
        {"k": int(last or 0)},
    ).scalar_one()
    return {
        "doses": int(row[0]), "dose1": int(row[1]), "fully": int(row[2]),
        "booster": int(row[3]), "additional": int(row[4]), "today": int(today_doses),
        "last_date_key": int(last) if last else 0, "last_day_doses": int(last_doses),
    }


def population_total(conn: Connection) -> int:
    """National denominator: the sum of the provinces' populations."""
    return int(conn.execute(text("""
        SELECT COALESCE(SUM(p), 0) FROM (
            SELECT MAX(province_population) AS p FROM dim_geography GROUP BY province_code) t
    """)).scalar_one())


def daily_by_kind(conn: Connection, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    """Doses per day and dose kind (columns: date_key, dose_kind, doses)."""
    lo = date_key(start) if start else 0
    hi = date_key(end) if end else 99991231
    return pd.read_sql(text("""
        SELECT a.date_key, d.dose_kind, SUM(a.doses) AS doses
        FROM agg_doses_daily a JOIN dim_dose d ON d.dose_key = a.dose_key
        WHERE a.date_key BETWEEN :lo AND :hi
        GROUP BY a.date_key, d.dose_kind
        HAVING SUM(a.doses) <> 0
        ORDER BY a.date_key, d.dose_kind
    """), conn, params={"lo": lo, "hi": hi})


def coverage_by_province(conn: Connection) -> pd.DataFrame:
    """Per province: population and doses by role."""
    return pd.read_sql(text(f"""
        SELECT g.province_code, g.province_name, g.population,
               COALESCE(SUM(t.doses), 0) AS doses, COALESCE(SUM(t.dose1), 0) AS dose1,
               COALESCE(SUM(t.fully), 0) AS fully, COALESCE(SUM(t.booster), 0) AS booster
        FROM (SELECT province_code, MAX(province_name) AS province_name,
                     MAX(province_population) AS population
              FROM dim_geography GROUP BY province_code) g
        LEFT JOIN (SELECT a.province_code, a.doses, {_FLAGS}
                   FROM agg_doses_district a
                   JOIN dim_dose d ON d.dose_key = a.dose_key
                   JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key) t
               ON t.province_code = g.province_code
        GROUP BY g.province_code, g.province_name, g.population
        ORDER BY g.province_code
    """), conn)


def coverage_by_district(conn: Connection, province_code: str) -> pd.DataFrame:
    """Per district of one province: population and doses by role."""
    return pd.read_sql(text(f"""
        SELECT g.district_code, g.district_name, g.population,
               COALESCE(SUM(t.doses), 0) AS doses, COALESCE(SUM(t.dose1), 0) AS dose1,
               COALESCE(SUM(t.fully), 0) AS fully, COALESCE(SUM(t.booster), 0) AS booster
        FROM (SELECT district_code, MAX(district_name) AS district_name,
                     MAX(district_population) AS population
              FROM dim_geography WHERE province_code = :p GROUP BY district_code) g
        LEFT JOIN (SELECT a.district_code, a.doses, {_FLAGS}
                   FROM agg_doses_district a
                   JOIN dim_dose d ON d.dose_key = a.dose_key
                   JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
                   WHERE a.province_code = :p) t
               ON t.district_code = g.district_code
        GROUP BY g.district_code, g.district_name, g.population
        ORDER BY g.district_code
    """), conn, params={"p": province_code})


def has_injections(conn: Connection) -> bool:
    """Whether any dose is loaded (the demo loads only into an empty database)."""
    return conn.execute(text("SELECT 1 FROM fct_injection LIMIT 1")).first() is not None


def aefi_cases(conn: Connection, until: int) -> pd.DataFrame:
    """Every AEFI reported up to `until` with its dimensions (no personal data)."""
    return read(conn, """
        SELECT a.report_id, a.onset_date_key, a.report_date_key, g.province_code,
               g.district_code, fa.facility_code, v.vaccine_code, d.dose_kind, d.dose_number,
               pg.age_band, pg.sex, a.lot_number, a.severity, a.is_serious, a.outcome,
               a.classification, r.seriousness
        FROM fct_aefi a
        JOIN dim_geography g ON g.geo_key = a.geo_key
        JOIN dim_facility fa ON fa.facility_key = a.facility_key
        JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
        JOIN dim_dose d ON d.dose_key = a.dose_key
        JOIN dim_population_group pg ON pg.group_key = a.group_key
        JOIN aefi_report r ON r.report_id = a.report_id
        WHERE a.report_date_key <= :until
        ORDER BY a.report_date_key, a.report_id""", {"until": until})


def receipts(conn: Connection, cutoff: int) -> pd.DataFrame:
    """RECEIPT and TRANSFER_IN doses per receiving warehouse place x counterparty place."""
    return read(conn, """
        SELECT w.level, w.province_code, w.district_code, v.vaccine_code,
               c.level AS cp_level, c.province_code AS cp_province,
               c.district_code AS cp_district, SUM(f.doses) AS doses
        FROM fct_stock_movement f
        JOIN dim_warehouse w ON w.warehouse_key = f.warehouse_key
        JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
        LEFT JOIN dim_warehouse c ON c.warehouse_key = f.counterparty_key
        WHERE f.movement_type IN ('RECEIPT', 'TRANSFER_IN') AND f.date_key <= :cutoff
        GROUP BY w.level, w.province_code, w.district_code, v.vaccine_code, c.level,
                 c.province_code, c.district_code""", {"cutoff": cutoff}, ints=["doses"])


def allocations(conn: Connection) -> pd.DataFrame:
    """Every allocation decision row with its date and vaccine code."""
    return read(conn, """
        SELECT a.allocation_id, a.decision_no, a.batch, d.date AS decided_on, a.date_key,
               v.vaccine_code, a.recipient_level, a.recipient_code, a.province_code, a.doses
        FROM fct_allocation a
        JOIN dim_date d ON d.date_key = a.date_key
        JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
        ORDER BY a.date_key, a.decision_no, a.recipient_code""", ints=["doses"])


def registrations_count(conn: Connection) -> int:
    """Registrations received (self-registration and lists): a count, never a person."""
    return int(scalar(conn, "SELECT COUNT(*) FROM registration"))
