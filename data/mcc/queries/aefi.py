"""SQL of the AEFI reads: cases with their dimensions, dose denominators, symptom terms."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, bindparam, text

from data.mcc.queries import read
from data.mcc.queries.sources import group_source, lot_source, params

_CHUNK = 900  # below SQLite's bound-parameter limit




def denominators(conn: Connection, cutoff: int | None) -> pd.DataFrame:
    """Doses per province, vaccine, dose, age band and sex up to `cutoff`."""
    return read(conn, f"""
        SELECT a.province_code, v.vaccine_code, d.dose_kind, d.dose_number, pg.age_band,
               pg.sex, SUM(a.doses) AS doses
        FROM ({group_source(conn, cutoff)}) a
        JOIN dim_dose d ON d.dose_key = a.dose_key
        JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
        JOIN dim_population_group pg ON pg.group_key = a.group_key
        GROUP BY a.province_code, v.vaccine_code, d.dose_kind, d.dose_number, pg.age_band,
                 pg.sex""", params(cutoff), ints=["doses"])


def symptoms(conn: Connection, until: int) -> pd.DataFrame:
    """report_id, province_code (residence), vaccine_code and the reported symptoms text, up
    to `until`."""
    return read(conn, """
        SELECT a.report_id, g.province_code, v.vaccine_code, r.symptoms
        FROM fct_aefi a
        JOIN aefi_report r ON r.report_id = a.report_id
        JOIN dim_geography g ON g.geo_key = a.geo_key
        JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
        WHERE a.report_date_key <= :until""", {"until": until})


def lot_doses(conn: Connection, cutoff: int | None) -> pd.DataFrame:
    """Doses per vaccine x lot up to `cutoff` (None: all time)."""
    return read(conn, f"""
        SELECT v.vaccine_code, a.lot_number, SUM(a.doses) AS doses
        FROM ({lot_source(conn, cutoff)}) a JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
        GROUP BY v.vaccine_code, a.lot_number""", params(cutoff), ints=["doses"])


def lot_doses_by_province(conn: Connection, cutoff: int | None) -> pd.DataFrame:
    """Doses per province of residence x vaccine x lot up to `cutoff` (None: all time), from
    the facts: the lot rollup has no place."""
    where = "WHERE f.date_key <= :cutoff" if cutoff is not None else ""
    return read(conn, f"""
        SELECT g.province_code, v.vaccine_code, f.lot_number, COUNT(*) AS doses
        FROM fct_injection f
        JOIN dim_geography g ON g.geo_key = f.geo_key
        JOIN dim_vaccine v ON v.vaccine_key = f.vaccine_key
        {where}
        GROUP BY g.province_code, v.vaccine_code, f.lot_number""", params(cutoff),
        ints=["doses"])


def personal(conn: Connection, report_ids: Sequence[str]) -> pd.DataFrame:
    """Name, identity number and phone of the vaccinated person of each report."""
    stmt = text("""
        SELECT r.report_id, i.full_name, i.person_id, i.phone
        FROM aefi_report r JOIN injection i ON i.record_id = r.record_id
        WHERE r.report_id IN :ids""").bindparams(bindparam("ids", expanding=True))
    ids = list(report_ids)
    frames = [pd.read_sql(stmt, conn, params={"ids": ids[i:i + _CHUNK]})
              for i in range(0, len(ids), _CHUNK)]
    cols = ["report_id", "full_name", "person_id", "phone"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
