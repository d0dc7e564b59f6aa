"""Campaign progress: coverage by area, group and vaccine, drop-out, daily pace, targets.

Coverage counts people by their province/district of residence (the injections' address);
the denominators are the latest population year. 'As of' a day before the last dose, the
figures come from the facts (exact, slower, cached); otherwise from the all-time rollups.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pandas as pd

from data import catalog
from data.auth.roles import Principal
from data.mcc import common
from data.mcc.queries import progress as q
from data.mcc.queries.sources import FLAG_COLS
from data.services import Services

Metric = Literal["dose1", "fully", "booster"]
GroupBy = Literal["priority_group", "age_band", "sex"]
# Target populations: the population column and the age bands of the dim_population_group.
BASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "total": ("total", ("0-4", "5-11", "12-17", "18-64", "65+")),
    "18+": ("age_18_plus", ("18-64", "65+")),
    "65+": ("age_65_plus", ("65+",)),
    "12-17": ("age_12_17", ("12-17",)),
    "5-11": ("age_5_11", ("5-11",)),
}


def _district_flags(svc: Services, day: dt.date) -> pd.DataFrame:
    cutoff = common.dose_cutoff(svc, day)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.district_vaccine_flags(conn, cutoff)

    return svc.cache.get_or_compute("mcc_district_flags", {"cutoff": cutoff}, compute)


def _group_flags(svc: Services, day: dt.date) -> pd.DataFrame:
    cutoff = common.dose_cutoff(svc, day)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.group_flags(conn, cutoff)

    return svc.cache.get_or_compute("mcc_group_flags", {"cutoff": cutoff}, compute)


def _population_bands(svc: Services) -> pd.DataFrame:
    """Per province x age band: population (NaN where the file lacks the column)."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            p = q.population_bands(conn).set_index("province_code").astype("float64")
        bands = {"0-4": p["total"] - p["age_5_11"] - p["age_12_17"] - p["age_18_plus"],
                 "5-11": p["age_5_11"], "12-17": p["age_12_17"],
                 "18-64": p["age_18_plus"] - p["age_65_plus"], "65+": p["age_65_plus"]}
        out = pd.DataFrame(bands).rename_axis(columns="age_band").stack(future_stack=True)
        return out.rename("population").reset_index()

    return svc.cache.get_or_compute("mcc_population_bands", {}, compute)


