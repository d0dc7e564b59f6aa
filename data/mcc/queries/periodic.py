"""SQL of the province's periodic report: doses of a period by product, dose kind and
priority group; wastage of a period by product and reason with the doses given beside it."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from data.mcc.queries import read


def doses(conn: Connection, lo: int, hi: int, province_code: str) -> pd.DataFrame:
    """Doses given in [lo, hi] to residents of the province (as coverage counts them): per
    vaccine_code, dose_kind, priority_group."""
    return read(conn, """
        SELECT v.vaccine_code, d.dose_kind, pg.priority_group, COUNT(*) AS doses
        FROM fct_injection f
        JOIN dim_geography g ON g.geo_key = f.geo_key
        JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
        JOIN dim_dose d ON d.dose_key = f.dose_key
        JOIN dim_population_group pg ON pg.group_key = f.group_key
        WHERE f.date_key BETWEEN :lo AND :hi AND g.province_code = :p
        GROUP BY v.vaccine_code, d.dose_kind, pg.priority_group""",
        {"lo": lo, "hi": hi, "p": province_code}, ints=["doses"])


def wasted(conn: Connection, lo: int, hi: int, province_code: str) -> pd.DataFrame:
    """WASTAGE doses in [lo, hi] at the province's own stores (province, district, facility
    levels, as its stock counts them): per vaccine_code, reason."""
    return read(conn, """
        SELECT v.vaccine_code, COALESCE(m.reason, 'OTHER') AS reason, SUM(-m.doses) AS wasted
        FROM fct_stock_movement m
        JOIN dim_warehouse w ON w.warehouse_key = m.warehouse_key
        JOIN dim_vaccine v ON v.vaccine_key = m.vaccine_key
        WHERE m.movement_type = 'WASTAGE' AND m.date_key BETWEEN :lo AND :hi
          AND w.province_code = :p AND w.level NOT IN ('NATIONAL', 'REGIONAL')
        GROUP BY v.vaccine_code, COALESCE(m.reason, 'OTHER')""",
        {"lo": lo, "hi": hi, "p": province_code}, ints=["wasted"])


def given_at(conn: Connection, lo: int, hi: int, province_code: str) -> pd.DataFrame:
    """Doses given in [lo, hi] at the province's facilities (where the stock was drawn
    down, as the stock page counts use): per vaccine_code."""
    return read(conn, """
        SELECT v.vaccine_code, COUNT(*) AS administered
        FROM fct_injection f
        JOIN dim_facility d ON d.facility_key = f.facility_key
        JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
        WHERE f.date_key BETWEEN :lo AND :hi AND d.province_code = :p
        GROUP BY v.vaccine_code""", {"lo": lo, "hi": hi, "p": province_code},
        ints=["administered"])
