"""A retry sent while the first request is still writing, on PostgreSQL: two devices send the
same receipt with one request id at the same instant; it is received once and both hear the
same movement id (the second waits for the first under the load lock, then finds its answer).

PostgreSQL only: SQLite has one writer at a time (the sequential retries are in
test_ops_stock_requests.py). Defined only when the suite runs on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine
from data.ops.commands import stock
from data.ops.queries.stock_ledger import LotKey, stock_card
from data.settings import Settings
from tests.conftest import backends
from tests.integration.stock_ledger_setup import (
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
    def test_two_devices_send_one_request_at_once_and_it_writes_once(
            settings: Settings, engine: Engine, tmp_path: Path) -> None:
        seed_warehouses(settings, engine, tmp_path)
        officer = accounts(engine)["province"]
        devices = make_engine(settings, pool_size=2, max_overflow=0)
        try:
            done, refused, other = _race([
                lambda: stock.receive(devices, officer, PROVINCE, "AZ", LOT, EXPIRY, 500,
                                      at(0), request_id="phieu-nhap-7")] * 2)
        finally:
            devices.dispose()
        assert other == [] and refused == []
        assert len(done) == 2 and done[0] == done[1]
        with engine.connect() as conn:
            assert [(c.movement_id, c.balance) for c in stock_card(
                conn, LotKey(PROVINCE, "AZ", LOT))] == [(done[0], 500)]
            assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'RECEIVE'"
                                     )).scalar_one() == 1
