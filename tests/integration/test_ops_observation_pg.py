"""Four desks release the same person, and four record a reaction of another, at the same
instant on PostgreSQL: each observation ends once (one release, one AEFI report), the other
desks hear "observation.already_closed", and nothing of theirs is left behind.

PostgreSQL only: SQLite has one writer at a time, so its releases cannot race (the sequential
refusal is in test_ops_observation.py). Defined only when the suite runs on PostgreSQL, so it
is never collected as a skip.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine
from data.ops.commands.observation import ALREADY_CLOSED, Reaction, record_reaction, release
from data.settings import Settings
from tests.conftest import backends
from tests.integration.test_ops_capacity_pg import _race
from tests.integration.test_ops_observation import (  # noqa: F401 - facilities: a fixture
    STAFF,
    TZ,
    facilities,
    give,
    minutes_ago,
)

DESKS = 4

if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_desks_at_once_end_an_observation_once(settings: Settings, engine: Engine,
                                                   facilities: None) -> None:
        give(engine, "A", minutes_ago(40), "001090000001")
        give(engine, "B", minutes_ago(5), "001090000002")
        desks = make_engine(settings, pool_size=2 * DESKS, max_overflow=0)
        try:
            done, refused, other = _race(
                [lambda: release(desks, STAFF, None, "A").outcome] * DESKS
                + [lambda: record_reaction(desks, STAFF, None, "B", Reaction("MILD", "Sốt"),
                                           "vi", TZ).outcome] * DESKS)
        finally:
            desks.dispose()
        assert other == []
        assert sorted(done) == ["REACTION", "RELEASED"]
        assert refused == [ALREADY_CLOSED] * (2 * DESKS - 2)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM vax_observation")).scalar_one() == 2
            assert conn.execute(text("SELECT COUNT(*) FROM aefi_report")).scalar_one() == 1
            assert conn.execute(text("SELECT COUNT(*) FROM fct_aefi")).scalar_one() == 1
            assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE table_name IN "
                                     "('vax_observation', 'aefi_report')")).scalar_one() == 3
