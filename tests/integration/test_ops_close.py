"""Closing a session with its tally, on each backend: the doses given are counted from the
facts of the session's facility, day and lots; open-vial wastage is vials x doses per vial -
given; the close writes the tally, an ISSUE and an OPEN_VIAL WASTAGE movement on the facility's
warehouse (operational rows, facts and on-hand rollup equal to a recomputation), the audit
entry and the data version in one transaction; a retried close changes nothing; every refusal
leaves nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Forbidden, Principal, Role
from data.command_errors import OpsError
from data.ops.commands.closing import (
    close_with_tally,
    lot_field,
    movement_id,
    session_tally,
)
from data.recompute import rollup_as_stored, rollup_from_facts
from data.settings import Settings
from tests.integration.close_setup import GIVEN_AZ, WAREHOUSE, open_session, seed_close, staff
from tests.integration.ops_setup import AZ_LOT, PFZ_LOT, SOURCE, principal

Rows = list[tuple[object, ...]]


@pytest.fixture
def desk(settings: Settings, engine: Engine, tmp_path: Path) -> Principal:
    seed_close(settings, engine, tmp_path)
    return staff(engine)


def _rows(engine: Engine, sql: str) -> Rows:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _state(engine: Engine) -> dict[str, Rows]:
    """Everything a close may write."""
    return {
        "status": _rows(engine, "SELECT session_id, status FROM vax_session ORDER BY 1"),
        "tally": _rows(engine, "SELECT * FROM vax_session_tally ORDER BY 1, 2"),
        "movements": _rows(engine, "SELECT movement_id, doses FROM stock_movement ORDER BY 1"),
        "facts": _rows(engine, "SELECT movement_id, doses FROM fct_stock_movement ORDER BY 1"),
        "on_hand": _rows(engine, "SELECT lot_number, doses FROM agg_stock_on_hand ORDER BY 1"),
        "audit": _rows(engine, "SELECT action, record_key FROM audit_log "
                               "WHERE table_name = 'vax_session' ORDER BY id"),
        "version": _rows(engine, "SELECT version FROM meta_data_version"),
    }


def _on_hand_agrees(engine: Engine) -> None:
    with engine.connect() as conn:
        stored = rollup_as_stored(conn, "agg_stock_on_hand")
        assert stored.equals(rollup_from_facts(conn, "agg_stock_on_hand")), stored


def test_the_preview_counts_the_sessions_doses_only(engine: Engine, desk: Principal) -> None:
    sid = open_session(engine, desk)
    found = session_tally(engine, desk, sid)
    assert (found.facility_code, found.status, found.warehouse_code) == (
        "F00101", "OPEN", WAREHOUSE)
    assert [(t.lot_number, t.vaccine_code, t.doses_per_vial, t.doses_given)
            for t in found.lots] == [(AZ_LOT, "AZ", 10, GIVEN_AZ)]
    # A session naming no lot counts its vaccines' lots: both of them for AZ and Pfizer.
    both = open_session(engine, desk, vaccines=["AZ", "PFZ"], lots=[])
    assert [(t.lot_number, t.doses_given) for t in session_tally(engine, desk, both).lots] == [
        (AZ_LOT, GIVEN_AZ), (PFZ_LOT, 1)]


def test_closing_writes_the_tally_and_the_movements_in_one_go(
        engine: Engine, desk: Principal) -> None:
    sid = open_session(engine, desk)
    before = _state(engine)
    done = close_with_tally(engine, desk, sid, {AZ_LOT: 2}, "en", source=SOURCE)
    assert done.outcome == "closed" and done.status == "CLOSED"
    assert [(t.lot_number, t.doses_given, t.vials_opened, t.doses_per_vial, t.doses_wasted)
            for t in done.lots] == [(AZ_LOT, 13, 2, 10, 7)]
    after = _state(engine)
    assert after["status"] == [(sid, "CLOSED")]
    assert after["tally"] == [(sid, AZ_LOT, "AZ", 10, 13, 2, 7)]
    issue, waste = movement_id(sid, AZ_LOT, "ISSUE"), movement_id(sid, AZ_LOT, "WASTAGE")
    assert _rows(engine, f"""SELECT movement_type, reason, warehouse_code, vaccine_code,
        lot_number, doses, counterparty_code FROM stock_movement
        WHERE movement_id IN ('{issue}', '{waste}') ORDER BY movement_type""") == [
        ("ISSUE", None, WAREHOUSE, "AZ", AZ_LOT, 13, None),
        ("WASTAGE", "OPEN_VIAL", WAREHOUSE, "AZ", AZ_LOT, 7, None)]
    assert sorted(after["facts"]) == sorted([*before["facts"], (issue, -13), (waste, -7)])
    assert dict(after["on_hand"]) == {AZ_LOT: 100 - 13 - 7, PFZ_LOT: 60}
    _on_hand_agrees(engine)
    assert after["audit"] == [*before["audit"], ("CLOSE", sid)]
    assert after["version"] == [(before["version"][0][0] + 1,)]
    # The movements are dated on the session's day (its end, 11:30 local).
    assert _rows(engine, f"SELECT date_key FROM fct_stock_movement "
                         f"WHERE movement_id = '{issue}'") == [(20211015,)]


def test_a_retried_close_changes_nothing_and_another_tally_is_refused(
        engine: Engine, desk: Principal) -> None:
    sid = open_session(engine, desk)
    close_with_tally(engine, desk, sid, {AZ_LOT: 2}, "en")
    closed = _state(engine)
    again = close_with_tally(engine, desk, sid, {AZ_LOT: 2}, "en")
    assert again.outcome == "unchanged"
    assert [(t.doses_given, t.vials_opened, t.doses_wasted) for t in again.lots] == [(13, 2, 7)]
    assert _state(engine) == closed
    with pytest.raises(OpsError) as err:
        close_with_tally(engine, desk, sid, {AZ_LOT: 3}, "en")
    assert err.value.codes() == {"session_id": "session.closed"}
    assert _state(engine) == closed


def test_an_8_dose_vial_lot_and_a_size_the_product_lacks(
        engine: Engine, desk: Principal) -> None:
    sid = open_session(engine, desk)
    untouched = _state(engine)
    with pytest.raises(OpsError) as err:
        close_with_tally(engine, desk, sid, {AZ_LOT: 2}, "en", per_vial={AZ_LOT: 6})
    assert err.value.codes() == {lot_field(AZ_LOT): "vials.presentation"}
    assert _state(engine) == untouched
    done = close_with_tally(engine, desk, sid, {AZ_LOT: 2}, "en", per_vial={AZ_LOT: 8})
    assert [(t.doses_per_vial, t.doses_wasted) for t in done.lots] == [(8, 3)]


@pytest.mark.parametrize(("vials", "field", "code"), [
    ({AZ_LOT: 1}, lot_field(AZ_LOT), "close.too_many_given"),  # 13 doses from one 10-dose vial
    ({AZ_LOT: 0}, lot_field(AZ_LOT), "close.too_many_given"),
    ({}, lot_field(AZ_LOT), "close.too_many_given"),            # no vial opened for 13 doses
    ({AZ_LOT: -1}, lot_field(AZ_LOT), "close.vials_value"),
    ({AZ_LOT: 10_001}, lot_field(AZ_LOT), "close.vials_value"),
    ({AZ_LOT: 2, "NOPE": 1}, lot_field("NOPE"), "close.lot_unknown"),
    ({AZ_LOT: 12}, lot_field(AZ_LOT), "stock_below_zero"),     # 120 doses of 100 on hand
])
def test_a_refused_tally_writes_nothing(engine: Engine, desk: Principal,
                                        vials: dict[str, int], field: str, code: str) -> None:
    sid = open_session(engine, desk)
    untouched = _state(engine)
    with pytest.raises(OpsError) as err:
        close_with_tally(engine, desk, sid, vials, "en")
    assert err.value.codes() == {field: code}
    assert _state(engine) == untouched


def test_the_refusals_are_worded_beside_the_lot(engine: Engine, desk: Principal) -> None:
    sid = open_session(engine, desk)
    with pytest.raises(OpsError) as err:
        close_with_tally(engine, desk, sid, {AZ_LOT: 1}, "en")
    assert err.value.problems[0].detail == "13 > 1 × 10"
    with pytest.raises(OpsError) as err:
        close_with_tally(engine, desk, sid, {AZ_LOT: 12}, "vi")
    # The stock contract's own reason, as a reject report words it: 100 - 13 - 107.
    assert err.value.problems[0].detail == (
        f"Tồn kho lô {AZ_LOT} tại kho {WAREHOUSE} sẽ âm (-20 liều)")


def test_a_facility_without_a_warehouse_is_refused(engine: Engine, desk: Principal) -> None:
    other = principal(engine, "tram.trucbach", Role.FACILITY_STAFF, "F00102")
    sid = open_session(engine, other, "F00102")
    untouched = _state(engine)
    with pytest.raises(OpsError) as err:
        close_with_tally(engine, other, sid, {}, "en")
    assert err.value.codes() == {"session_id": "close.no_warehouse"}
    assert err.value.problems[0].detail == "F00102"
    assert _state(engine) == untouched


def test_scope_is_checked_in_the_data_layer(engine: Engine, desk: Principal) -> None:
    sid = open_session(engine, desk)
    untouched = _state(engine)
    for outsider in (principal(engine, "tram.trucbach", Role.FACILITY_STAFF, "F00102"),
                     principal(engine, "quan.1", Role.DISTRICT_OFFICER, "760"),
                     principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)):
        with pytest.raises(Forbidden):
            close_with_tally(engine, outsider, sid, {AZ_LOT: 2}, "en")
        with pytest.raises(Forbidden):
            session_tally(engine, outsider, sid)
    assert _state(engine) == untouched
    # The district's officer works the session.
    district = principal(engine, "ba.dinh", Role.DISTRICT_OFFICER, "001")
    assert close_with_tally(engine, district, sid, {AZ_LOT: 2}, "en").outcome == "closed"


def test_a_second_session_of_the_day_does_not_consume_the_same_doses(
        engine: Engine, desk: Principal) -> None:
    morning = open_session(engine, desk)
    afternoon = open_session(engine, desk)
    close_with_tally(engine, desk, morning, {AZ_LOT: 2}, "en")
    assert [(t.lot_number, t.doses_given) for t in session_tally(engine, desk, afternoon).lots
            ] == [(AZ_LOT, 0)]
    done = close_with_tally(engine, desk, afternoon, {AZ_LOT: 1}, "en")
    assert [(t.doses_given, t.doses_wasted) for t in done.lots] == [(0, 10)]
    assert dict(_state(engine)["on_hand"])[AZ_LOT] == 100 - 13 - 7 - 10
    _on_hand_agrees(engine)


def test_a_failure_after_the_movements_leaves_nothing_half_written(
        engine: Engine, desk: Principal, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = open_session(engine, desk)
    untouched = _state(engine)

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("the audit log is full")

    # The audit entry is written after the movements, the tally rows and the status change.
    monkeypatch.setattr("data.ops.commands.closing.audit.record", broken)
    with pytest.raises(RuntimeError):
        close_with_tally(engine, desk, sid, {AZ_LOT: 2}, "en")
    assert _state(engine) == untouched
    _on_hand_agrees(engine)
