"""Facility reads and the daily report against pandas over the doses read back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from data.auth.roles import Forbidden
from data.mcc import facilities, reports
from data.settings import Settings
from tests.integration.test_mcc_campaign import (
    AS_OF,
    D001,
    D760,
    MINISTRY,
    P01,
    Campaign,
    aefi_read_back,
    doses_read_back,
    load_campaign,
)

CAPACITY = {"F1": 10, "F2": 20, "F4": 5}


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    return load_campaign(settings, engine, tmp_path)


def test_facility_daily_and_utilisation(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    window = doses[doses["day"] > AS_OF - dt.timedelta(days=14)]
    per_day = window.groupby(["facility_code", "day"]).size()
    got = facilities.facility_daily(campaign.svc, "01", P01)
    assert len(got) == 3 * 14 and set(got["facility_code"]) == set(CAPACITY)
    for r in got.itertuples():
        assert r.doses == per_day.get((r.facility_code, r.date), 0)
        assert r.utilisation_pct == round(100 * r.doses / CAPACITY[r.facility_code], 2)
    util = facilities.utilisation(campaign.svc, "01", MINISTRY).set_index("facility_code")
    for f, cap in CAPACITY.items():
        mine = per_day[per_day.index.get_level_values(0) == f] if f in per_day else pd.Series()
        assert util.loc[f, "doses"] == mine.sum()
        assert util.loc[f, "active_days"] == len(mine)
        assert util.loc[f, "over_capacity_days"] == (mine > cap).sum()
        assert util.loc[f, "utilisation_pct"] == round(100 * mine.sum() / (cap * 14), 2)
    assert facilities.facility_daily(campaign.svc, "01", D001)["facility_code"].unique(
        ).tolist() == ["F1"]
    with pytest.raises(Forbidden):
        facilities.utilisation(campaign.svc, "01", D760)


@pytest.mark.parametrize(("start", "days"), [(dt.date(2021, 8, 1), 20), (AS_OF, 1),
                                             (dt.date(2021, 8, 25), 14)])
def test_facility_window_follows_the_date_range(campaign: Campaign, start: dt.date,
                                                days: int) -> None:
    doses = doses_read_back(campaign.engine)
    first = AS_OF - dt.timedelta(days=days - 1)
    window = doses[(doses["day"] >= first) & (doses["day"] <= AS_OF)]
    per_day = window.groupby(["facility_code", "day"]).size()
    got = facilities.facility_daily(campaign.svc, "01", P01, start=start)
    assert len(got) == 3 * days and got["date"].min() == first and got["date"].max() == AS_OF
    for r in got.itertuples():
        assert r.doses == per_day.get((r.facility_code, r.date), 0)
    util = facilities.utilisation(campaign.svc, "01", MINISTRY, start=start).set_index(
        "facility_code")
    for f, cap in CAPACITY.items():
        mine = window[window["facility_code"] == f]
        assert util.loc[f, "doses"] == len(mine)
        assert util.loc[f, "active_days"] == mine["day"].nunique()
        assert util.loc[f, "utilisation_pct"] == round(100 * len(mine) / (cap * days), 2)
        assert util.loc[f, "avg_per_day"] == round(len(mine) / days, 1)


def test_silent_facilities_hold_stock_without_doses(campaign: Campaign) -> None:
    doses = doses_read_back(campaign.engine)
    last_f2 = doses.loc[doses["facility_code"] == "F2", "day"].max()
    got = facilities.silent_facilities(campaign.svc, MINISTRY, days=3).set_index("facility_code")
    assert got.index.tolist() == ["F2", "F4"]
    assert got.loc["F2", "on_hand"] == 300 and got.loc["F2", "last_dose_date"] == last_f2
    assert got.loc["F2", "days_silent"] == (AS_OF - last_f2).days
    assert got.loc["F4", "last_dose_date"] is None and pd.isna(got.loc["F4", "days_silent"])
    # A window reaching back before F2 stopped: only F4 (never vaccinated) stays silent.
    assert facilities.silent_facilities(campaign.svc, MINISTRY, days=10)[
        "facility_code"].tolist() == ["F4"]
    assert facilities.silent_facilities(campaign.svc, D001).empty
    assert facilities.silent_facilities(campaign.svc, D760, province_code="79").empty


@pytest.mark.parametrize("province", [None, "79"])
def test_daily_report_and_exports(campaign: Campaign, province: str | None) -> None:
    doses = doses_read_back(campaign.engine)
    if province:
        doses = doses[doses["province_code"] == province]
    sections = reports.daily_report(campaign.svc, province_code=province)
    assert list(sections) == ["summary", "doses", "stock", "aefi"]
    table = sections["doses"].set_index(["vaccine_code", "dose_kind", "dose_number"])
    keys = ["vaccine_code", "dose_kind", "dose_number"]
    assert table["doses_cumulative"].to_dict() == doses.groupby(keys).size().to_dict()
    today = doses[doses["day"] == AS_OF].groupby(keys).size()
    assert table["doses_day"][table["doses_day"] > 0].to_dict() == today.to_dict()
    summary = sections["summary"].iloc[0]
    assert summary["doses_day"] == len(doses[doses["day"] == AS_OF])
    assert summary["fully"] == doses["fully"].sum()
    assert summary["on_hand"] == (1980 if province else 12380)
    cases = aefi_read_back(campaign.engine)
    cases = cases[pd.to_datetime(cases["reported_at"], utc=True, format="ISO8601")
                  .dt.tz_convert("Asia/Ho_Chi_Minh").dt.date == AS_OF]
    if province:
        cases = cases[cases["province_code"] == province]
    assert summary["aefi_day"] == len(cases)
    book = load_workbook(io.BytesIO(reports.to_xlsx(sections)))
    assert book.sheetnames == ["summary", "doses", "stock", "aefi"]
    assert book["summary"]["D2"].value == summary["doses_day"]
    csv = reports.to_csv(sections)
    back = pd.read_csv(io.BytesIO(csv["doses.csv"]), encoding="utf-8-sig")
    assert back["doses_cumulative"].sum() == len(doses)
