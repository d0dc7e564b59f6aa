"""PostgreSQL ends the loader's session mid-file (pg_terminate_backend): nothing of the file
is left half-loaded, the operator reads one line (no traceback), and the rerun loads it all.

PostgreSQL only: SQLite has no server session to end. The test is defined only when the
suite runs on PostgreSQL (DATABASE_URL set, as in CI), so it is never collected as a skip.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from data.db import database_failure, make_engine
from data.interchange.kinds.base import Transformed
from data.interchange.messages import message
from data.interchange.validate import Validator
from data.recompute import ALL_ROLLUPS, rollup_as_stored
from data.settings import Settings
from data.version import read_version
from etl.__main__ import load_files
from etl.pipeline import load_file
from etl.registry import KINDS
from tests.conftest import backends
from tests.factories import FACILITY, injection, write_csv
from tests.integration.test_rollups_recompute import _assert_rollups_match

ROWS = 6000
CHUNK = 1000  # parts of 250, then 1,000 rows: seven parts
LOADER = f"vx-fault-load-{os.getpid()}"  # application_name of the loader's session
# What the client reads of the ended session: the server's notice on the next command, or
# libpq's own words when the session ends during a COPY ("sending copy end failed: ...").
ENDED = "terminating connection due to administrator command"
CLOSED = "server closed the connection unexpectedly"
WAIT_S = 120.0  # a bound on every wait, so a broken load fails the test instead of hanging


class PartGate:
    """Validates parts as the pipeline would, holding the `nth` until released.

    The pipeline validates a part while the previous one is written, so when the third
    part's validation starts, the first part is in the database (uncommitted).
    """

    def __init__(self, transform: Callable[..., Transformed], nth: int = 3) -> None:
        self.transform, self.nth, self.calls = transform, nth, 0
        self.reached, self.release = threading.Event(), threading.Event()

    def __call__(self, v: Validator, *args: Any) -> Transformed:
        self.calls += 1
        if self.calls == self.nth:
            self.reached.set()
            assert self.release.wait(WAIT_S)
        return self.transform(v, *args)


def _counts(engine: Engine, record_prefix: str) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.execute(text(
            f"SELECT COUNT(*) FROM {t} WHERE record_id LIKE :p"), {"p": f"{record_prefix}%"})
            .scalar_one()) for t in ("injection", "fct_injection")}


def _state(engine: Engine) -> dict[str, Any]:
    """Data version, doses in the rollups, loads recorded, and every rollup's rows."""
    with engine.connect() as conn:
        return {
            "version": read_version(conn),
            "doses": int(conn.execute(text("SELECT SUM(doses) FROM agg_doses_daily"))
                         .scalar_one()),
            "loads": int(conn.execute(text("SELECT COUNT(*) FROM etl_load")).scalar_one()),
        } | {t: rollup_as_stored(conn, t).to_dict("records") for t in ALL_ROLLUPS}


def _terminate(engine: Engine, application_name: str) -> None:
    """End the one session of `application_name`, checking it has written in its transaction."""
    with engine.connect() as conn:
        sessions = conn.execute(text(
            "SELECT pid, backend_xid IS NOT NULL FROM pg_stat_activity "
            "WHERE application_name = :a"), {"a": application_name}).all()
        assert len(sessions) == 1, sessions
        pid, has_written = sessions[0]
        assert has_written  # a transaction id: the first part is in, uncommitted
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()


if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    @pytest.mark.parametrize("via", ["api", "cli"])
    def test_load_ended_by_the_server_leaves_nothing_and_the_rerun_loads_it_all(
        settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], via: str,
    ) -> None:
        load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
        load_file(settings, engine, "injections", write_csv(tmp_path / "before.csv", [
            injection("B1"), injection("B2", person_id="001090099999")]))
        before = _state(engine)
        big = write_csv(tmp_path / "big.csv", [
            injection(f"T{i:05d}", person_id=f"0010{i:08d}") for i in range(ROWS)])
        capsys.readouterr()

        spec = KINDS["injections"]
        gate = PartGate(spec.transform)
        monkeypatch.setitem(KINDS, "injections", dataclasses.replace(spec, transform=gate))
        chunked = settings.with_(etl_chunk_rows=CHUNK)
        loader = make_engine(chunked, connect_args={"application_name": LOADER})
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                if via == "api":
                    outcome["result"] = load_file(chunked, loader, "injections", big)
                else:
                    outcome["code"] = load_files(chunked, loader, "injections", [big], None,
                                                 "en", None)
            except BaseException as exc:  # handed to the test's thread to assert on
                outcome["error"] = exc

        thread = threading.Thread(target=run)
        thread.start()
        try:
            assert gate.reached.wait(WAIT_S)
            _terminate(engine, LOADER)
        finally:
            gate.release.set()
            thread.join(WAIT_S)
            loader.dispose()
        assert not thread.is_alive()

        out, err = capsys.readouterr()
        if via == "api":
            reason = database_failure(outcome.pop("error"))
            assert outcome == {}
        else:
            assert outcome == {"code": 3} and out == ""
            reason = err.split("(", 1)[1].split(")", 1)[0]
            assert err == (f"injections big.csv: "
                           f"{message('load_interrupted', 'en', error=reason)}\n")
        # What the server said, not the failed rollback's "the connection is lost".
        assert reason == ENDED or CLOSED in reason, reason
        assert _state(engine) == before
        assert _counts(engine, "T") == {"injection": 0, "fct_injection": 0}
        _assert_rollups_match(engine)

        monkeypatch.setitem(KINDS, "injections", spec)
        result = load_file(chunked, engine, "injections", big)
        assert (result.loaded, result.rejected) == (ROWS, 0)
        assert _counts(engine, "T") == {"injection": ROWS, "fct_injection": ROWS}
        after = _state(engine)
        assert (after["version"], after["doses"], after["loads"]) == (
            before["version"] + 1, ROWS + 2, before["loads"] + 1)
        _assert_rollups_match(engine)
