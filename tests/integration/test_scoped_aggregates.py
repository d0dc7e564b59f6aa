"""Drill-down below the province is limited to the caller's area, in the data layer: a
district for district officers, one facility's own rows for facility staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, text

from data.auth.roles import SYSTEM, Forbidden, Grant, Principal, Role
from data.mcc import aefi, aggregates, facilities, progress, stock
from data.services import Services, build_services
from data.settings import Settings
from tests.integration.test_mcc_campaign import (
    AS_OF,
    MINISTRY,
    Campaign,
    aefi_read_back,
    doses_read_back,
    load_campaign,
)

PROVINCE_79 = Principal(2, "tinh79", "Tỉnh 79", (Grant(Role.PROVINCE_OFFICER, "PROVINCE", "79",
                                                       province_code="79"),))
DISTRICT_760 = Principal(3, "q1", "Quận 1", (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "760",
                                                   province_code="79", district_code="760"),))


def staff(code: str) -> Principal:
    """Facility staff of the campaign's facility `code` (F2 and F4 share district 002)."""
    return Principal(5, f"coso.{code}", code, (Grant(Role.FACILITY_STAFF, "FACILITY", code,
                                                     province_code="01", district_code="002"),))


@pytest.fixture
def svc(settings: Settings) -> Iterator[Services]:
    services = build_services(settings, Flask("scoped"))
    with services.engine.begin() as conn:
        conn.execute(text("""INSERT INTO agg_doses_district
            (district_code, vaccine_key, dose_key, province_code, doses)
            VALUES ('760', 1, 1, '79', 50), ('761', 1, 1, '79', 70), ('001', 1, 1, '01', 9)"""))
    yield services
    services.engine.dispose()


def test_national_roles_see_every_district(svc: Services) -> None:
    df = aggregates.coverage_by_district(svc, "79", SYSTEM)
    assert df.set_index("district_code").loc[["760", "761"], "dose1"].tolist() == [50, 70]


def test_province_officer_sees_own_province_only(svc: Services) -> None:
    own = aggregates.coverage_by_district(svc, "79", PROVINCE_79)
    assert own["dose1"].sum() == 120
    with pytest.raises(Forbidden):
        aggregates.coverage_by_district(svc, "01", PROVINCE_79)


def test_district_officer_sees_own_district_even_from_cache(svc: Services) -> None:
    aggregates.coverage_by_district(svc, "79", SYSTEM)  # warms the shared cache entry
    mine = aggregates.coverage_by_district(svc, "79", DISTRICT_760)
    assert mine["district_code"].tolist() == ["760"] and mine["dose1"].tolist() == [50]
    with pytest.raises(Forbidden):
        aggregates.coverage_by_district(svc, "01", DISTRICT_760)


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    return load_campaign(settings, engine, tmp_path)


@pytest.mark.parametrize("code", ["F2", "F4"])
def test_facility_staff_get_their_facility_and_not_its_neighbour(campaign: Campaign,
                                                                 code: str) -> None:
    svc, me = campaign.svc, staff(code)
    doses = doses_read_back(campaign.engine)
    window = doses[(doses["day"] > AS_OF - dt.timedelta(days=14))
                   & (doses["facility_code"] == code)]
    everyone = facilities.utilisation(svc, "01", MINISTRY)
    assert sorted(everyone["facility_code"]) == ["F1", "F2", "F4"]  # the neighbours exist

    util = facilities.utilisation(svc, "01", me)
    assert util["facility_code"].tolist() == [code]
    assert util["doses"].tolist() == [len(window)] == [{"F2": 50, "F4": 0}[code]]
    daily = facilities.facility_daily(svc, "01", me)
    assert set(daily["facility_code"]) == {code} and len(daily) == 14
    assert daily["doses"].sum() == len(window)

    points = stock.facility_points(svc, "01", me)  # the store's stock: KF2 300, KF4 50
    assert points[["facility_code", "on_hand"]].values.tolist() == [
        [code, {"F2": 300, "F4": 50}[code]]]
    silent = facilities.silent_facilities(svc, me, AS_OF, 3, "01")
    assert silent[["facility_code", "on_hand"]].values.tolist() == points[
        ["facility_code", "on_hand"]].values.tolist()

    lots = stock.expiring_lots(svc, me, AS_OF, province_code="01")
    below = lots[lots["district_code"].notna()]  # province and central stores are public
    assert below[["warehouse_code", "doses"]].values.tolist() == [
        [f"K{code}", {"F2": 300, "F4": 50}[code]]]
    risk = stock.stockout_risk(svc, me, 1e9, AS_OF, "01")
    assert risk["code"].tolist() == (["F2"] if code == "F2" else [])  # F4 never used any


def test_facility_staff_see_the_reports_of_their_facility_only(campaign: Campaign) -> None:
    reports = aefi_read_back(campaign.engine)
    mine = sorted(reports.loc[reports["facility_code"] == "F2", "report_id"])
    assert len(mine) == 21 and len(reports) == 74
    cases = aefi.case_list(campaign.svc, staff("F2"), AS_OF)
    assert sorted(cases["report_id"]) == mine
    assert cases["full_name"].notna().all()  # their own patients, as before (audited)
    in_01 = aefi.case_list(campaign.svc, staff("F2"), AS_OF, province_code="01")
    assert set(in_01["facility_code"]) == {"F2"}
    assert aefi.case_list(campaign.svc, staff("F4"), AS_OF).empty


def test_facility_staff_get_no_district_totals_and_no_other_province(
    campaign: Campaign,
) -> None:
    svc, me = campaign.svc, staff("F2")
    for read in (lambda: progress.coverage_by_district(svc, "01", me),
                 lambda: aggregates.coverage_by_district(svc, "01", me),
                 lambda: stock.stock_by_district(svc, "01", me),
                 lambda: facilities.utilisation(svc, "79", me),
                 lambda: stock.facility_points(svc, "79", me),
                 lambda: aefi.case_list(svc, me, AS_OF, province_code="79")):
        with pytest.raises(Forbidden):
            read()
    risk = stock.stockout_risk(svc, MINISTRY, 1e9, AS_OF, "01")
    assert "DISTRICT" in set(risk["level"])
    assert "DISTRICT" not in set(stock.stockout_risk(svc, me, 1e9, AS_OF, "01")["level"])
    decisions = stock.allocation_decisions(svc, me, "01", AS_OF)
    assert decisions["recipient_level"].tolist() == ["PROVINCE", "PROVINCE"]  # A1 and A5
