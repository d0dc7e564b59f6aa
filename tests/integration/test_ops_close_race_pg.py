"""A dose and a close of its session at the same moment, on PostgreSQL: the close waits for
the dose in flight and counts it (a plain close is then refused for want of its tally; a
close with its tally counts the dose), and a dose that waited for a close is refused and
writes nothing.

PostgreSQL only (SQLite has one writer): defined only when the suite runs on PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Role
from data.command_errors import OpsError
from data.ops.commands import closing as closing_module
from data.ops.commands import give_dose as give_module
from data.ops.commands.closing import close_with_tally
from data.ops.commands.give_dose import give_dose
from data.ops.commands.sessions import close_session
from data.settings import Settings
from tests.conftest import backends
from tests.integration.injection_setup import AN, choice, open_session, screened, seed_stock
from tests.integration.ops_setup import SOURCE, principal, registration

PAUSE_S = 0.5  # the dose's pause between its checks and its write


def _dose_paused_while(engine: Engine, staff: Any, cid: str, other: Any,
                       monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    """give_dose in a thread, paused just after it checked the session; `other` runs in the
    meantime. Returns (the dose's result or error, other's result or error)."""
    reached, real = threading.Event(), give_module._screening

    def paused(conn: Any, checkin_id: str) -> Any:
        reached.set()
        threading.Event().wait(PAUSE_S)
        return real(conn, checkin_id)

    monkeypatch.setattr(give_module, "_screening", paused)
    dose: list[Any] = []

    def run() -> None:
        try:
            dose.append(give_dose(engine, staff, choice(cid, "F-RACE", dose_number=1), "en"))
        except OpsError as err:
            dose.append(err)

    th = threading.Thread(target=run)
    th.start()
    assert reached.wait(30)
    result: list[Any] = []
    try:
        result.append(other())
    except OpsError as err:
        result.append(err)
    th.join(30)
    return dose, result


def _codes(err: Any) -> list[str]:
    assert isinstance(err, OpsError), err
    return [p.code for p in err.problems]


if "postgresql" in backends():

    @pytest.fixture
    def day(settings: Settings, engine: Engine, tmp_path: Path) -> tuple[Any, str, str]:
        seed_stock(settings, engine, tmp_path)
        registration(engine, "REG000000001")
        staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
        session = open_session(engine, staff)
        return staff, session, screened(engine, staff, session, form=AN)

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_a_plain_close_waits_for_the_dose_in_flight_and_refuses(
        engine: Engine, day: tuple[Any, str, str], monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        staff, session, cid = day
        dose, close = _dose_paused_while(
            engine, staff, cid, lambda: close_session(engine, staff, SOURCE, session),
            monkeypatch)
        assert dose[0].outcome == "loaded"
        assert _codes(close[0]) == ["close.tally_required"]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM vax_session")).scalar_one() == "OPEN"

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_a_close_with_its_tally_counts_the_dose_in_flight(
        engine: Engine, day: tuple[Any, str, str], monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        staff, session, cid = day
        dose, closed = _dose_paused_while(
            engine, staff, cid,
            lambda: close_with_tally(engine, staff, session, {"AZ2110B": 1}, "en"),
            monkeypatch)
        assert dose[0].outcome == "loaded"
        tallied = {lot.lot_number: lot.doses_given for lot in closed[0].lots}
        assert tallied["AZ2110B"] == 1
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT doses_given FROM vax_session_tally WHERE lot_number = 'AZ2110B'")
            ).scalar_one() == 1

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_a_dose_that_waited_for_a_close_is_refused(
        engine: Engine, day: tuple[Any, str, str], monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        staff, session, cid = day
        reached, real = threading.Event(), closing_module._read

        def paused(conn: Any, found: Any) -> Any:  # the close holds the session's lock
            reached.set()
            threading.Event().wait(PAUSE_S)
            return real(conn, found)

        monkeypatch.setattr(closing_module, "_read", paused)
        closed: list[Any] = []
        th = threading.Thread(target=lambda: closed.append(
            close_with_tally(engine, staff, session, {}, "en")))
        th.start()
        assert reached.wait(30)
        with pytest.raises(OpsError) as refused:
            give_dose(engine, staff, choice(cid, "F-LATE", dose_number=1), "en")
        th.join(30)
        assert _codes(refused.value) == ["session.closed"]
        assert closed[0].outcome == "closed"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM injection")).scalar_one() == 0
