"""The ledger's reads of many lots in one query (a count sheet's): the same figures as the
one-lot reads, lot by lot, on each backend, including two vaccines' lots that share a number
and a lot the warehouse never held."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from data.auth.roles import SYSTEM
from data.ops.commands import stock, transfers
from data.ops.queries.stock_ledger import (
    LotKey,
    held_at,
    lot_expiry,
    on_hand_at,
    stock_card,
    stock_cards,
)
from data.settings import Settings
from tests.integration.stock_ledger_setup import (
    DISTRICT,
    EXPIRY,
    LOT,
    PROVINCE,
    at,
    seed_warehouses,
)


def test_many_lots_read_at_once_agree_with_one_at_a_time(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    seed_warehouses(settings, engine, tmp_path)
    stock.receive(engine, SYSTEM, PROVINCE, "AZ", LOT, EXPIRY, 500, at(0))
    stock.receive(engine, SYSTEM, PROVINCE, "PFZ", LOT, EXPIRY.replace(month=3), 80, at(1))
    stock.receive(engine, SYSTEM, PROVINCE, "PFZ", "FF1", EXPIRY, 40, at(1))
    stock.issue(engine, SYSTEM, PROVINCE, "AZ", LOT, 120, at(2))
    transfers.send(engine, SYSTEM, PROVINCE, DISTRICT, "PFZ", LOT, 30, at(3))
    stock.adjust(engine, SYSTEM, PROVINCE, "PFZ", "FF1", -4, "BROKEN", at(4))
    asked = [("AZ", LOT), ("PFZ", LOT), ("PFZ", "FF1"), ("AZ", "FF1"), ("MOD", "NONE")]
    lots = [LotKey(PROVINCE, v, lot) for v, lot in asked] + [LotKey(DISTRICT, "PFZ", LOT)]
    with engine.connect() as conn:
        for hours in (0.5, 2.5, 10):
            held = held_at(conn, PROVINCE, asked, at(hours))
            # Only the lots held, each with the one-lot reads' expiry and balance.
            assert held == {(v, lot): (lot_expiry(conn, LotKey(PROVINCE, v, lot)),
                                       on_hand_at(conn, LotKey(PROVINCE, v, lot), at(hours)))
                            for v, lot in asked[:3]}
        assert held_at(conn, PROVINCE, asked, at(10)) == {
            ("AZ", LOT): (EXPIRY, 380), ("PFZ", LOT): (EXPIRY.replace(month=3), 50),
            ("PFZ", "FF1"): (EXPIRY, 36)}
        assert held_at(conn, PROVINCE, [], at(10)) == {}
        cards = stock_cards(conn, lots)
        assert cards == {lot: stock_card(conn, lot) for lot in lots}
        assert [len(cards[lot]) for lot in lots] == [2, 2, 2, 0, 0, 0]
