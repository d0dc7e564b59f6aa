"""SQL of the daily report: doses of one day and cumulative, by vaccine and dose."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection

from data.mcc.queries import read
from data.mcc.queries.sources import district_source, params


def doses_of_day(conn: Connection, day_key: int, province_code: str | None) -> pd.DataFrame:
    """Doses given on one day by vaccine and dose: the daily rollup, or the facts of the
    day for residents of a province (an index range of fct_injection.date_key)."""
    if province_code is None:
        return read(conn, """
            SELECT v.vaccine_code, d.dose_kind, d.dose_number, SUM(a.doses) AS doses_day
            FROM agg_doses_daily a
            JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
            JOIN dim_dose d ON d.dose_key = a.dose_key
            WHERE a.date_key = :k AND a.doses <> 0
            GROUP BY v.vaccine_code, d.dose_kind, d.dose_number""", {"k": day_key},
            ints=["doses_day"])
    return read(conn, """
        SELECT v.vaccine_code, d.dose_kind, d.dose_number, COUNT(*) AS doses_day
        FROM fct_injection f
        JOIN dim_geography g ON g.geo_key = f.geo_key
        JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
        JOIN dim_dose d ON d.dose_key = f.dose_key
        WHERE f.date_key = :k AND g.province_code = :p
        GROUP BY v.vaccine_code, d.dose_kind, d.dose_number""",
        {"k": day_key, "p": province_code}, ints=["doses_day"])


def doses_cumulative(conn: Connection, cutoff: int | None,
                     province_code: str | None) -> pd.DataFrame:
    """Doses up to `cutoff` by vaccine and dose (residence in the province, if given)."""
    where = "WHERE a.province_code = :p" if province_code else ""
    return read(conn, f"""
        SELECT v.vaccine_code, d.dose_kind, d.dose_number, SUM(a.doses) AS doses_cumulative
        FROM ({district_source(conn, cutoff)}) a
        JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
        JOIN dim_dose d ON d.dose_key = a.dose_key
        {where}
        GROUP BY v.vaccine_code, d.dose_kind, d.dose_number""",
        params(cutoff) | ({"p": province_code} if province_code else {}),
        ints=["doses_cumulative"])
