"""The command center's reconciliation figures: over the days ending on as_of, the share of
facility-days whose registry, ledger and tallies disagree beyond the tolerance, and of counted
warehouses whose last count disagreed with the ledger, nationally and by province.

Province-level counts and rates only (public, like the coverage map): no facility, warehouse
or record is named here; the operations page lists those to the officers of their area.
Rules and SQL are data.reconciliation's, cached by data version as every MCC aggregate.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.mcc import common
from data.reconciliation import Scope, Tolerance, facility_days, warehouse_counts
from data.services import Services

WINDOW_DAYS = 7
COLUMNS = ["province_code", "facility_days", "flagged_days", "administered", "gap_doses",
           "warehouses", "flagged_warehouses"]


def tolerance(svc: Services) -> Tolerance:
    """The configured tolerance (config.yaml `reconciliation`)."""
    return Tolerance(svc.settings.reconciliation_pct, svc.settings.reconciliation_doses)


def by_province(svc: Services, day: dt.date, days: int = WINDOW_DAYS) -> pd.DataFrame:
    """Per province (central stores under province_code None): facility-days reconciled and
    flagged, doses administered, doses of the larger gap of flagged days, warehouses counted
    and flagged; the `days` days ending on `day`."""
    tol = tolerance(svc)
    start = day - dt.timedelta(days=days - 1)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            fds = facility_days(conn, start, day, Scope(national=True))
            counts = warehouse_counts(conn, Scope(national=True))
        rows: dict[str | None, dict[str, object]] = {}

        def row(province: str | None) -> dict[str, object]:
            return rows.setdefault(province, dict.fromkeys(COLUMNS[1:], 0))
        for d in fds:
            r = row(d.province_code)
            flagged = d.flagged(tol)
            r["facility_days"] += 1  # type: ignore[operator]
            r["flagged_days"] += int(flagged)  # type: ignore[operator]
            r["administered"] += d.administered  # type: ignore[operator]
            if flagged:
                r["gap_doses"] += max(abs(d.ledger_gap), abs(d.reported_gap))  # type: ignore[operator]
        for w in counts:
            r = row(w.province_code if w.level not in ("NATIONAL", "REGIONAL") else None)
            r["warehouses"] += 1  # type: ignore[operator]
            r["flagged_warehouses"] += int(w.flagged(tol))  # type: ignore[operator]
        out = pd.DataFrame([{"province_code": p, **r} for p, r in rows.items()],
                           columns=COLUMNS)
        for col in COLUMNS[1:]:
            out[col] = out[col].astype("int64")
        return out.sort_values("province_code", na_position="first").reset_index(drop=True)

    params = {"day": day.isoformat(), "days": days, "tol": [tol.pct, tol.doses]}
    return svc.cache.get_or_compute("mcc_reconciliation", params, compute)


def rate(svc: Services, day: dt.date | None = None, province_code: str | None = None,
         days: int = WINDOW_DAYS) -> dict[str, object]:
    """The discrepancy rate of the country (or one province): facility_days, flagged_days,
    pct_days (None when nothing was reconciled), gap_doses, warehouses, flagged_warehouses,
    pct_warehouses, and the period (start, end)."""
    day = common.resolve_as_of(svc, day)
    df = by_province(svc, day, days)
    if province_code:
        df = df[df["province_code"] == province_code]
    totals = {c: int(df[c].sum()) for c in COLUMNS[1:]}
    return {
        "start": day - dt.timedelta(days=days - 1), "end": day, **totals,
        "pct_days": round(100.0 * totals["flagged_days"] / totals["facility_days"], 2)
        if totals["facility_days"] else None,
        "pct_warehouses": round(100.0 * totals["flagged_warehouses"] / totals["warehouses"], 2)
        if totals["warehouses"] else None,
    }
