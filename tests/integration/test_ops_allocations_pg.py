"""Two sends against one allocation line at the same instant on PostgreSQL: each fits what is
owed alone, not both together; the second is refused (allocation.more_than_owed), so no line
is dispatched beyond what it allocates.

PostgreSQL only: SQLite has one writer at a time (the sequential case is in
test_ops_allocations.py). Defined only when the suite runs on PostgreSQL, so it is never
collected as a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine
from data.ops.commands import transfers
from data.ops.commands.allocations import allocate
from data.settings import Settings
from tests.conftest import backends
from tests.integration.allocations_setup import accounts, seed
from tests.integration.stock_ledger_setup import DISTRICT, LOT, PROVINCE, at
from tests.integration.test_ops_capacity_pg import _race

if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_two_sends_cannot_both_take_the_last_doses_owed(
            settings: Settings, engine: Engine, tmp_path: Path) -> None:
        seed(settings, engine, tmp_path)
        officer = accounts(engine)["province"]
        aid = allocate(engine, officer, {
            "decision_no": "125/QĐ-UBND", "decided_on": "2021-09-28", "vaccine_code": "AZ",
            "recipient_code": "001", "doses": "1000"})
        devices = make_engine(settings, pool_size=2, max_overflow=0)
        try:
            done, refused, other = _race([lambda: transfers.send(
                devices, officer, PROVINCE, DISTRICT, "AZ", LOT, 600, at(1),
                allocation_id=aid)] * 2)
        finally:
            devices.dispose()
        assert other == []
        assert len(done) == 1 and refused == ["allocation.more_than_owed"]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT SUM(sent) FROM vax_stock_transfer "
                                     "WHERE allocation_id = :a"), {"a": aid}).scalar() == 600
