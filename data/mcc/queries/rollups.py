"""Read side over the rollups: plain SQL returning DataFrames, no caching here."""

from __future__ import annotations

import datetime as dt

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