def _with_rates(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in ("dose1", "fully", "booster"):
        out[f"pct_{col}"] = common.pct(out[col], out["population"])
    return out


def coverage_by_province(svc: Services, as_of: dt.date | None = None) -> pd.DataFrame:
    """Per province: province_code, province_name, population, doses..additional, pct_*."""
    day = common.resolve_as_of(svc, as_of)
    flags = _district_flags(svc, day).groupby("province_code")[FLAG_COLS].sum()
    out = common.provinces(svc).merge(flags, how="left", left_on="province_code",
                                      right_index=True)
    out[FLAG_COLS] = out[FLAG_COLS].fillna(0).astype("int64")
    return _with_rates(out)


def coverage_by_district(svc: Services, province_code: str, principal: Principal,
                         as_of: dt.date | None = None) -> pd.DataFrame:
    """Per district of a province within scope: district_code, district_name, population, ..."""
    allowed = principal.require_province_detail(province_code)
    day = common.resolve_as_of(svc, as_of)
    dist = common.districts(svc, province_code)
    flags = _district_flags(svc, day)
    flags = flags[flags["province_code"] == province_code].groupby("district_code")[FLAG_COLS]
    out = dist.merge(flags.sum(), how="left", left_on="district_code", right_index=True)
    out[FLAG_COLS] = out[FLAG_COLS].fillna(0).astype("int64")
    return common.in_districts(_with_rates(out), allowed)


def coverage_by_group(svc: Services, by: GroupBy, province_code: str | None = None,
                      as_of: dt.date | None = None) -> pd.DataFrame:
    """Per priority group, age band or sex: doses by role; population and pct_* for age bands."""
    df = _group_flags(svc, common.resolve_as_of(svc, as_of))
    if province_code:
        df = df[df["province_code"] == province_code]
    out = df.groupby(by, as_index=False)[FLAG_COLS].sum()
    if by == "age_band":
        pop = _population_bands(svc)
        if province_code:
            pop = pop[pop["province_code"] == province_code]
        pop = pop.groupby("age_band")["population"].sum(min_count=1)
        out["population"] = out["age_band"].map(pop)
    else:
        out["population"] = np.nan  # no denominators by priority group or sex
    return _with_rates(out)


def coverage_by_vaccine(svc: Services, province_code: str | None = None,
                        as_of: dt.date | None = None) -> pd.DataFrame:
    """Per vaccine: vaccine_code, series_doses, doses..additional, share_pct of all doses."""
    df = _district_flags(svc, common.resolve_as_of(svc, as_of))
    if province_code:
        df = df[df["province_code"] == province_code]
    out = df.groupby(["vaccine_code", "series_doses"], as_index=False)[FLAG_COLS].sum()
    out["share_pct"] = common.pct(out["doses"], pd.Series(out["doses"].sum(), out.index))
    return out.sort_values("doses", ascending=False).reset_index(drop=True)


def dropout_by_vaccine(svc: Services, province_code: str | None = None,
                       as_of: dt.date | None = None) -> pd.DataFrame:
    """Products whose primary series has 2+ doses and that have first doses due for a second
    one: vaccine_code, series_doses, interval_days, due_until, dose1_all, dose1 (first doses
    given on or before due_until, so their dose 2 is due by as_of), dose2 (second doses up to
    as_of), dropout_pct = max(0, 100 * (1 - dose2 / dose1)). A product none of whose first
    doses is due yet has no row (no rate to show).

    An estimate from counts, not a follow-up of people. The interval is the product's
    minimum dose-1 to dose-2 interval of the national catalogue (data.catalog, as in the
    interchange spec), so people still inside it are not counted as drop-outs. A dose 2 of
    another product than dose 1 (mixed schedules) still counts for the product given second,
    which can push its estimate below 0: it is then shown as 0.
    """
    day = common.resolve_as_of(svc, as_of)
    hi = common.date_key(day)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.first_second_doses_by_day(conn, hi, province_code)

    doses = svc.cache.get_or_compute("mcc_first_second_doses",
                                     {"hi": hi, "province": province_code}, compute)
    rows = []
    for v in catalog.VACCINES:
        if v.series_doses < 2:
            continue
        mine = doses[doses["vaccine_code"] == v.code]
        first, second = (mine[mine["dose_number"] == n] for n in (1, 2))
        due_until = day - dt.timedelta(days=v.min_interval_days)
        rows.append({"vaccine_code": v.code, "series_doses": v.series_doses,
                     "interval_days": v.min_interval_days, "due_until": due_until,
                     "dose1_all": int(first["doses"].sum()),
                     "dose1": int(first.loc[first["date_key"] <= common.date_key(due_until),
                                            "doses"].sum()),
                     "dose2": int(second["doses"].sum())})
    out = pd.DataFrame(rows)
    out = out[out["dose1"] > 0].reset_index(drop=True)
    share = common.ratio(out["dose2"], out["dose1"])
    out["dropout_pct"] = (100.0 * (1.0 - share)).clip(lower=0.0).round(2)
    return out


def daily_doses(svc: Services, as_of: dt.date | None = None, days: int = 90,
                province_code: str | None = None) -> pd.DataFrame:
    """Per day up to as_of: date, doses, avg_7d (trailing mean, days without doses count 0)."""
    day = common.resolve_as_of(svc, as_of)
    lo, hi = common.window(day, days + 6)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            df = (q.daily_by_province(conn, lo, hi, province_code) if province_code
                  else q.daily_national(conn, lo, hi))
        dates = pd.date_range(common.key_date(lo), day, freq="D")
        s = df.groupby("date_key")["doses"].sum()
        s.index = pd.to_datetime(s.index.astype(str), format="%Y%m%d")
        s = s.reindex(dates, fill_value=0).astype("int64")
        out = pd.DataFrame({"date": dates, "doses": s.to_numpy()})
        out["avg_7d"] = out["doses"].rolling(7).mean().round(1)
        return out.iloc[6:].reset_index(drop=True)

    params = {"day": day.isoformat(), "days": days, "province": province_code}
    return svc.cache.get_or_compute("mcc_daily_doses", params, compute)


# A week-on-week change of a handful of doses is noise, not a trend: 0 -> 3 doses reads as
# +inf%, 3 -> 0 as -100%, and a Poisson count of 5 moves by +-45% from chance alone. Below
# MIN_TREND_DOSES in the earlier week there is no percentage; below it in both weeks there is
# no direction either (trend 'few'), and the page shows the counts only.
MIN_TREND_DOSES = 20


def province_ranking(svc: Services, as_of: dt.date | None = None,
                     metric: str = "pct_fully") -> pd.DataFrame:
    """Coverage per province with rank (by `metric`), last_7d, prev_7d, trend_pct (NaN when
    prev_7d < MIN_TREND_DOSES) and trend (up, down, flat; few below MIN_TREND_DOSES in both
    weeks)."""
    day = common.resolve_as_of(svc, as_of)
    lo, hi = common.window(day, 14)
    mid = common.date_key(day - dt.timedelta(days=6))

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.daily_by_province(conn, lo, hi)

    daily = svc.cache.get_or_compute("mcc_daily_by_province", {"lo": lo, "hi": hi}, compute)
    last = daily[daily["date_key"] >= mid].groupby("province_code")["doses"].sum()
    prev = daily[daily["date_key"] < mid].groupby("province_code")["doses"].sum()
    out = coverage_by_province(svc, day)
    out["last_7d"] = out["province_code"].map(last).fillna(0).astype("int64")
    out["prev_7d"] = out["province_code"].map(prev).fillna(0).astype("int64")
    change = 100.0 * common.ratio(out["last_7d"] - out["prev_7d"], out["prev_7d"])
    out["trend_pct"] = change.where(out["prev_7d"] >= MIN_TREND_DOSES).round(1)
    few = out[["last_7d", "prev_7d"]].max(axis=1) < MIN_TREND_DOSES
    out["trend"] = np.select([few, out["last_7d"] > out["prev_7d"],
                              out["last_7d"] < out["prev_7d"]], ["few", "up", "down"], "flat")
    out["rank"] = out[metric].rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["rank", "province_code"]).reset_index(drop=True)


