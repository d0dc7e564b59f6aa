"""Progress reads against pandas over the injections read back from the database."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from data import catalog
from data.auth.roles import Forbidden
from data.mcc import progress
from data.settings import Settings
from tests.integration.test_mcc_campaign import (
    AS_OF,
    D001,
    D760,
    EARLY,
    MINISTRY,
    P01,
    Campaign,
    doses_read_back,
    load_campaign,
)

POP = {"01": 1000, "79": 2000}
ADULTS = {"01": 700, "79": 1500}
BANDS_01 = {"0-4": 700.0, "5-11": 100.0, "12-17": 100.0, "18-64": 600.0, "65+": 100.0}


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    return load_campaign(settings, engine, tmp_path)


def _roles(df: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    return df.groupby(by)[["dose1", "dose2", "fully", "booster"]].sum().astype("int64")


@pytest.mark.parametrize("as_of", [None, EARLY])
def test_coverage_by_province_matches_the_doses(campaign: Campaign, as_of: dt.date | None
                                                 ) -> None:
    doses = doses_read_back(campaign.engine)
    doses = doses[doses["day"] <= (as_of or AS_OF)]
    want = _roles(doses, "province_code")
    got = progress.coverage_by_province(campaign.svc, as_of).set_index("province_code")
    for p in ("01", "79"):
        for col in ("dose1", "fully", "booster"):
            assert got.loc[p, col] == want.loc[p, col], (p, col)
            assert got.loc[p, f"pct_{col}"] == round(100 * want.loc[p, col] / POP[p], 2)
        assert got.loc[p, "population"] == POP[p]
    assert got["doses"].sum() == len(doses)
    assert got.loc["48", "doses"] == 0 and math.isnan(got.loc["48", "pct_fully"])


def test_coverage_by_district_is_scoped(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    want = _roles(doses[doses["province_code"] == "01"], "district_code")
    every = progress.coverage_by_district(campaign.svc, "01", MINISTRY).set_index("district_code")
    assert every.loc[["001", "002"], "fully"].tolist() == want.loc[["001", "002"], "fully"].tolist()
    assert every.loc["001", "population"] == 600
    assert progress.coverage_by_district(campaign.svc, "01", P01)["dose1"].sum() == \
        want["dose1"].sum()
    mine = progress.coverage_by_district(campaign.svc, "01", D001)
    assert mine["district_code"].tolist() == ["001"]
    assert mine["dose1"].tolist() == [want.loc["001", "dose1"]]
    for principal, province in ((D760, "01"), (P01, "79"), (D001, "79")):
        with pytest.raises(Forbidden):
            progress.coverage_by_district(campaign.svc, province, principal)


def test_coverage_by_group_age_band_with_denominators(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    got = progress.coverage_by_group(campaign.svc, "age_band", "01").set_index("age_band")
    want = _roles(doses[doses["province_code"] == "01"], "age_band")
    assert got["fully"].to_dict() == want["fully"].to_dict()
    assert got["population"].to_dict() == {b: BANDS_01[b] for b in got.index}
    band = want.index[0]
    assert got.loc[band, "pct_dose1"] == round(100 * want.loc[band, "dose1"] / BANDS_01[band], 2)
    for by in ("sex", "priority_group"):
        g = progress.coverage_by_group(campaign.svc, by).set_index(by)
        w = _roles(doses, by)
        assert g["booster"].to_dict() == w["booster"].to_dict()
        assert g["pct_fully"].isna().all()


def test_by_vaccine_and_dropout(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    want = _roles(doses, "vaccine_code")
    got = progress.coverage_by_vaccine(campaign.svc).set_index("vaccine_code")
    assert got[["dose1", "dose2", "fully"]].sort_index().equals(
        want[["dose1", "dose2", "fully"]].sort_index())
    assert got["share_pct"].sum() == pytest.approx(100, abs=0.05)


@pytest.mark.parametrize("as_of", [None, dt.date(2021, 8, 15), dt.date(2021, 9, 30)])
@pytest.mark.parametrize("province", [None, "79"])
def test_dropout_counts_only_first_doses_due_for_dose_2(campaign: Campaign,
                                                        as_of: dt.date | None,
                                                        province: str | None) -> None:
    day = as_of or AS_OF
    doses = doses_read_back(campaign.engine)
    doses = doses[(doses["day"] <= day) & (doses["dose_kind"] == "PRIMARY")]
    if province:
        doses = doses[doses["province_code"] == province]
    want = {}
    for v in catalog.VACCINES:
        mine = doses[doses["vaccine_code"] == v.code]
        due = day - dt.timedelta(days=v.min_interval_days)
        first = int(((mine["dose_number"] == 1) & (mine["day"] <= due)).sum())
        second = int((mine["dose_number"] == 2).sum())
        if v.series_doses >= 2 and first:
            want[v.code] = (first, second, max(0.0, 100 * (1 - second / first)))
    got = progress.dropout_by_vaccine(campaign.svc, province, as_of).set_index("vaccine_code")
    assert set(got.index) == set(want) and "JNJ" not in got.index
    for v, (first, second, pct) in want.items():
        assert (got.loc[v, "dose1"], got.loc[v, "dose2"]) == (first, second), v
        assert got.loc[v, "dropout_pct"] == pytest.approx(pct, abs=0.006), v
    assert (got["dropout_pct"] >= 0).all()
    if as_of == dt.date(2021, 9, 30):  # every first dose is due by then
        assert set(got.index) == {v for v in ("AZ", "PFZ", "VRC", "ABD")
                                  if ((doses["vaccine_code"] == v)
                                      & (doses["dose_number"] == 1)).any()}
    # In this campaign doses 2 outnumber the doses 1 due: the plain count would go below 0.
    if as_of is None and province is None:
        assert want["ABD"][0] < want["ABD"][1] and got.loc["ABD", "dropout_pct"] == 0


def test_daily_doses_and_seven_day_average(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    per_day = doses.groupby("day").size()
    got = progress.daily_doses(campaign.svc, days=10)
    assert got["date"].dt.date.tolist() == [AS_OF - dt.timedelta(days=9 - i) for i in range(10)]
    assert got["doses"].tolist() == [int(per_day.get(d.date(), 0)) for d in got["date"]]
    last7 = [int(per_day.get(AS_OF - dt.timedelta(days=i), 0)) for i in range(7)]
    assert got["avg_7d"].iloc[-1] == pytest.approx(sum(last7) / 7, abs=0.05)
    hcm = progress.daily_doses(campaign.svc, days=20, province_code="79")
    assert hcm["doses"].sum() == (doses["province_code"] == "79").sum()


def test_province_ranking_and_trend(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    got = progress.province_ranking(campaign.svc).set_index("province_code")
    for p in ("01", "79"):
        mine = doses[doses["province_code"] == p]
        last = (mine["day"] > AS_OF - dt.timedelta(days=7)).sum()
        prev = ((mine["day"] <= AS_OF - dt.timedelta(days=7))
                & (mine["day"] > AS_OF - dt.timedelta(days=14))).sum()
        assert (got.loc[p, "last_7d"], got.loc[p, "prev_7d"]) == (last, prev)
        assert got.loc[p, "trend"] == ("up" if last > prev else "down" if last < prev else "flat")
        assert got.loc[p, "trend_pct"] == pytest.approx(100 * (last - prev) / prev, abs=0.05)
    best = "01" if got.loc["01", "pct_fully"] > got.loc["79", "pct_fully"] else "79"
    assert got.loc[best, "rank"] == 1


def test_target_gap_for_adults(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    adults = doses[doses["age_band"].isin(["18-64", "65+"])]
    got = progress.target_gap(campaign.svc, 70.0, "fully", "18+").set_index("province_code")
    for p in ("01", "79"):
        done = int(adults.loc[adults["province_code"] == p, "fully"].sum())
        assert got.loc[p, "vaccinated"] == done and got.loc[p, "population"] == ADULTS[p]
        assert got.loc[p, "target"] == math.ceil(0.7 * ADULTS[p])
        assert got.loc[p, "gap"] == max(0, math.ceil(0.7 * ADULTS[p]) - done)
    assert got.loc["VN", "vaccinated"] == int(adults["fully"].sum())
    assert got.loc["VN", "population"] == 2200
