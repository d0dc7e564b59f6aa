"""give_dose under real concurrency on PostgreSQL: two staff injecting the same check-in at
the same moment (each with the record_id their own form made) give one dose, and the other
hears "injection.checkin_done"; facts and rollups equal a recomputation.

PostgreSQL only (SQLite has one writer): defined only when the suite runs on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Role
from data.command_errors import OpsError
from data.ops.commands.give_dose import give_dose
from data.ops.commands.injection import new_record_id
from data.settings import Settings
from tests.conftest import backends
from tests.integration.injection_setup import (
    AN,
    choice,
    open_session,
    screened,
    seed_stock,
)
from tests.integration.ops_setup import principal, registration
from tests.integration.test_ops_record_injection_pg import _in_threads
from tests.integration.test_rollups_recompute import _assert_rollups_match, _doses

ROUNDS = 6  # arrivals, each injected by two staff at once

if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_two_staff_injecting_one_checkin_at_once_give_one_dose(
        settings: Settings, engine: Engine, tmp_path: Path
    ) -> None:
        seed_stock(settings, engine, tmp_path)
        staff = [principal(engine, f"nv{i}", Role.FACILITY_STAFF, "F00101") for i in (1, 2)]
        session = open_session(engine, staff[0])
        for r in range(ROUNDS):
            person = f"0010900{r:05d}"  # a man born in 1990, registered in Hà Nội
            registration(engine, f"REG{r:09d}", person_id=person)
            cid = screened(engine, staff[0], session, form=replace(AN, person_id=person))
            got = _in_threads([
                lambda cid=cid, who=who: give_dose(
                    engine, who, choice(cid, new_record_id(), dose_number=1), "en")
                for who in staff])
            refused = [g for g in got if isinstance(g, OpsError)]
            given = [g for g in got if not isinstance(g, Exception)]
            assert len(given) == 1 and len(refused) == 1, got
            assert [(p.field, p.code) for p in refused[0].problems] == [
                ("checkin_id", "injection.checkin_done")]
            with engine.connect() as conn:
                stored = conn.execute(text("SELECT record_id FROM injection "
                                           "WHERE person_id = :p"), {"p": person}).scalars().all()
                linked = conn.execute(text("SELECT record_id FROM vax_injection "
                                           "WHERE checkin_id = :c"), {"c": cid}).scalars().all()
            assert stored == linked == [given[0].record_id]
        assert _doses(engine) == ROUNDS
        _assert_rollups_match(engine)