def target_gap(svc: Services, target_pct: float = 70.0, metric: Metric = "fully",
               base: str = "18+", as_of: dt.date | None = None) -> pd.DataFrame:
    """Per province: population (of `base`), vaccinated, pct, target_pct, target, gap (people).

    People counted are those of the base's age bands (age at the dose); the last row,
    province_code 'VN', is the country. gap = max(0, ceil(target) - vaccinated).
    """
    column, bands = BASES[base]
    df = _group_flags(svc, common.resolve_as_of(svc, as_of))
    done = df[df["age_band"].isin(bands)].groupby("province_code")[metric].sum()
    pop = _population_bands(svc)
    pop = pop[pop["age_band"].isin(bands)].groupby("province_code")["population"]
    pop = pop.sum(min_count=len(bands))
    prov = coverage_by_province(svc, as_of)[["province_code", "province_name"]]
    out = prov.assign(population=prov["province_code"].map(pop),
                      vaccinated=prov["province_code"].map(done).fillna(0).astype("int64"))
    if column == "total":  # the total may be known without its age split
        total = coverage_by_province(svc, as_of).set_index("province_code")["population"]
        out["population"] = out["population"].fillna(out["province_code"].map(total))
    nation = pd.DataFrame([{"province_code": "VN", "province_name": "Việt Nam",
                            "population": out["population"].sum(min_count=1),
                            "vaccinated": int(out["vaccinated"].sum())}])
    out = pd.concat([out, nation], ignore_index=True)
    out["population"] = out["population"].astype("float64")
    out["pct"] = common.pct(out["vaccinated"], out["population"])
    out["target_pct"] = float(target_pct)
    out["target"] = np.ceil(out["population"] * target_pct / 100.0)
    out["gap"] = (out["target"] - out["vaccinated"]).clip(lower=0)
    return out
