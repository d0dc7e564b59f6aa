"""Named dashboard reads: cache first (keyed by data version), rollups on a miss."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.auth.roles import Principal
from data.clock import local_today
from data.mcc.queries import rollups as queries
from data.services import Services


def _with_rates(df: pd.DataFrame) -> pd.DataFrame:
    pop = df["population"].astype("float64").where(df["population"] > 0)
    out = df.copy()
    for col in ("dose1", "fully", "booster"):
        out[f"pct_{col}"] = (100.0 * out[col] / pop).round(2)
    return out


def national_kpis(svc: Services, today: dt.date | None = None) -> dict[str, int | float | None]:
    """Doses, people with >= 1 dose, fully vaccinated, boosters, today's doses, coverage."""
    day = today or local_today(svc)

    def compute() -> dict[str, int | float | None]:
        with svc.engine.connect() as conn:
            k: dict[str, int | float | None] = dict(queries.kpi_totals(conn, day))
            pop = queries.population_total(conn)
        k["population"] = pop
        k["pct_dose1"] = round(100.0 * k["dose1"] / pop, 2) if pop else None  # type: ignore[operator]
        k["pct_fully"] = round(100.0 * k["fully"] / pop, 2) if pop else None  # type: ignore[operator]
        return k

    return svc.cache.get_or_compute("national_kpis", {"today": day.isoformat()}, compute)


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


def coverage_by_province(svc: Services) -> pd.DataFrame:
    """Per province: code, name, population, doses, dose1, fully, booster and pct_* rates."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return _with_rates(queries.coverage_by_province(conn))

    return svc.cache.get_or_compute("coverage_by_province", {}, compute)


def coverage_by_district(svc: Services, province_code: str, principal: Principal) -> pd.DataFrame:
    """Per district of a province (same columns as coverage_by_province), within scope.

    Province-level figures are public; below the province a user sees only the districts of
    their own area (Forbidden otherwise), whatever the request claims.
    """
    allowed = principal.require_province_detail(province_code)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return _with_rates(queries.coverage_by_district(conn, province_code))

    df = svc.cache.get_or_compute("coverage_by_district", {"province": province_code}, compute)
    return df if allowed is None else df[df["district_code"].isin(allowed)].reset_index(drop=True)
