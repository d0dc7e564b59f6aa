"""Pieces every command-center read shares: the 'as of' date, date keys, scope filters."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.auth.roles import Principal
from data.clock import local_today
from data.mcc.queries import progress as qp
from data.mcc.queries import sources
from data.services import Services


def date_key(day: dt.date) -> int:
    """dim_date key of a day."""
    return day.year * 10000 + day.month * 100 + day.day


def key_date(key: int) -> dt.date:
    """The day of a dim_date key."""
    return dt.date(key // 10000, key // 100 % 100, key % 100)


def last_dose_key(svc: Services) -> int | None:
    """Latest date_key with doses, cached per data version."""

    def compute() -> int | None:
        with svc.engine.connect() as conn:
            return sources.last_dose_key(conn)

    return svc.cache.get_or_compute("mcc_last_dose_key", {}, compute)


def last_movement_key(svc: Services) -> int | None:
    """Latest date_key of a stock movement, cached per data version."""

    def compute() -> int | None:
        with svc.engine.connect() as conn:
            return sources.last_movement_key(conn)

    return svc.cache.get_or_compute("mcc_last_movement_key", {}, compute)


def provinces(svc: Services) -> pd.DataFrame:
    """Every province: province_code, province_name, population (cached)."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return qp.provinces(conn)

    return svc.cache.get_or_compute("mcc_provinces", {}, compute)


def districts(svc: Services, province_code: str) -> pd.DataFrame:
    """Every district of a province: district_code, district_name, population (cached)."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return qp.districts(conn, province_code)

    return svc.cache.get_or_compute("mcc_districts", {"province": province_code}, compute)


def resolve_as_of(svc: Services, as_of: dt.date | None) -> dt.date:
    """`as_of`, else the last day with doses (a historic campaign stays 'recent'), else today."""
    if as_of is not None:
        return as_of
    last = last_dose_key(svc)
    return key_date(last) if last else local_today(svc)


def dose_cutoff(svc: Services, day: dt.date) -> int | None:
    """None when the all-time dose rollups are exact at `day`, else the day's key."""
    last = last_dose_key(svc)
    return None if last is None or date_key(day) >= last else date_key(day)


def stock_cutoff(svc: Services, day: dt.date) -> int | None:
    """None when agg_stock_on_hand is exact at `day`, else the day's key."""
    last = last_movement_key(svc)
    return None if last is None or date_key(day) >= last else date_key(day)


def window(day: dt.date, days: int) -> tuple[int, int]:
    """(first, last) date keys of the `days` days ending on `day`."""
    return date_key(day - dt.timedelta(days=days - 1)), date_key(day)


def within_scope(df: pd.DataFrame, principal: Principal, province_col: str = "province_code",
                 district_col: str = "district_code",
                 facility_col: str = "facility_code") -> pd.DataFrame:
    """Rows the principal may see: province-level rows (no district) are public; a district's
    rows need that district (or its province); a facility's own rows (`facility_col`, when the
    frame has it) are also visible to that facility's staff, and to nobody else below the
    district."""
    if principal.national or df.empty:
        return df.reset_index(drop=True)
    no_district = df[district_col].isna()
    keep = no_district.copy()
    for province, rows in df[~no_district].groupby(province_col):
        allowed = principal.districts_in(str(province))
        keep.loc[rows.index] = True if allowed is None else rows[district_col].isin(allowed)
    if facility_col in df:
        keep |= df[facility_col].isin(principal.facility_codes())
    return df[keep].reset_index(drop=True)


def in_districts(df: pd.DataFrame, allowed: frozenset[str] | None,
                 col: str = "district_code") -> pd.DataFrame:
    """Rows of the allowed districts (None: all)."""
    out = df if allowed is None else df[df[col].isin(allowed)]
    return out.reset_index(drop=True)


def pct(num: pd.Series, den: pd.Series) -> pd.Series:
    """100 * num / den rounded to 2 decimals; NaN where the denominator is missing or 0."""
    den = pd.to_numeric(den, errors="coerce").astype("float64")
    return (100.0 * num.astype("float64") / den.where(den > 0)).round(2)


def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den as float; NaN where den is 0."""
    den = den.astype("float64")
    return num.astype("float64") / den.where(den != 0, np.nan)
