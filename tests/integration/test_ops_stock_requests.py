"""A client's request id on the stock ledger's commands, on each backend: the same request sent
again (a retry after a lost answer) gets the first answer and writes nothing (no movement,
fact, rollup, transfer, count, audit entry or data version); the same id with other content,
another action or from another account is refused; a refused request keeps no answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine

from data.auth.roles import Principal
from data.command_errors import OpsError
from data.ops.commands import counts, stock, transfers
from data.ops.commands.counts import Counted
from data.ops.queries.stock_ledger import LotKey, in_transit_in, on_hand_at
from data.settings import Settings
from tests.integration.stock_ledger_setup import (
    DISTRICT,
    EXPIRY,
    LOT,
    PROVINCE,
    accounts,
    at,
    ledger_state,
    seed_warehouses,
)

T = TypeVar("T")


@pytest.fixture
def who(settings: Settings, engine: Engine, tmp_path: Path) -> dict[str, Principal]:
    seed_warehouses(settings, engine, tmp_path)
    return accounts(engine)


def _balance(engine: Engine, warehouse: str, hours: float) -> int:
    with engine.connect() as conn:
        return on_hand_at(conn, LotKey(warehouse, "AZ", LOT), at(hours))


def _once(engine: Engine, call: Callable[[], T]) -> T:
    """Call twice: the second answers as the first and writes nothing."""
    first = call()
    written = ledger_state(engine)
    assert call() == first
    assert ledger_state(engine) == written
    return first


def _refused(engine: Engine, call: Callable[[], object], codes: dict[str, str]) -> None:
    before = ledger_state(engine)
    with pytest.raises(OpsError) as err:
        call()
    assert err.value.codes() == codes
    assert ledger_state(engine) == before


def test_each_command_retried_writes_once(engine: Engine, who: dict[str, Principal]) -> None:
    hanoi = who["province"]
    before = ledger_state(engine)
    rid = _once(engine, lambda: stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 500,
                                              at(0), request_id="phieu-nhap-1"))
    iid = _once(engine, lambda: stock.issue(engine, hanoi, PROVINCE, "AZ", LOT, 120, at(1),
                                            request_id="phieu-xuat-1"))
    aid = _once(engine, lambda: stock.adjust(engine, hanoi, PROVINCE, "AZ", LOT, -10, "BROKEN",
                                             at(2), request_id="dieu-chinh-1"))
    tid = _once(engine, lambda: transfers.send(engine, hanoi, PROVINCE, DISTRICT, "AZ", LOT,
                                               100, at(3), request_id="chuyen-1"))
    assert _once(engine, lambda: transfers.confirm(engine, who["district"], tid, 97,
                                                   at(4), request_id="nhan-1")) == 3
    cid = _once(engine, lambda: counts.count(engine, hanoi, PROVINCE, "AZ", LOT, 268, at(5),
                                             request_id="kiem-1"))
    sheet = _once(engine, lambda: counts.count_sheet(
        engine, hanoi, DISTRICT, [Counted("AZ", LOT, 90)], at(6), request_id="kiem-2"))
    # Each wrote once: 500 - 120 - 10 - 100 = 270, counted 268; 97 arrived, counted 90.
    assert (_balance(engine, PROVINCE, 10), _balance(engine, DISTRICT, 10)) == (268, 90)
    after = ledger_state(engine)
    assert len(after["movements"]) == len(before["movements"]) + 7
    assert after["version"] == [(before["version"][0][0] + 7,)]
    assert after["requests"] == sorted([
        ("chuyen-1", "SEND", f'"{tid}"'), ("dieu-chinh-1", "ADJUST", f'"{aid}"'),
        ("kiem-1", "COUNT", f'["{cid}"]'), ("kiem-2", "COUNT", f'["{sheet[0]}"]'),
        ("nhan-1", "CONFIRM", "3"), ("phieu-nhap-1", "RECEIVE", f'"{rid}"'),
        ("phieu-xuat-1", "ISSUE", f'"{iid}"')])


def test_without_a_request_id_each_call_writes(engine: Engine, who: dict[str, Principal]
                                               ) -> None:
    hanoi = who["province"]
    first = stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 50, at(0))
    second = stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 50, at(0))
    assert first != second and _balance(engine, PROVINCE, 1) == 100
    assert ledger_state(engine)["requests"] == []


def test_an_id_of_another_request_is_refused(engine: Engine, who: dict[str, Principal]
                                             ) -> None:
    hanoi = who["province"]
    stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 500, at(0), request_id="R-1")
    taken = {"request_id": "stock.request_taken"}
    # Other content: another quantity, another moment (a second is enough).
    _refused(engine, lambda: stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 501,
                                           at(0), request_id="R-1"), taken)
    _refused(engine, lambda: stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 500,
                                           at(1 / 3600), request_id="R-1"), taken)
    # Another action, another account (in scope of the warehouse too).
    _refused(engine, lambda: stock.issue(engine, hanoi, PROVINCE, "AZ", LOT, 500, at(0),
                                         request_id="R-1"), taken)
    _refused(engine, lambda: stock.receive(engine, who["district"], DISTRICT, "AZ", LOT,
                                           EXPIRY, 500, at(0), request_id="R-1"), taken)
    tid = transfers.send(engine, hanoi, PROVINCE, DISTRICT, "AZ", LOT, 100, at(1),
                         request_id="T-1")
    _refused(engine, lambda: transfers.confirm(engine, who["district"], tid, 100, at(2),
                                               request_id="T-1"), taken)
    # The transfer is still in transit: the refusals wrote nothing.
    with engine.connect() as conn:
        assert in_transit_in(conn, DISTRICT) == {("AZ", LOT): 100}


def test_a_refused_request_keeps_no_answer_and_bad_ids_are_refused(
        engine: Engine, who: dict[str, Principal]) -> None:
    hanoi = who["province"]
    stock.receive(engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 100, at(0))
    _refused(engine, lambda: stock.issue(engine, hanoi, PROVINCE, "AZ", LOT, 101, at(1),
                                         request_id="X-1"), {"doses": "stock_below_zero"})
    # The id is free: the corrected request goes through once.
    _once(engine, lambda: stock.issue(engine, hanoi, PROVINCE, "AZ", LOT, 100, at(1),
                                      request_id="X-1"))
    assert _balance(engine, PROVINCE, 2) == 0
    for bad in ("", "x" * 65, "a\x00b", " padded"):
        _refused(engine, lambda bad=bad: stock.receive(  # type: ignore[misc]
            engine, hanoi, PROVINCE, "AZ", LOT, EXPIRY, 1, at(2), request_id=bad),
            {"request_id": "stock.request_id"})
    _refused(engine, lambda: counts.count_sheet(engine, hanoi, PROVINCE, [Counted("AZ", LOT, 0)],
                                                at(2), request_id="y" * 65),
             {"request_id": "stock.request_id"})
