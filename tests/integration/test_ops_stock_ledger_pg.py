"""Ledger writes at the same instant on PostgreSQL: two back-dated issues that each fit but
together would take an earlier balance below zero cannot both pass the check; two devices
confirming one transfer confirm it once.

PostgreSQL only: SQLite has one writer at a time, so its writes cannot race (the sequential
cases are in test_ops_stock_ledger.py). Defined only when the suite runs on PostgreSQL, so it
is never collected as a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine
from data.ops.commands import stock, transfers
from data.ops.queries.stock_ledger import LotKey, in_transit_in, stock_card
from data.recompute import rollup_as_stored, rollup_from_facts
from data.settings import Settings
from tests.conftest import backends
from tests.integration.stock_ledger_setup import (
    DISTRICT,
    EXPIRY,
    LOT,
    PROVINCE,
    accounts,
    at,
    seed_warehouses,
)
from tests.integration.test_ops_capacity_pg import _race

if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_two_back_dated_issues_cannot_both_spend_the_same_past_stock(
            settings: Settings, engine: Engine, tmp_path: Path) -> None:
        seed_warehouses(settings, engine, tmp_path)
        officer = accounts(engine)["province"]
        stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 100, at(0))
        stock.issue(engine, officer, PROVINCE, "AZ", LOT, 60, at(10))
        stock.receive(engine, officer, PROVINCE, "AZ", LOT, EXPIRY, 100, at(20))
        devices = make_engine(settings, pool_size=2, max_overflow=0)
        try:
            # 40 are left at hour 10: each issue of 30 at hour 5 fits alone, not both (today's
            # 140 would allow both: only the back-dated check can refuse the second).
            done, refused, other = _race([
                lambda: stock.issue(devices, officer, PROVINCE, "AZ", LOT, 30, at(5))] * 2)
        finally:
            devices.dispose()
        assert other == []
        assert len(done) == 1 and refused == ["stock_below_zero_later"]
        with engine.connect() as conn:
            card = stock_card(conn, LotKey(PROVINCE, "AZ", LOT))
            assert rollup_as_stored(conn, "agg_stock_on_hand").equals(
                rollup_from_facts(conn, "agg_stock_on_hand"))
        assert [c.balance for c in card] == [100, 70, 10, 110]

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_two_devices_confirm_one_transfer_once(
            settings: Settings, engine: Engine, tmp_path: Path) -> None:
        seed_warehouses(settings, engine, tmp_path)
        who = accounts(engine)
        stock.receive(engine, who["province"], PROVINCE, "AZ", LOT, EXPIRY, 100, at(0))
        tid = transfers.send(engine, who["province"], PROVINCE, DISTRICT, "AZ", LOT, 50, at(1))
        devices = make_engine(settings, pool_size=2, max_overflow=0)
        try:
            done, refused, other = _race([
                lambda: str(transfers.confirm(devices, who["district"], tid, 48, at(2)))] * 2)
        finally:
            devices.dispose()
        assert other == []
        assert done == ["2"] and refused == ["transfer.already_received"]
        with engine.connect() as conn:
            assert in_transit_in(conn, DISTRICT) == {}
            assert [c.balance for c in stock_card(conn, LotKey(DISTRICT, "AZ", LOT))] == [48]
            assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'RECEIVE' "
                                     "AND table_name = 'vax_stock_transfer'")).scalar_one() == 1
