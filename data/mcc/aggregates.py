"""Named dashboard reads: cache first (keyed by data version), rollups on a miss."""

from __future__ import annotations

import datetime as dt

import pandas as pd

# Shared with the public portal (data.portal.figures): the same reads, the same cache entries.
from data import rollup_queries as queries
from data.auth.roles import Principal
from data.rollup_reads import coverage_by_province, national_kpis, with_rates
from data.services import Services

__all__ = ["coverage_by_district", "coverage_by_province", "daily_doses_by_kind",
           "national_kpis"]


def daily_doses_by_kind(
    svc: Services, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Doses per day by dose kind: columns date (datetime64), dose_kind, doses."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            df = queries.daily_by_kind(conn, start, end)
        df["date"] = pd.to_datetime(df.pop("date_key").astype(str), format="%Y%m%d")
        df["doses"] = df["doses"].astype("int64")
        return df[["date", "dose_kind", "doses"]]

    params = {"start": start and start.isoformat(), "end": end and end.isoformat()}
    return svc.cache.get_or_compute("daily_doses_by_kind", params, compute)


def coverage_by_district(svc: Services, province_code: str, principal: Principal) -> pd.DataFrame:
    """Per district of a province (same columns as coverage_by_province), within scope.

    Province-level figures are public; below the province a user sees only the districts of
    their own area (Forbidden otherwise), whatever the request claims.
    """
    allowed = principal.require_province_detail(province_code)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return with_rates(queries.coverage_by_district(conn, province_code))

    df = svc.cache.get_or_compute("coverage_by_district", {"province": province_code}, compute)
    return df if allowed is None else df[df["district_code"].isin(allowed)].reset_index(drop=True)
