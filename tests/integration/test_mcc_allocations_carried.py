"""The command centre's allocations carried out, on each backend: dispatched from the sending
day and received from the confirming day (the campaign's clock), owed = allocated - received,
and "allocated" the same as the allocation page's province and district figures at every
as_of and vaccine filter. A transfer naming no decision is no delivery of one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine

from data.auth.roles import SYSTEM, Principal
from data.mcc import stock
from data.ops.commands import transfers
from data.ops.commands.allocations import allocate
from data.services import Services, build_services
from data.settings import Settings
from tests.integration.allocations_setup import NATIONAL, accounts, seed
from tests.integration.stock_ledger_setup import DISTRICT, LOT, PROVINCE, at

SEP_30, OCT_1, OCT_2, OCT_3 = (dt.date(2021, 9, 30), dt.date(2021, 10, 1), dt.date(2021, 10, 2),
                               dt.date(2021, 10, 3))


@pytest.fixture
def svc(settings: Settings, engine: Engine, tmp_path: Path) -> Services:
    seed(settings, engine, tmp_path)
    who = accounts(engine)
    national = allocate(engine, who["ministry"], {
        "decision_no": "3355/QĐ-BYT", "decided_on": "2021-09-30", "vaccine_code": "AZ",
        "recipient_code": "01", "doses": "40000", "batch": "Đợt 45"})
    allocate(engine, who["ministry"], {
        "decision_no": "3355/QĐ-BYT", "decided_on": "2021-09-30", "vaccine_code": "PFZ",
        "recipient_code": "01", "doses": "6000"})
    district = allocate(engine, who["province"], {
        "decision_no": "125/QĐ-UBND", "decided_on": "2021-10-01", "vaccine_code": "AZ",
        "recipient_code": "001", "doses": "3000"})
    # 1 Oct 15:30 local: 25 000 leave the national store; 24 000 arrive on 3 Oct at 03:00
    # local, still 2 Oct in UTC: the campaign's clock decides the day.
    sent = transfers.send(engine, SYSTEM, NATIONAL, PROVINCE, "AZ", LOT, 25_000, at(0.5),
                          allocation_id=national)
    transfers.confirm(engine, who["province"], sent, 24_000, at(36))
    # 1 Oct: 2 000 to Ba Đình against the province's decision, still on the road; and 100
    # more sent with no decision named.
    transfers.send(engine, who["province"], PROVINCE, DISTRICT, "AZ", LOT, 2000, at(2),
                   allocation_id=district)
    transfers.send(engine, who["province"], PROVINCE, DISTRICT, "AZ", LOT, 100, at(3))
    return build_services(settings, Flask("mcc"))


def _carried(svc: Services, who: Principal, province: str | None, day: dt.date,
             vaccine: str | None = None) -> list[tuple[object, ...]]:
    df = stock.allocations_by_recipient(svc, who, province, day, vaccine)
    return [tuple(r) for r in df[["recipient_code", "vaccine_code", "allocated", "dispatched",
                                  "received", "owed"]].itertuples(index=False)]


@pytest.mark.parametrize(("day", "want"), [
    (SEP_30, [("01", "AZ", 40000, 0, 0, 40000), ("01", "PFZ", 6000, 0, 0, 6000)]),
    (OCT_1, [("01", "AZ", 40000, 25000, 0, 40000), ("01", "PFZ", 6000, 0, 0, 6000)]),
    (OCT_2, [("01", "AZ", 40000, 25000, 0, 40000), ("01", "PFZ", 6000, 0, 0, 6000)]),
    (OCT_3, [("01", "AZ", 40000, 25000, 24000, 16000), ("01", "PFZ", 6000, 0, 0, 6000)]),
])
def test_national_allocations_carried_out_as_of(svc: Services, day: dt.date,
                                                want: list[tuple[object, ...]]) -> None:
    assert _carried(svc, SYSTEM, None, day) == want
    # Allocated agrees with the provinces' figures of the same page.
    provinces = stock.stock_by_province(svc, day).set_index("province_code")
    assert provinces.loc["01", "allocated"] == sum(int(w[2]) for w in want)
    az = stock.stock_by_province(svc, day, "AZ").set_index("province_code")
    assert _carried(svc, SYSTEM, None, day, "AZ") == want[:1]
    assert az.loc["01", "allocated"] == 40000
    # Each decision row carries the same delivery in the chart's data.
    rows = stock.allocation_decisions(svc, SYSTEM, None, day, "AZ")
    assert rows[["doses", "dispatched", "received", "in_transit", "short", "owed"]
                ].values.tolist() == [[w[2], w[3], w[4], w[3] - w[4] - (1000 if w[4] else 0),
                                       1000 if w[4] else 0, w[5]] for w in want[:1]]


def test_a_province_drill_down_carries_its_districts(svc: Services) -> None:
    officer = stock.allocation_decisions(svc, SYSTEM, "01", OCT_3)
    assert len(officer) == 3
    got = _carried(svc, SYSTEM, "01", OCT_3)
    assert got == [("01", "AZ", 40000, 25000, 24000, 16000), ("01", "PFZ", 6000, 0, 0, 6000),
                   ("001", "AZ", 3000, 2000, 0, 3000)]
    districts = stock.stock_by_district(svc, "01", SYSTEM, OCT_3).set_index("district_code")
    assert districts.loc["001", "allocated"] == 3000
