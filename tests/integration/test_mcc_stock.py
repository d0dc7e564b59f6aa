"""Stock reads against hand-computed balances and pandas over the doses read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from data.auth.roles import Forbidden
from data.mcc import stock
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

FACILITY_STOCK = {"F1": 300, "F2": 300, "F3": 480, "F4": 50}
FACILITY_DISTRICT = {"F1": "001", "F2": "002", "F3": "760", "F4": "002"}
DISTRICT_STOCK = {"001": 900, "002": 350, "760": 480}


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    return load_campaign(settings, engine, tmp_path)


def _used(engine: Engine, day: dt.date = AS_OF) -> pd.Series:
    """Doses given per facility in the 7 days ending on `day`."""
    doses = doses_read_back(engine)
    recent = doses[(doses["day"] > day - dt.timedelta(days=7)) & (doses["day"] <= day)]
    return recent.groupby("facility_code").size().reindex(list(FACILITY_STOCK), fill_value=0)


@pytest.mark.parametrize(("as_of", "want"), [
    (None, {"01": (3500, 3500, 3400), "79": (2000, 2000, 1980)}),
    (EARLY, {"01": (3000, 3000, 3000), "79": (2000, 2000, 2000)}),
])
def test_stock_by_province(campaign: Campaign, as_of: dt.date | None,
                           want: dict[str, tuple[int, int, int]]) -> None:
    got = stock.stock_by_province(campaign.svc, as_of).set_index("province_code")
    doses = doses_read_back(campaign.engine)
    doses = doses[doses["day"] <= (as_of or AS_OF)]
    for p, (allocated, received, on_hand) in want.items():
        assert tuple(got.loc[p, ["allocated", "received", "on_hand"]]) == (
            allocated, received, on_hand), p
        assert got.loc[p, "administered"] == (doses["facility_province"] == p).sum()
    used_01 = _used(campaign.engine, as_of or AS_OF)[["F1", "F2", "F4"]].sum()
    assert got.loc["01", "used_7d"] == used_01
    on_hand = want["01"][2]
    assert got.loc["01", "days_of_supply"] == pytest.approx(on_hand / (used_01 / 7), abs=0.05)
    assert got.loc["48", "on_hand"] == 0 and pd.isna(got.loc["48", "days_of_supply"])


def test_stock_by_district_is_scoped(campaign: Campaign) -> None:
    got = stock.stock_by_district(campaign.svc, "01", MINISTRY).set_index("district_code")
    assert got.loc["001", ["allocated", "received", "on_hand"]].tolist() == [1000, 1000, 900]
    assert got.loc["002", ["allocated", "received", "on_hand"]].tolist() == [350, 350, 350]
    assert got.loc["003", "on_hand"] == 0
    mine = stock.stock_by_district(campaign.svc, "01", D001)
    assert mine["district_code"].tolist() == ["001"] and mine["on_hand"].tolist() == [900]
    with pytest.raises(Forbidden):
        stock.stock_by_district(campaign.svc, "01", D760)


def test_allocation_decisions(campaign: Campaign) -> None:
    national = stock.allocation_decisions(campaign.svc, MINISTRY)
    assert national["recipient_code"].tolist() == ["01", "79", "01"]
    assert national["decision_no"].tolist() == ["100/QĐ-BYT", "100/QĐ-BYT", "120/QĐ-BYT"]
    assert national["decided_on"].tolist() == [dt.date(2021, 7, 20)] * 2 + [dt.date(2021, 8, 18)]
    hanoi = stock.allocation_decisions(campaign.svc, P01, "01")
    assert hanoi["recipient_code"].tolist() == ["01", "001", "002", "01"]
    assert hanoi["cumulative"].tolist() == [3000, 4000, 4350, 500]
    assert stock.allocation_decisions(campaign.svc, D001, "01")["recipient_code"].tolist() == [
        "01", "001", "01"]
    assert stock.allocation_decisions(campaign.svc, P01, "01", EARLY)["doses"].sum() == 4350


def test_expiring_lots_where_they_sit(campaign: Campaign) -> None:
    got = stock.expiring_lots(campaign.svc, MINISTRY)
    rows = {(r.warehouse_code, r.lot_number): (r.days_left, r.band, r.doses)
            for r in got.itertuples()}
    assert rows == {("KQG", "A1"): (21, 30, 7000), ("KT01", "A1"): (21, 30, 1650),
                    ("KH001", "A1"): (21, 30, 600), ("KF1", "A1"): (21, 30, 300),
                    ("KF2", "A1"): (21, 30, 300), ("KF4", "A1"): (21, 30, 50),
                    ("KT79", "P1"): (56, 60, 1500), ("KF3", "P1"): (56, 60, 480)}
    assert set(got.loc[got["warehouse_code"] == "KQG", "level"]) == {"NATIONAL"}
    assert set(stock.expiring_lots(campaign.svc, MINISTRY, bands=(30,))["lot_number"]) == {"A1"}
    mine = stock.expiring_lots(campaign.svc, D001)
    assert set(mine["warehouse_code"]) == {"KQG", "KT01", "KT79", "KH001", "KF1"}
    later = stock.expiring_lots(campaign.svc, MINISTRY, dt.date(2021, 9, 5))
    assert set(later["lot_number"]) == {"A1", "P1", "V1"}


@pytest.mark.parametrize("threshold", [1e6, 30.0, 10.0])
def test_stockout_risk(campaign: Campaign, threshold: float) -> None:
    used = _used(campaign.engine)
    days = {("FACILITY", f): FACILITY_STOCK[f] / (u / 7) for f, u in used.items() if u}
    per_district = used.groupby(FACILITY_DISTRICT).sum()
    days |= {("DISTRICT", d): DISTRICT_STOCK[d] / (u / 7) for d, u in per_district.items() if u}
    want = {k: round(v, 1) for k, v in days.items() if round(v, 1) < threshold}
    got = stock.stockout_risk(campaign.svc, MINISTRY, threshold)
    assert dict(zip(zip(got["level"], got["code"], strict=True), got["days_of_supply"],
                    strict=True)) == want
    scoped = stock.stockout_risk(campaign.svc, D760, threshold)
    assert set(scoped["district_code"]) <= {"760"}
    assert len(scoped) == sum(1 for lvl, c in want if c in ("F3", "760"))


def test_facility_points(campaign: Campaign) -> None:
    every = stock.facility_points(campaign.svc, "01", P01).set_index("facility_code")
    assert every["on_hand"].to_dict() == {"F1": 300, "F2": 300, "F4": 50}
    assert every["used_7d"].to_dict() == _used(campaign.engine)[["F1", "F2", "F4"]].to_dict()
    mine = stock.facility_points(campaign.svc, "01", D001)
    assert mine[["facility_code", "latitude", "longitude"]].values.tolist() == [
        ["F1", 21.046, 105.847]]
    with pytest.raises(Forbidden):
        stock.facility_points(campaign.svc, "79", D001)
