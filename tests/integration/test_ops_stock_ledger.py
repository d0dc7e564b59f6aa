"""The stock ledger's commands on each backend: receive, issue, adjust (with the contract's
reasons and issue 12's extra ones), count, and two-sided transfers, each written through the
stock kind (operational rows, facts and rollup together) with its audit entry and data
version; the back-dated check; transfers in transit counted once; scope refusals. Every
refusal leaves nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import SYSTEM, Forbidden, Principal, Role
from data.command_errors import OpsError
from data.ops.commands import counts, stock, transfers
from data.ops.queries.stock_ledger import LotKey, in_transit_in, on_hand_at, stock_card
from data.ops.queries.stock_positions import Position, lot_card, warehouse_stock
from data.recompute import rollup_as_stored, rollup_from_facts
from data.settings import Settings
from tests.integration.ops_setup import principal
from tests.integration.stock_ledger_setup import (
    DISTRICT,
    EXPIRY,
    LOT,
    PROVINCE,
    SAIGON,
    STATION,
    accounts,
    at,
    ledger_state,
    seed_warehouses,
)


@pytest.fixture
def who(settings: Settings, engine: Engine, tmp_path: Path) -> dict[str, Principal]:
    seed_warehouses(settings, engine, tmp_path)
    return accounts(engine)


def _lot(warehouse: str) -> LotKey:
    return LotKey(warehouse, "AZ", LOT)


def _balance(engine: Engine, warehouse: str, hours: float) -> int:
    with engine.connect() as conn:
        return on_hand_at(conn, _lot(warehouse), at(hours))


def _rollup_agrees(engine: Engine) -> None:
    with engine.connect() as conn:
        stored = rollup_as_stored(conn, "agg_stock_on_hand")
        assert stored.equals(rollup_from_facts(conn, "agg_stock_on_hand")), stored


def _refused(engine: Engine, call: object, codes: dict[str, str]) -> None:
    before = ledger_state(engine)
    with pytest.raises(OpsError) as err:
        call()  # type: ignore[operator]
    assert err.value.codes() == codes
    assert ledger_state(engine) == before


def test_receive_issue_adjust_and_the_stock_card(engine: Engine, who: dict[str, Principal]
                                                 ) -> None:
    officer = who["province"]
    before = ledger_state(engine)
    rid = stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 500, at(0), vvm_stage=1,
                        lang="en")
    iid = stock.issue(engine, officer, PROVINCE, "AZ", LOT, 120, at(2), lang="en")
    aid = stock.adjust(engine, officer, PROVINCE, "AZ", LOT, -10, "BROKEN", at(3), lang="en")
    lost = stock.adjust(engine, officer, PROVINCE, "AZ", LOT, -5, "LOST", at(4), lang="en")
    with engine.connect() as conn:
        card = stock_card(conn, _lot(PROVINCE))
        rows = conn.execute(text("""SELECT movement_id, movement_type, doses, reason,
            expiry_date FROM stock_movement ORDER BY occurred_at""")).all()
    assert [(c.movement_id, c.movement_type, c.doses, c.balance) for c in card] == [
        (rid, "RECEIPT", 500, 500), (iid, "ISSUE", -120, 380), (aid, "ADJUSTMENT", -10, 370),
        (lost, "ADJUSTMENT", -5, 365)]
    # LOST is not a contract reason: the file-shaped row says OTHER, the ledger keeps LOST.
    assert [(c.reason, c.reason_detail) for c in card[2:]] == [("BROKEN", None),
                                                              ("OTHER", "LOST")]
    assert card[0].vvm_stage == 1
    assert [r[3] for r in rows] == [None, None, "BROKEN", "OTHER"]
    assert str(rows[1][4])[:10] == EXPIRY.isoformat()  # the issue took the lot's expiry
    # The balance at any moment is the running sum up to it.
    assert [_balance(engine, PROVINCE, h) for h in (-1, 0, 1, 2, 3.5, 10)] == [
        0, 500, 500, 380, 370, 365]
    _rollup_agrees(engine)
    after = ledger_state(engine)
    assert after["audit"][len(before["audit"]):] == [
        ("RECEIVE", rid), ("ISSUE", iid), ("ADJUST", aid), ("ADJUST", lost)]
    assert after["version"] == [(before["version"][0][0] + 4,)]


def test_a_back_dated_movement_is_checked_at_its_date_and_every_later_one(
        engine: Engine, who: dict[str, Principal]) -> None:
    officer = who["province"]
    stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 100, at(0))
    stock.issue(engine, officer, PROVINCE, "AZ", LOT, 80, at(10))
    stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 50, at(20))
    # Today's balance (70) would allow 60, but at hour 10 only 20 are left after the issue.
    _refused(engine, lambda: stock.issue(engine, officer, PROVINCE, "AZ", LOT, 60, at(5)),
             {"doses": "stock_below_zero_later"})
    # Before the first receipt there was nothing at all.
    _refused(engine, lambda: stock.adjust(engine, officer, PROVINCE, "AZ", LOT, -1, "OTHER",
                                          at(-1)), {"doses": "stock_below_zero_later"})
    stock.issue(engine, officer, PROVINCE, "AZ", LOT, 20, at(5))  # exactly the lowest
    assert [_balance(engine, PROVINCE, h) for h in (5, 10, 20)] == [80, 0, 50]
    with engine.connect() as conn:
        assert min(c.balance for c in stock_card(conn, _lot(PROVINCE))) == 0


def test_refusals_are_worded_beside_their_field(engine: Engine, who: dict[str, Principal]
                                                ) -> None:
    officer = who["province"]
    stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 100, at(0))
    _refused(engine, lambda: stock.adjust(engine, officer, PROVINCE, "AZ", LOT, 5, "STOLEN",
                                          at(1)), {"reason": "stock.reason_debit_only"})
    _refused(engine, lambda: stock.adjust(engine, officer, PROVINCE, "AZ", LOT, -5, "COUNT",
                                          at(1)), {"reason": "stock.reason_unknown"})
    _refused(engine, lambda: stock.issue(engine, officer, PROVINCE, "AZ", "NOLOT", 1, at(1)),
             {"lot_number": "stock.lot_not_held"})
    _refused(engine, lambda: stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 0,
                                           at(1), vvm_stage=5),
             {"doses": "stock.doses_value", "vvm_stage": "stock.vvm_stage"})
    _refused(engine, lambda: stock.receive(engine, officer, "KHO-XX", "AZ", LOT, EXPIRY, 1,
                                           at(1)), {"warehouse_code": "stock.warehouse_unknown"})
    # The contract's own rules come from the stock kind, worded as a reject report words them.
    with pytest.raises(OpsError) as err:
        stock.receive(engine, officer, PROVINCE, "XYZ", LOT, EXPIRY, 1, at(1), lang="en")
    assert [(p.field, p.code, p.worded) for p in err.value.problems] == [
        ("vaccine_code", "bad_choice", True)]


def test_a_count_derives_its_adjustment(engine: Engine, who: dict[str, Principal]) -> None:
    staff = who["station"]
    stock.receive(engine, SYSTEM, STATION, "AZ", LOT, EXPIRY, 100, at(0))
    stock.issue(engine, staff, STATION, "AZ", LOT, 30, at(5))
    counts.count(engine, staff, STATION, "AZ", LOT, 68, at(6), vvm_stage=2)  # 2 missing
    counts.count(engine, staff, STATION, "AZ", LOT, 68, at(7))               # agrees
    # Back-dated: 75 counted at hour 1, when the ledger said 100; the -25 stays >= 0 later.
    counts.count(engine, staff, STATION, "AZ", LOT, 75, at(1))
    with engine.connect() as conn:
        stored = conn.execute(text("""SELECT counted, ledger_balance, movement_id IS NULL
            FROM vax_stock_count ORDER BY counted_at""")).all()
        card = stock_card(conn, _lot(STATION))
    assert [tuple(r) for r in stored] == [(75, 100, False), (68, 70, False), (68, 68, True)]
    assert [(c.movement_type, c.reason, c.doses, c.balance) for c in card] == [
        ("RECEIPT", None, 100, 100), ("ADJUSTMENT", "COUNT", -25, 75),
        ("ISSUE", None, -30, 45), ("ADJUSTMENT", "COUNT", -2, 43)]
    # A back-dated count that would take a later balance below zero is refused: 0 at hour 2
    # (-75) leaves 43 - 40 - 75 < 0 at hour 8, though today's 103 would allow it.
    stock.issue(engine, staff, STATION, "AZ", LOT, 40, at(8))
    stock.receive(engine, SYSTEM, STATION, "AZ", LOT, EXPIRY, 100, at(9))
    _refused(engine, lambda: counts.count(engine, staff, STATION, "AZ", LOT, 0, at(2)),
             {"counted": "stock_below_zero_later"})
    _rollup_agrees(engine)


def test_a_transfer_is_in_transit_once_and_its_shortfall_is_kept(
        engine: Engine, who: dict[str, Principal]) -> None:
    stock.receive(engine, who["province"], PROVINCE, "AZ", LOT, EXPIRY, 300, at(0))
    tid = transfers.send(engine, who["province"], PROVINCE, DISTRICT, "AZ", LOT, 120, at(1))
    with engine.connect() as conn:
        assert in_transit_in(conn, DISTRICT) == {("AZ", LOT): 120}
        assert in_transit_in(conn, PROVINCE) == {}
    # In transit: gone from the sender, not yet at the receiver.
    assert (_balance(engine, PROVINCE, 2), _balance(engine, DISTRICT, 2)) == (180, 0)
    # The sender's staff cannot confirm the receiver's side.
    station = who["station"]
    before = ledger_state(engine)
    with pytest.raises(Forbidden):
        transfers.confirm(engine, station, tid, 120, at(3))
    assert ledger_state(engine) == before
    _refused(engine, lambda: transfers.confirm(engine, who["district"], tid, 121, at(3)),
             {"received": "transfer.received_more"})
    _refused(engine, lambda: transfers.confirm(engine, who["district"], tid, 100, at(0.5)),
             {"received_at": "transfer.received_before_sent"})
    assert transfers.confirm(engine, who["district"], tid, 115, at(3)) == 5
    with engine.connect() as conn:
        assert in_transit_in(conn, DISTRICT) == {}
        assert in_transit_in(conn, DISTRICT, at(2)) == {("AZ", LOT): 120}  # as it was then
        assert in_transit_in(conn, DISTRICT, at(0.5)) == {}
        row = conn.execute(text("""SELECT status, sent, received, discrepancy
            FROM vax_stock_transfer WHERE transfer_id = :t"""), {"t": tid}).one()
    assert tuple(row) == ("RECEIVED", 120, 115, 5)
    assert (_balance(engine, PROVINCE, 4), _balance(engine, DISTRICT, 4)) == (180, 115)
    _refused(engine, lambda: transfers.confirm(engine, who["district"], tid, 115, at(3)),
             {"transfer_id": "transfer.already_received"})
    # The receiver can now issue what arrived, and no more.
    _refused(engine, lambda: stock.issue(engine, station, STATION, "AZ", LOT, 1, at(5)),
             {"lot_number": "stock.lot_not_held"})
    _refused(engine, lambda: stock.issue(engine, who["district"], DISTRICT, "AZ", LOT, 116,
                                         at(5)), {"doses": "stock_below_zero"})
    _rollup_agrees(engine)


def test_each_account_writes_only_at_the_warehouses_of_its_scope(
        engine: Engine, who: dict[str, Principal]) -> None:
    allowed = {"province": {PROVINCE, DISTRICT, STATION}, "district": {DISTRICT, STATION},
               "station": {STATION}, "saigon": {SAIGON}}
    for name, account in who.items():
        for warehouse in (PROVINCE, DISTRICT, STATION, SAIGON):
            before = ledger_state(engine)
            if warehouse in allowed[name]:
                stock.receive(engine, account, warehouse, "AZ", LOT, EXPIRY, 10, at(0))
                continue
            with pytest.raises(Forbidden):
                stock.receive(engine, account, warehouse, "AZ", LOT, EXPIRY, 10, at(0))
            assert ledger_state(engine) == before, (name, warehouse)
    with engine.connect() as conn:
        assert [on_hand_at(conn, _lot(w), at(1)) for w in (PROVINCE, DISTRICT, STATION,
                                                             SAIGON)] == [10, 20, 30, 10]
    # A transfer's sender must be in scope; its receiver need not be.
    tid = transfers.send(engine, who["saigon"], SAIGON, PROVINCE, "AZ", LOT, 10, at(1))
    with pytest.raises(Forbidden):
        transfers.send(engine, who["saigon"], PROVINCE, SAIGON, "AZ", LOT, 1, at(1))
    with pytest.raises(Forbidden):
        transfers.confirm(engine, who["saigon"], tid, 10, at(2))
    assert transfers.confirm(engine, who["province"], tid, 10, at(2)) == 0


def test_a_warehouse_s_lots_at_a_moment_and_who_may_read_them(
        engine: Engine, who: dict[str, Principal]) -> None:
    officer = who["province"]
    stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 100, at(0))
    stock.receive(engine, officer, PROVINCE, "PFZ", "FF1", EXPIRY, 40, at(0))
    stock.issue(engine, officer, PROVINCE, "PFZ", "FF1", 40, at(1))
    tid = transfers.send(engine, officer, PROVINCE, DISTRICT, "AZ", LOT, 30, at(2))
    district = who["district"]
    assert warehouse_stock(engine, officer, PROVINCE, at(0.5)) == [
        Position("AZ", LOT, EXPIRY, 100, 0), Position("PFZ", "FF1", EXPIRY, 40, 0)]
    # An emptied lot drops out; a lot only in transit shows with its expiry.
    assert warehouse_stock(engine, officer, PROVINCE, at(3)) == [
        Position("AZ", LOT, EXPIRY, 70, 0)]
    assert warehouse_stock(engine, district, DISTRICT, at(3)) == [
        Position("AZ", LOT, EXPIRY, 0, 30)]
    transfers.confirm(engine, district, tid, 30, at(4))
    assert warehouse_stock(engine, district, DISTRICT) == [Position("AZ", LOT, EXPIRY, 30, 0)]
    assert [c.balance for c in lot_card(engine, district, _lot(DISTRICT))] == [30]
    # Readers: the keepers of the warehouse and the national roles, no one else.
    with pytest.raises(Forbidden):
        warehouse_stock(engine, who["saigon"], PROVINCE)
    with pytest.raises(Forbidden):
        lot_card(engine, who["station"], _lot(DISTRICT))
    ministry = principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    assert [p.on_hand for p in warehouse_stock(engine, ministry, PROVINCE)] == [70]
    with pytest.raises(Forbidden):  # reading everything is not keeping anything
        stock.issue(engine, ministry, PROVINCE, "AZ", LOT, 1, at(5))


def test_a_count_sheet_saves_every_lot_or_none(engine: Engine, who: dict[str, Principal]
                                               ) -> None:
    staff = who["station"]
    for vaccine, lot, n in (("AZ", LOT, 100), ("AZ", "AZ2", 50), ("PFZ", "FF1", 30)):
        stock.receive(engine, SYSTEM, STATION, vaccine, lot, EXPIRY, n, at(0))
    stock.issue(engine, staff, STATION, "PFZ", "FF1", 30, at(5))
    stock.receive(engine, SYSTEM, STATION, "PFZ", "FF1", EXPIRY, 30, at(7))
    sheet = [counts.Counted("AZ", LOT, 97, vvm_stage=1), counts.Counted("AZ", "AZ2", 50),
             counts.Counted("PFZ", "FF1", 1)]
    # At hour 2 the Pfizer lot held 30: counting 1 then would leave -29 after the issue of
    # hour 5 (today's 30 would allow it).
    _refused(engine, lambda: counts.count_sheet(engine, staff, STATION, sheet, at(2)),
             {"counted.FF1": "stock_below_zero_later"})
    _refused(engine, lambda: counts.count_sheet(
        engine, staff, STATION, [*sheet[:2], counts.Counted("AZ", "NOLOT", 1)], at(6)),
        {"counted.NOLOT": "stock.lot_not_held"})
    _refused(engine, lambda: counts.count_sheet(
        engine, staff, STATION, [*sheet[:2], counts.Counted("PFZ", "FF1", -1, vvm_stage=0)],
        at(6)), {"counted.FF1": "stock.counted_value"})
    _refused(engine, lambda: counts.count_sheet(engine, staff, STATION, [*sheet, sheet[1]],
                                                at(6)), {"counted.AZ2": "stock.counted_twice"})
    before = ledger_state(engine)
    ids = counts.count_sheet(engine, staff, STATION, sheet, at(6))
    after = ledger_state(engine)
    assert len(ids) == 3 and sorted(after["counts"]) == sorted(
        [*before["counts"], (ids[0], 97), (ids[1], 50), (ids[2], 1)])
    assert after["audit"][len(before["audit"]):] == [("COUNT", None)]
    assert after["version"] == [(before["version"][0][0] + 1,)]
    with engine.connect() as conn:
        assert [on_hand_at(conn, LotKey(STATION, v, lot), at(6))
                for v, lot in (("AZ", LOT), ("AZ", "AZ2"), ("PFZ", "FF1"))] == [97, 50, 1]
        assert [(c.reason, c.doses, c.balance) for c in stock_card(
            conn, LotKey(STATION, "PFZ", "FF1"))] == [
            (None, 30, 30), (None, -30, 0), ("COUNT", 1, 1), (None, 30, 31)]
    _rollup_agrees(engine)
