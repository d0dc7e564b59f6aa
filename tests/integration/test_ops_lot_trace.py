"""A lot's trace on each backend (Operations II, AEFI section): the lot received nationally,
sent to two provinces (one shortfall on the road, one transfer still in transit), given at a
closed session and by file, with a serious case in each province; what each reader sees of
it, and that what lies outside their scope is only counted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data.auth.roles import SYSTEM, Forbidden, Principal
from data.ops.commands.checkin import PersonForm
from data.ops.commands.give_dose import give_dose
from data.ops.commands.sessions import create_session
from data.ops.queries.lot_trace import LotTrace, clean_key, lot_trace
from data.settings import Settings
from tests.integration.injection_setup import at_nine, choice, screened
from tests.integration.lot_trace_setup import (
    DAY,
    HANOI,
    LOT,
    NATIONAL,
    PHUCXA,
    QUAN1,
    SAIGON,
    Seeded,
    at,
    seed_lot,
)
from tests.integration.ops_setup import SOURCE, plan


@pytest.fixture
def seeded(settings: Settings, engine: Engine, tmp_path: Path) -> Seeded:
    return seed_lot(settings, engine, tmp_path)


def _trace(engine: Engine, who: Principal) -> LotTrace:
    found = lot_trace(engine, who, "AZ", LOT)
    assert found is not None
    return found


def _legs(trace: LotTrace) -> list[tuple[object, ...]]:
    return [(w.warehouse_code, w.level, w.received, w.sent, w.issued, w.written_off,
             w.on_hand, w.in_transit_in) for w in trace.warehouses]


def test_a_national_reader_follows_the_lot_everywhere(engine: Engine, seeded: Seeded) -> None:
    trace = _trace(engine, seeded.who["ministry"])
    assert (trace.vaccine_code, trace.lot_number, trace.expiry_date) == (
        "AZ", LOT, dt.date(2022, 6, 30))
    # National first, then the provinces, then the stations, each by its first movement.
    assert _legs(trace) == [
        (NATIONAL, "NATIONAL", 1000, 700, 0, 0, 300, 0),
        (HANOI, "PROVINCE", 398, 100, 0, 0, 298, 0),
        (SAIGON, "PROVINCE", 300, 50, 0, 0, 250, 0),
        (PHUCXA, "FACILITY", 100, 0, 12, -8, 80, 0),
        (QUAN1, "FACILITY", 0, 0, 0, 0, 0, 50)]
    assert trace.warehouses[0].first_at == at(0)
    assert trace.warehouses[-1].first_at is None  # never held it: the doses are on the road
    to_hanoi, to_saigon, to_phucxa, to_quan1 = seeded.transfers
    assert [(t.transfer_id, t.from_warehouse, t.to_warehouse, t.sent, t.status, t.received,
             t.discrepancy) for t in trace.transfers] == [
        (to_hanoi, NATIONAL, HANOI, 400, "RECEIVED", 398, 2),
        (to_saigon, NATIONAL, SAIGON, 300, "RECEIVED", 300, 0),
        (to_phucxa, HANOI, PHUCXA, 100, "RECEIVED", 100, 0),
        (to_quan1, SAIGON, QUAN1, 50, "IN_TRANSIT", None, None)]
    assert [(t.sent_at, t.received_at) for t in trace.transfers][2:] == [
        (at(4), at(5)), (at(6), None)]
    assert [(s.session_id, s.facility_code, s.day, s.status, s.doses_given, s.doses_wasted)
            for s in trace.sessions] == [(seeded.session_id, "F00101", DAY, "CLOSED", 12, 8)]
    assert [(f.facility_code, f.doses) for f in trace.facilities] == [
        ("F00101", 12), ("F76001", 5)]
    assert trace.facilities[0].first_at == dt.datetime(2021, 10, 15, 1, 0, tzinfo=dt.UTC)
    phucxa_case, quan1_case = seeded.cases
    assert [(c.report_id, c.facility_code, c.severity, c.seriousness, c.status, c.causality,
             c.classification) for c in trace.cases] == [
        (phucxa_case, "F00101", "SERIOUS", "HOSPITALISATION", "CLASSIFIED", "B1", "B"),
        (quan1_case, "F76001", "SERIOUS", "LIFE_THREATENING", "REPORTED", None, None)]
    assert (trace.hidden_warehouses, trace.hidden_doses, trace.hidden_cases) == (0, 0, 0)
    # The command line reads as the ministry does.
    assert _trace(engine, SYSTEM) == trace


def test_a_district_officer_sees_the_stores_above_and_only_his_district_below(
        engine: Engine, seeded: Seeded) -> None:
    trace = _trace(engine, seeded.who["badinh"])
    assert [w[0] for w in _legs(trace)] == [NATIONAL, HANOI, SAIGON, PHUCXA]
    # The transfer towards Quận 1 is seen from TP. Hồ Chí Minh's store, its end left out.
    assert [(t.from_warehouse, t.to_warehouse, t.status) for t in trace.transfers] == [
        (NATIONAL, HANOI, "RECEIVED"), (NATIONAL, SAIGON, "RECEIVED"),
        (HANOI, PHUCXA, "RECEIVED"), (SAIGON, None, "IN_TRANSIT")]
    assert [s.session_id for s in trace.sessions] == [seeded.session_id]
    assert [(f.facility_code, f.doses) for f in trace.facilities] == [("F00101", 12)]
    assert [c.report_id for c in trace.cases] == [seeded.cases[0]]
    assert (trace.hidden_warehouses, trace.hidden_doses, trace.hidden_cases) == (1, 5, 1)
    # The facility's own staff see the same as their district here.
    assert _trace(engine, seeded.who["station"]) == trace


def test_other_readers_see_their_own_side_of_the_lot(engine: Engine, seeded: Seeded) -> None:
    saigon = _trace(engine, seeded.who["saigon"])
    assert [w[0] for w in _legs(saigon)] == [NATIONAL, HANOI, SAIGON, QUAN1]
    assert saigon.warehouses[-1].in_transit_in == 50
    assert [(t.from_warehouse, t.to_warehouse) for t in saigon.transfers] == [
        (NATIONAL, HANOI), (NATIONAL, SAIGON), (HANOI, None), (SAIGON, QUAN1)]
    assert saigon.sessions == ()
    assert [(f.facility_code, f.doses) for f in saigon.facilities] == [("F76001", 5)]
    assert [(c.report_id, c.status) for c in saigon.cases] == [(seeded.cases[1], "REPORTED")]
    assert (saigon.hidden_warehouses, saigon.hidden_doses, saigon.hidden_cases) == (1, 12, 1)
    # Hoàn Kiếm (Hà Nội, another district): the public stores only; everything else counted.
    other = _trace(engine, seeded.who["hoankiem"])
    assert [w[0] for w in _legs(other)] == [NATIONAL, HANOI, SAIGON]
    assert [(t.from_warehouse, t.to_warehouse) for t in other.transfers] == [
        (NATIONAL, HANOI), (NATIONAL, SAIGON), (HANOI, None), (SAIGON, None)]
    assert (other.sessions, other.facilities, other.cases) == ((), (), ())
    assert (other.hidden_warehouses, other.hidden_doses, other.hidden_cases) == (2, 17, 2)
    # Hà Nội's province officer: its station, its session and case, not Quận 1's.
    hanoi = _trace(engine, seeded.who["hanoi"])
    assert [w[0] for w in _legs(hanoi)] == [NATIONAL, HANOI, SAIGON, PHUCXA]
    assert [c.report_id for c in hanoi.cases] == [seeded.cases[0]]


def test_unknown_lots_roles_without_operations_and_hostile_keys(
        engine: Engine, seeded: Seeded) -> None:
    assert lot_trace(engine, seeded.who["ministry"], "AZ", "NO-SUCH-LOT") is None
    assert lot_trace(engine, seeded.who["ministry"], "PFZ", LOT) is None  # the lot is AZ's
    nobody = Principal(99, "nobody", "Nobody")
    with pytest.raises(Forbidden):
        lot_trace(engine, nobody, "AZ", LOT)
    assert clean_key(" az ", " AZ2108A ") == ("AZ", "AZ2108A")
    assert clean_key("AZ", "x" * 41) is None
    assert clean_key("AZAZAZAZA", LOT) is None
    assert clean_key("AZ", "") is None
    assert clean_key(["AZ"], LOT) is None
    assert clean_key("AZ", "A\x00B") is None
    # Text SQL with bound parameters: a quote in a lot number is a lot number.
    assert lot_trace(engine, seeded.who["ministry"], "AZ", "' OR '1'='1") is None


def test_an_open_session_counts_the_doses_its_desk_gave(engine: Engine, seeded: Seeded
                                                        ) -> None:
    station = seeded.who["station"]
    day = DAY + dt.timedelta(days=1)
    session_id = create_session(engine, station, SOURCE, plan("F00101", day))
    person = PersonForm("CCCD", "001090099999", dt.date(1990, 5, 6), "M",
                        full_name="Lê Văn Bình", phone="0912000111", province_code="01",
                        district_code="001")
    cid = screened(engine, station, session_id, form=person)
    assert give_dose(engine, station, choice(cid, "DESK-1", lot_number=LOT, dose_number=1,
                                             administered_at=at_nine(day)), "en"
                     ).outcome == "loaded"
    trace = _trace(engine, seeded.who["badinh"])
    assert [(s.session_id, s.day, s.status, s.doses_given, s.doses_wasted)
            for s in trace.sessions] == [(seeded.session_id, DAY, "CLOSED", 12, 8),
                                         (session_id, day, "OPEN", 1, None)]
    assert [(f.facility_code, f.doses) for f in trace.facilities] == [("F00101", 13)]
    # Not seen from TP. Hồ Chí Minh: its officer counts the dose among the hidden ones.
    saigon = _trace(engine, seeded.who["saigon"])
    assert (saigon.sessions, saigon.hidden_doses) == ((), 13)
