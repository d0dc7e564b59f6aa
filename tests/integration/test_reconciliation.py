"""Reconciliation on each backend: with one seeded discrepancy of each kind among agreeing or
nearly agreeing records, the operations list finds exactly those two, with the records behind
them, only within the reader's area; the command center's rate counts them and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine

from data.auth.roles import Role
from data.command_errors import OpsError
from data.mcc import reconciliation as mcc
from data.ops.commands.closing import movement_id
from data.ops.queries.reconciliation import discrepancies, tolerance
from data.reconciliation import Scope, Tolerance, facility_days
from data.services import build_services
from data.settings import Settings
from tests.integration.close_setup import DAY, GIVEN_AZ, WAREHOUSE
from tests.integration.ops_setup import AZ_LOT, principal
from tests.integration.reconcile_setup import LATE, NEXT, seed_discrepancies


@pytest.fixture
def seeded(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    seed_discrepancies(settings, engine, tmp_path)


def test_the_tolerance_is_the_larger_of_a_share_and_a_dose_count() -> None:
    tol = Tolerance(2.0, 10)
    assert not tol.exceeded(10, 17) and tol.exceeded(11, 17) and tol.exceeded(-11, 0)
    assert not tol.exceeded(20, 1000) and tol.exceeded(21, 1000)


def test_each_facility_day_holds_its_three_records(engine: Engine, seeded: None) -> None:
    with engine.connect() as conn:
        days = facility_days(conn, DAY - _day(1), NEXT, Scope(national=True))
    got = {(d.facility_code, d.day): (d.administered, d.ledger_issued, d.ledger_wasted,
                                      d.reported, d.reported_wasted, d.sessions) for d in days}
    assert got == {
        ("F00101", DAY - _day(1)): (1, 0, 0, 0, 0, 0),
        ("F00101", DAY): (GIVEN_AZ + 1, GIVEN_AZ, 20 - GIVEN_AZ, GIVEN_AZ, 20 - GIVEN_AZ, 1),
        ("F00102", DAY): (1, 0, 0, 0, 0, 0),
        ("F00101", NEXT): (5 + LATE, 5, 5, 5, 5, 1),
    }


def test_the_list_finds_the_seeded_discrepancies_and_only_them(
        settings: Settings, engine: Engine, seeded: None) -> None:
    officer = principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    found = discrepancies(engine, officer, DAY - _day(1), NEXT, tolerance(settings))
    assert (found.days_checked, found.warehouses_checked, found.truncated) == (4, 2, False)
    [(day, lots)] = found.days
    assert (day.facility_code, day.day, day.ledger_gap, day.reported_gap) == (
        "F00101", NEXT, -LATE, -LATE)
    [lot] = lots
    assert (lot.lot_number, lot.administered, lot.ledger_issued, lot.reported) == (
        AZ_LOT, 5 + LATE, 5, 5)
    [session] = lot.sessions
    assert lot.movements == (movement_id(session, AZ_LOT, "ISSUE"),)
    [(store, counted)] = found.warehouses
    assert (store.warehouse_code, store.counted, store.ledger_balance, store.gap) == (
        WAREHOUSE, 58, 70, -12)
    assert [(c.lot_number, c.counted, c.ledger_balance, len(c.counts), len(c.movements))
            for c in counted] == [(AZ_LOT, 58, 70, 1, 1)]


def test_the_list_stays_within_the_readers_area(
        settings: Settings, engine: Engine, seeded: None) -> None:
    tol = tolerance(settings)
    other = principal(engine, "tram.trucbach", Role.FACILITY_STAFF, "F00102")
    mine = discrepancies(engine, other, DAY, NEXT, tol)
    assert (mine.days, mine.warehouses, mine.days_checked, mine.warehouses_checked) == (
        (), (), 1, 1)
    far = principal(engine, "tinh.hcm", Role.PROVINCE_OFFICER, "79")
    assert discrepancies(engine, far, DAY, NEXT, tol).days_checked == 0
    leader = principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    assert discrepancies(engine, leader, DAY, NEXT, tol).warehouses_checked == 0
    with pytest.raises(OpsError):
        discrepancies(engine, other, NEXT, DAY, tol)


def test_the_command_centers_rate_counts_the_same(settings: Settings, seeded: None) -> None:
    services = build_services(settings, Flask("reconcile"))
    got = mcc.rate(services, NEXT, days=3)
    assert {k: got[k] for k in ("facility_days", "flagged_days", "pct_days", "gap_doses",
                                "warehouses", "flagged_warehouses", "pct_warehouses")} == {
        "facility_days": 4, "flagged_days": 1, "pct_days": 25.0, "gap_doses": LATE,
        "warehouses": 2, "flagged_warehouses": 1, "pct_warehouses": 50.0}
    assert mcc.rate(services, NEXT, "79", days=3)["pct_days"] is None


def _day(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
