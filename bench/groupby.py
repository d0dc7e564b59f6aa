"""The dashboard figures recomputed by GROUP BY over fct_injection joined to the dimensions.

The baseline of bench.reads: what each named read would cost without rollups or cache.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, text

from data.rollup_queries import date_key

# The same dose roles as data.rollup_queries, counted per fact row, not summed from rollups.
_FLAGS = """
    1 AS doses,
    CASE WHEN d.dose_kind = 'PRIMARY' AND d.dose_number = 1 THEN 1 ELSE 0 END AS dose1,
    CASE WHEN d.dose_kind = 'PRIMARY' AND d.dose_number = v.series_doses THEN 1 ELSE 0 END
        AS fully,
    CASE WHEN d.dose_kind = 'BOOSTER' THEN 1 ELSE 0 END AS booster
"""
_FACTS = f"""
    SELECT g.province_code, g.district_code, {_FLAGS}
    FROM fct_injection f
    JOIN dim_dose d ON d.dose_key = f.dose_key
    JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
    JOIN dim_geography g ON g.geo_key = f.geo_key
"""
_SUMS = """COALESCE(SUM(t.doses), 0) AS doses, COALESCE(SUM(t.dose1), 0) AS dose1,
           COALESCE(SUM(t.fully), 0) AS fully, COALESCE(SUM(t.booster), 0) AS booster"""


def national_kpis(engine: Engine, today: dt.date) -> dict[str, int]:
    """Totals by dose role, today's doses and the last day with doses, from the facts."""
    with engine.connect() as conn:
        row = conn.execute(text(f"SELECT {_SUMS} FROM ({_FACTS}) t")).one()
        today_n = conn.execute(text("SELECT COUNT(*) FROM fct_injection WHERE date_key = :k"),
                               {"k": date_key(today)}).scalar_one()
        last = conn.execute(text("SELECT MAX(date_key) FROM fct_injection")).scalar_one()
        pop = conn.execute(text("""SELECT COALESCE(SUM(p), 0) FROM (SELECT MAX(province_population)
            AS p FROM dim_geography GROUP BY province_code) x""")).scalar_one()
    return {"doses": int(row[0]), "dose1": int(row[1]), "fully": int(row[2]),
            "booster": int(row[3]), "today": int(today_n), "last_date_key": int(last or 0),
            "population": int(pop)}


def daily_by_kind(engine: Engine) -> pd.DataFrame:
    """Doses per day and dose kind, from the facts."""
    with engine.connect() as conn:
        return pd.read_sql(text("""
            SELECT f.date_key, d.dose_kind, COUNT(*) AS doses
            FROM fct_injection f JOIN dim_dose d ON d.dose_key = f.dose_key
            GROUP BY f.date_key, d.dose_kind ORDER BY f.date_key, d.dose_kind
        """), conn)


def coverage_by_province(engine: Engine) -> pd.DataFrame:
    """Per province: population and doses by role, from the facts."""
    with engine.connect() as conn:
        return pd.read_sql(text(f"""
            SELECT g.province_code, g.population, {_SUMS}
            FROM (SELECT province_code, MAX(province_population) AS population
                  FROM dim_geography GROUP BY province_code) g
            LEFT JOIN ({_FACTS}) t ON t.province_code = g.province_code
            GROUP BY g.province_code, g.population ORDER BY g.province_code
        """), conn)


def coverage_by_district(engine: Engine, province_code: str) -> pd.DataFrame:
    """Per district of one province: population and doses by role, from the facts."""
    with engine.connect() as conn:
        return pd.read_sql(text(f"""
            SELECT g.district_code, g.population, {_SUMS}
            FROM (SELECT district_code, MAX(district_population) AS population
                  FROM dim_geography WHERE province_code = :p GROUP BY district_code) g
            LEFT JOIN ({_FACTS} WHERE g.province_code = :p) t
                   ON t.district_code = g.district_code
            GROUP BY g.district_code, g.population ORDER BY g.district_code
        """), conn, params={"p": province_code})
