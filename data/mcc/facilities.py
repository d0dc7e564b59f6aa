"""Facility performance: doses per day against capacity, utilisation, silent facilities.

Doses count where they were given (agg_doses_facility_daily); every read is below province
level, so each takes a principal and keeps only the facilities it may see: those of its
districts, or for facility staff their own facility (common.within_scope).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.auth.roles import Principal
from data.mcc import common, stock
from data.mcc.queries import facilities as q
from data.services import Services

WINDOW_DAYS = 14  # the default window: the 14 days ending on as_of
MAX_WINDOW_DAYS = 366  # a longer range is cut to its last year (one row per facility and day)


def _facilities(svc: Services) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.facilities(conn)

    return svc.cache.get_or_compute("mcc_facilities", {}, compute)


def window_days(day: dt.date, days: int = WINDOW_DAYS, start: dt.date | None = None) -> int:
    """Length of the window ending on `day`: from `start` (at most MAX_WINDOW_DAYS) when it is
    given and not after `day`, else `days`."""
    if start is None or start > day:
        return days
    return min((day - start).days + 1, MAX_WINDOW_DAYS)


def facility_daily(svc: Services, province_code: str, principal: Principal,
                   as_of: dt.date | None = None, days: int = WINDOW_DAYS,
                   start: dt.date | None = None) -> pd.DataFrame:
    """Per facility of a province (within scope) and day of the window: facility_code, name,
    district_code, date, doses, daily_capacity, utilisation_pct (days without doses are 0).

    The window ends on as_of and starts on `start` (see window_days), else spans `days` days.
    """
    principal.require_facility_detail(province_code)
    day = common.resolve_as_of(svc, as_of)
    lo, hi = common.window(day, window_days(day, days, start))

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.facility_days(conn, province_code, lo, hi)

    params = {"province": province_code, "lo": lo, "hi": hi}
    done = svc.cache.get_or_compute("mcc_facility_days", params, compute)
    fac = _facilities(svc)
    fac = common.within_scope(fac[fac["province_code"] == province_code], principal)
    dates = pd.DataFrame({"date_key": [common.date_key(d.date()) for d in
                                       pd.date_range(common.key_date(lo), day, freq="D")]})
    grid = fac[["facility_code", "name", "district_code", "daily_capacity"]].merge(
        dates, how="cross")
    out = grid.merge(done, how="left", on=["facility_code", "date_key"])
    out["doses"] = out["doses"].fillna(0).astype("int64")
    out["date"] = out.pop("date_key").map(common.key_date)
    out["utilisation_pct"] = common.pct(out["doses"], out["daily_capacity"])
    cols = ["facility_code", "name", "district_code", "date", "doses", "daily_capacity",
            "utilisation_pct"]
    return out[cols]


def utilisation(svc: Services, province_code: str, principal: Principal,
                as_of: dt.date | None = None, days: int = WINDOW_DAYS,
                start: dt.date | None = None) -> pd.DataFrame:
    """Per facility over the window (as in facility_daily): facility_code, name, kind, status,
    district_code, daily_capacity, doses, active_days, avg_per_day, peak_day,
    over_capacity_days, utilisation_pct = 100 * doses / (daily_capacity * days of the window)."""
    days = window_days(common.resolve_as_of(svc, as_of), days, start)
    daily = facility_daily(svc, province_code, principal, as_of, days)
    over = daily["daily_capacity"].notna() & (daily["doses"] > daily["daily_capacity"])
    g = daily.assign(active=daily["doses"] > 0, over=over).groupby("facility_code")
    agg = g.agg(doses=("doses", "sum"), active_days=("active", "sum"),
                peak_day=("doses", "max"), over_capacity_days=("over", "sum"))
    fac = _facilities(svc).set_index("facility_code")
    out = fac.loc[agg.index, ["name", "kind", "status", "district_code", "daily_capacity"]]
    out = out.join(agg.astype("int64")).reset_index()
    out["avg_per_day"] = (out["doses"] / days).round(1)
    out["utilisation_pct"] = common.pct(out["doses"], out["daily_capacity"] * days)
    return out


def silent_facilities(svc: Services, principal: Principal, as_of: dt.date | None = None,
                      days: int = 3, province_code: str | None = None) -> pd.DataFrame:
    """Facilities (within scope) with stock on hand but no doses in the `days` days ending on
    as_of: facility_code, name, status, province_code, district_code, on_hand,
    last_dose_date (None: never), days_silent (since the last dose; None: never)."""
    day = common.resolve_as_of(svc, as_of)
    lo, hi = common.window(day, days)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.last_doses(conn, lo, hi)

    recent = svc.cache.get_or_compute("mcc_last_doses", {"lo": lo, "hi": hi}, compute)
    recent = recent.set_index("facility_code")
    fac = _facilities(svc).copy()
    if province_code:
        fac = fac[fac["province_code"] == province_code]
    fac["on_hand"] = fac["facility_code"].map(stock.facility_on_hand(svc, day)).fillna(0)
    fac["recent"] = fac["facility_code"].map(recent["recent"]).fillna(0)
    fac = fac[(fac["on_hand"] > 0) & (fac["recent"] == 0)].copy()
    last = fac["facility_code"].map(recent["last_key"])
    fac["last_dose_date"] = last.map(lambda k: common.key_date(int(k)) if pd.notna(k) else None)
    fac["days_silent"] = fac["last_dose_date"].map(
        lambda d: (day - d).days if d is not None else None).astype("Int64")
    fac["on_hand"] = fac["on_hand"].astype("int64")
    cols = ["facility_code", "name", "status", "province_code", "district_code", "on_hand",
            "last_dose_date", "days_silent"]
    return common.within_scope(fac[cols], principal)
