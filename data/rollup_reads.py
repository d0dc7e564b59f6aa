"""Named reads that the command center and the public portal both show: cache first (keyed by
data version), data.rollup_queries on a miss.

One function per figure, shared, so a number on the portal is the command center's number
(same statement, same cache entry): data.mcc re-exports these, data.portal composes them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data import rollup_queries as queries
from data.clock import local_today
from data.services import Services

# Stores that belong to no province (the country's central stores).
CENTRAL = ("NATIONAL", "REGIONAL")


def with_rates(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with pct_dose1, pct_fully, pct_booster: 100 x people / population (NaN at 0)."""
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


def coverage_by_province(svc: Services) -> pd.DataFrame:
    """Per province: code, name, population, doses, dose1, fully, booster and pct_* rates."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return with_rates(queries.coverage_by_province(conn))

    return svc.cache.get_or_compute("coverage_by_province", {}, compute)


def aefi_cases(svc: Services, until: int) -> pd.DataFrame:
    """Every AEFI reported up to the date key `until` with its dimensions (no personal data)."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            df = queries.aefi_cases(conn, until)
        df["is_serious"] = df["is_serious"].astype(bool)
        return df

    return svc.cache.get_or_compute("mcc_aefi_cases", {"until": until}, compute)


def receipts(svc: Services, cutoff: int) -> pd.DataFrame:
    """RECEIPT and TRANSFER_IN doses up to the date key `cutoff`, per receiving place x
    counterparty place (data.rollup_queries.receipts)."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return queries.receipts(conn, cutoff)

    return svc.cache.get_or_compute("mcc_receipts", {"cutoff": cutoff}, compute)


def received_from_outside(rec: pd.DataFrame, area: str) -> pd.DataFrame:
    """Receipts at an area's own stores (area = "province_code" or "district_code") from
    outside the area: a transfer between two stores of one province is not received twice."""
    cp_area = {"province_code": "cp_province", "district_code": "cp_district"}[area]
    outside = rec["cp_level"].isin(CENTRAL) | (rec[cp_area] != rec[area]) | rec[cp_area].isna()
    return rec[~rec["level"].isin(CENTRAL) & rec[area].notna() & outside]


def allocations(svc: Services) -> pd.DataFrame:
    """Every allocation decision row (decided_on as datetime.date, date_key, vaccine_code,
    recipient_level, recipient_code, province_code, doses ...)."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            df = queries.allocations(conn)
        df["decided_on"] = pd.to_datetime(df["decided_on"]).dt.date
        return df

    return svc.cache.get_or_compute("mcc_allocations", {}, compute)


def registrations_count(svc: Services) -> int:
    """How many registrations the campaign holds (a count only)."""

    def compute() -> int:
        with svc.engine.connect() as conn:
            return queries.registrations_count(conn)

    return svc.cache.get_or_compute("registrations_count", {}, compute)
