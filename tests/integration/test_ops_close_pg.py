"""Closes at the same instant on PostgreSQL: four devices sending one session's tally close it
once (the others hear "unchanged") and the stock moves once; two sessions whose closes would
together take the warehouse's lot below zero cannot both pass the balance check.

PostgreSQL only: SQLite has one writer at a time, so its closes cannot race (the sequential
cases are in test_ops_close.py). Defined only when the suite runs on PostgreSQL, so it is never
collected as a skip.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine
from data.ops.commands.closing import SessionTally, close_with_tally
from data.recompute import rollup_as_stored, rollup_from_facts
from data.settings import Settings
from tests.conftest import backends
from tests.integration.close_setup import open_session, seed_close, staff
from tests.integration.ops_setup import AZ_LOT
from tests.integration.test_ops_capacity_pg import _race


def _on_hand(engine: Engine) -> int:
    with engine.connect() as conn:
        assert rollup_as_stored(conn, "agg_stock_on_hand").equals(
            rollup_from_facts(conn, "agg_stock_on_hand"))
        return int(conn.execute(text("SELECT doses FROM agg_stock_on_hand "
                                     "WHERE lot_number = :l"), {"l": AZ_LOT}).scalar_one())


def _outcome(call: Callable[[], SessionTally]) -> Callable[[], str]:
    return lambda: str(call().outcome)


if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_four_devices_close_one_session_once(settings: Settings, engine: Engine,
                                                 tmp_path: Path) -> None:
        seed_close(settings, engine, tmp_path)
        desk = staff(engine)
        sid = open_session(engine, desk)
        devices = make_engine(settings, pool_size=4, max_overflow=0)
        try:
            done, refused, other = _race([_outcome(
                lambda: close_with_tally(devices, desk, sid, {AZ_LOT: 2}, "en"))] * 4)
        finally:
            devices.dispose()
        assert other == [] and refused == []
        assert sorted(done) == ["closed", "unchanged", "unchanged", "unchanged"]
        assert _on_hand(engine) == 100 - 13 - 7
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'CLOSE'")
                                ).scalar_one() == 1

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_two_closes_cannot_both_spend_the_same_stock(settings: Settings, engine: Engine,
                                                         tmp_path: Path) -> None:
        seed_close(settings, engine, tmp_path)
        desk = staff(engine)
        morning, afternoon = open_session(engine, desk), open_session(engine, desk)
        devices = make_engine(settings, pool_size=2, max_overflow=0)
        try:
            # 50 and 60 doses leave with the 13 given counted by whichever closes first:
            # 110 of the 100 on hand, so the second close must be refused.
            done, refused, other = _race([
                _outcome(lambda: close_with_tally(devices, desk, morning, {AZ_LOT: 5}, "en")),
                _outcome(lambda: close_with_tally(devices, desk, afternoon, {AZ_LOT: 6},
                                                  "en"))])
        finally:
            devices.dispose()
        assert other == []
        assert done == ["closed"] and refused == ["stock_below_zero"]
        assert _on_hand(engine) in (100 - 50, 100 - 60)
