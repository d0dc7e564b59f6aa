"""record_injection under real concurrency on PostgreSQL: two staff recording the same dose
at the same moment give one dose and "dose.already_recorded" to the other; doses recorded
while a file loads leave the rollups equal to a recomputation and the load intact.

PostgreSQL only: SQLite has one writer, so nothing there runs at the same moment. The tests
are defined only when the suite runs on PostgreSQL (DATABASE_URL set, as in CI), so they are
never collected as skips.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from data import bulk
from data.auth.roles import SYSTEM, Grant, Principal, Role
from data.command_errors import OpsError
from data.db import make_engine
from data.ops.commands.injection import ALREADY_RECORDED, record_injection
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.conftest import backends
from tests.factories import FACILITY, injection, write_csv
from tests.integration.test_rollups_recompute import _assert_rollups_match, _doses

WAIT_S = 120.0  # a bound on every wait, so a hung command fails the test instead of hanging
ROUNDS = 8  # pairs of staff, one person each: a race lost once in eight would show
COMMANDER = f"vx-command-{os.getpid()}"  # application_name of the command's session


def _staff(user_id: int) -> Principal:
    return Principal(user_id, f"staff{user_id}", "Staff",
                     (Grant(Role.FACILITY_STAFF, "FACILITY", "F00101", "01", "001"),))


def _in_threads(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call on its own thread, all released at once; results or raised errors."""
    barrier = threading.Barrier(len(calls), timeout=WAIT_S)
    out: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            out[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S)
        assert not t.is_alive()
    return out


if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_two_staff_recording_one_dose_at_once_give_one_dose(
        settings: Settings, engine: Engine, tmp_path: Path
    ) -> None:
        load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
        for r in range(ROUNDS):
            person = f"0010900{r:05d}"
            got = _in_threads([
                lambda r=r, person=person, who=who: record_injection(
                    engine, _staff(who), injection(f"R{r}-{who}", person_id=person), "en")
                for who in (1, 2)])
            refused = [g for g in got if isinstance(g, OpsError)]
            recorded = [g for g in got if not isinstance(g, Exception)]
            assert len(recorded) == 1 and len(refused) == 1, got
            assert [(e.field, e.code) for e in refused[0].problems] == [
                ("dose_number", ALREADY_RECORDED)]
            with engine.connect() as conn:
                stored = conn.execute(text(
                    "SELECT record_id FROM injection WHERE person_id = :p"),
                    {"p": person}).scalars().all()
            assert stored == [recorded[0].record_id]
        _assert_rollups_match(engine)
        assert _doses(engine) == ROUNDS

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_doses_recorded_while_a_file_loads_keep_rollups_exact(
        settings: Settings, engine: Engine, tmp_path: Path
    ) -> None:
        """The first load copies into empty rollups (no ON CONFLICT): commands adding to
        the same days meanwhile must neither break it nor be lost."""
        load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
        n_file = 4000
        big = write_csv(tmp_path / "big.csv", [
            injection(f"T{i:05d}", person_id=f"0010{i:08d}",
                      administered_at=f"2021-08-{i % 28 + 1:02d}T08:30:00+07:00")
            for i in range(n_file)])
        done = threading.Event()
        recorded: list[str] = []

        def load() -> LoadResult:
            try:
                return load_file(settings.with_(etl_chunk_rows=500), engine, "injections", big)
            finally:
                done.set()

        def commands() -> int:
            i = 0
            while not done.is_set() or i < 3:
                rid = f"C{i:04d}"
                record_injection(engine, SYSTEM, injection(
                    rid, person_id=f"0020{i:08d}",
                    administered_at=f"2021-08-{i % 28 + 1:02d}T10:00:00+07:00"), "vi")
                recorded.append(rid)
                i += 1
            return i

        result, n_commands = _in_threads([load, commands])
        assert isinstance(result, LoadResult), result
        assert isinstance(n_commands, int), n_commands
        assert (result.loaded, result.rejected) == (n_file, 0)
        _assert_rollups_match(engine)
        assert _doses(engine) == n_file + n_commands == n_file + len(recorded)

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_a_dose_recorded_during_a_loads_rollup_step_waits_for_its_commit(
        settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The load probes an empty rollup and is held there while a command records a dose
        on a day of the file: the command must wait (rollup lock) rather than insert the key
        the load is about to copy in without ON CONFLICT."""
        load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
        big = write_csv(tmp_path / "big.csv", [
            injection(f"T{i:04d}", person_id=f"0010{i:08d}",
                      administered_at=f"2021-08-{i % 28 + 1:02d}T08:30:00+07:00")
            for i in range(600)])
        probed, recorded = threading.Event(), threading.Event()
        real_probe = bulk.any_between

        def held_probe(conn: Any, table: str, *args: Any) -> bool:
            found = real_probe(conn, table, *args)
            if not probed.is_set():
                probed.set()
                deadline = time.monotonic() + WAIT_S
                # Go on once the command has committed (no lock kept it out) or is waiting
                # for an advisory lock (the rollup lock this load holds).
                while not recorded.is_set() and not _command_waits(engine):
                    assert time.monotonic() < deadline, "the command neither ran nor waited"
                    time.sleep(0.02)
            return found

        monkeypatch.setattr("data.bulk.any_between", held_probe)
        commander = make_engine(settings, connect_args={"application_name": COMMANDER})

        def command() -> str:
            assert probed.wait(WAIT_S)
            done = record_injection(commander, SYSTEM, injection(
                "C1", person_id="002000000001",
                administered_at="2021-08-05T10:00:00+07:00"), "vi")
            recorded.set()
            return done.outcome

        try:
            result, outcome = _in_threads([lambda: load_file(settings, engine, "injections",
                                                             big), command])
        finally:
            commander.dispose()
        assert isinstance(result, LoadResult), result
        assert (result.loaded, outcome) == (600, "loaded")
        _assert_rollups_match(engine)
        assert _doses(engine) == 601


def _command_waits(engine: Engine) -> bool:
    """Whether the command's session waits for an advisory lock."""
    with engine.connect() as conn:
        return conn.execute(text("""
            SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = :a"""),
            {"a": COMMANDER}).first() is not None
