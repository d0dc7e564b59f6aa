"""SQL of the progress reads: doses by role per district x vaccine and per group, daily series."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from data.mcc.queries import read
from data.mcc.queries.sources import (
    FLAG_COLS,
    FLAGS,
    SUM_FLAGS,
    district_source,
    group_source,
    params,
)


def district_vaccine_flags(conn: Connection, cutoff: int | None) -> pd.DataFrame:
    """Per province, district, vaccine: doses, dose1, dose2, fully, booster, additional."""
    return read(conn, f"""
        SELECT t.province_code, t.district_code, t.vaccine_code, t.series_doses, {SUM_FLAGS}
        FROM (SELECT a.province_code, a.district_code, v.vaccine_code, v.series_doses,
                     a.doses, {FLAGS}
              FROM ({district_source(conn, cutoff)}) a
              JOIN dim_dose d ON d.dose_key = a.dose_key
              JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key) t
        GROUP BY t.province_code, t.district_code, t.vaccine_code, t.series_doses
    """, params(cutoff), ints=FLAG_COLS)


def group_flags(conn: Connection, cutoff: int | None) -> pd.DataFrame:
    """Per province, priority group, age band, sex: doses by role."""
    return read(conn, f"""
        SELECT t.province_code, t.priority_group, t.age_band, t.sex, {SUM_FLAGS}
        FROM (SELECT a.province_code, pg.priority_group, pg.age_band, pg.sex, a.doses, {FLAGS}
              FROM ({group_source(conn, cutoff)}) a
              JOIN dim_dose d ON d.dose_key = a.dose_key
              JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
              JOIN dim_population_group pg ON pg.group_key = a.group_key) t
        GROUP BY t.province_code, t.priority_group, t.age_band, t.sex
    """, params(cutoff), ints=FLAG_COLS)


def provinces(conn: Connection) -> pd.DataFrame:
    """Per province: name and population (latest year, from dim_geography)."""
    return read(conn, """
        SELECT province_code, MAX(province_name) AS province_name,
               MAX(province_population) AS population
        FROM dim_geography GROUP BY province_code ORDER BY province_code""")


def districts(conn: Connection, province_code: str) -> pd.DataFrame:
    """Per district of a province: name and population."""
    return read(conn, """
        SELECT district_code, MAX(district_name) AS district_name,
               MAX(district_population) AS population
        FROM dim_geography WHERE province_code = :p
        GROUP BY district_code ORDER BY district_code""", {"p": province_code})


def population_bands(conn: Connection) -> pd.DataFrame:
    """Latest-year denominators of every province: total and the age columns."""
    return read(conn, """
        SELECT p.area_code AS province_code, p.total, p.age_18_plus, p.age_12_17, p.age_5_11,
               p.age_65_plus
        FROM population p
        WHERE LENGTH(p.area_code) = 2
          AND p.year = (SELECT MAX(q.year) FROM population q WHERE q.area_code = p.area_code)""")


def daily_national(conn: Connection, lo: int, hi: int) -> pd.DataFrame:
    """Doses per day (date_key, doses), national."""
    return read(conn, """
        SELECT date_key, SUM(doses) AS doses FROM agg_doses_daily
        WHERE date_key BETWEEN :lo AND :hi GROUP BY date_key""", {"lo": lo, "hi": hi},
        ints=["doses"])


def daily_by_province(conn: Connection, lo: int, hi: int,
                      province_code: str | None = None) -> pd.DataFrame:
    """Doses per day and province of residence (date_key, province_code, doses)."""
    where = " AND province_code = :p" if province_code else ""
    return read(conn, f"""
        SELECT date_key, province_code, SUM(doses) AS doses FROM agg_doses_daily_province
        WHERE date_key BETWEEN :lo AND :hi{where} GROUP BY date_key, province_code""",
        {"lo": lo, "hi": hi} | ({"p": province_code} if province_code else {}), ints=["doses"])


def first_second_doses_by_day(conn: Connection, hi: int,
                              province_code: str | None = None) -> pd.DataFrame:
    """Primary doses 1 and 2 per day and vaccine up to `hi` (date_key, vaccine_code,
    dose_number, doses): nationally from agg_doses_daily, for a province of residence from
    the facts (the province rollup has no vaccine)."""
    if province_code is None:
        return read(conn, """
            SELECT a.date_key, v.vaccine_code, d.dose_number, SUM(a.doses) AS doses
            FROM agg_doses_daily a
            JOIN dim_dose d ON d.dose_key = a.dose_key
            JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
            WHERE a.date_key <= :hi AND d.dose_kind = 'PRIMARY' AND d.dose_number IN (1, 2)
            GROUP BY a.date_key, v.vaccine_code, d.dose_number""", {"hi": hi}, ints=["doses"])
    return read(conn, """
        SELECT f.date_key, v.vaccine_code, d.dose_number, COUNT(*) AS doses
        FROM fct_injection f
        JOIN dim_geography g ON g.geo_key = f.geo_key
        JOIN dim_dose d ON d.dose_key = f.dose_key
        JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
        WHERE f.date_key <= :hi AND g.province_code = :p AND d.dose_kind = 'PRIMARY'
          AND d.dose_number IN (1, 2)
        GROUP BY f.date_key, v.vaccine_code, d.dose_number""",
        {"hi": hi, "p": province_code}, ints=["doses"])
