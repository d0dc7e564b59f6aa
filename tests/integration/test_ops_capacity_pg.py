"""Twenty desks book a five-place session at the same instant on PostgreSQL: five bookings
are made, fifteen desks hear "session.full", and the counter equals the bookings.

PostgreSQL only: SQLite has one writer at a time, so its bookings cannot race (the sequential
refusal is in test_ops_sessions.py). The test is defined only when the suite runs on
PostgreSQL (DATABASE_URL set, as in CI), so it is never collected as a skip.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Role
from data.command_errors import OpsError
from data.db import make_engine
from data.ops.commands import sessions
from data.settings import Settings
from tests.conftest import backends
from tests.integration.ops_setup import SOURCE, plan, principal, seed_places

DESKS = 20
CAPACITY = 5
WAIT_S = 60.0  # a bound on the barrier, so a stuck thread fails the test instead of hanging


def _race(work: list[Callable[[], str]]) -> tuple[list[str], list[str], list[BaseException]]:
    """Run every callable in its own thread, all released at once by a barrier."""
    barrier = threading.Barrier(len(work))
    booked: list[str] = []
    refused: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], str]) -> None:
        barrier.wait(WAIT_S)
        try:
            result = call()
        except OpsError as err:
            with lock:
                refused.extend(p.code for p in err.problems)
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            with lock:
                other.append(err)
        else:
            with lock:
                booked.append(result)

    threads = [threading.Thread(target=run, args=(w,)) for w in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S)
    assert not any(t.is_alive() for t in threads)
    return booked, refused, other


if "postgresql" in backends():

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_twenty_desks_at_once_never_overbook_a_session(settings: Settings,
                                                           engine: Engine) -> None:
        seed_places(engine)
        staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
        sid = sessions.create_session(engine, staff, SOURCE, plan(capacity=CAPACITY))
        desks = make_engine(settings, pool_size=DESKS, max_overflow=0)  # a session per desk
        people = [f"0010900{n:05d}" for n in range(DESKS)]  # twenty distinct CCCDs
        try:
            booked, refused, other = _race([
                (lambda p=p: sessions.book(desks, staff, SOURCE, sid, p, "CCCD"))
                for p in people])
        finally:
            desks.dispose()
        assert other == []
        assert (len(booked), len(set(booked))) == (CAPACITY, CAPACITY)
        assert refused == ["session.full"] * (DESKS - CAPACITY)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT booked, capacity FROM vax_session")).one() == (
                CAPACITY, CAPACITY)
            assert conn.execute(text("SELECT COUNT(*) FROM vax_booking WHERE status = "
                                     "'BOOKED'")).scalar_one() == CAPACITY
            assert conn.execute(text("SELECT COUNT(*) FROM audit_log WHERE action = 'BOOK'")
                                ).scalar_one() == CAPACITY

    @pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
    def test_one_person_at_two_desks_at_once_is_booked_once(engine: Engine) -> None:
        seed_places(engine)
        staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
        sid = sessions.create_session(engine, staff, SOURCE, plan(capacity=CAPACITY))
        booked, refused, other = _race([
            lambda: sessions.book(engine, staff, SOURCE, sid, "001090012345", "CCCD")] * 4)
        assert other == []
        assert len(booked) == 1 and refused == ["booking.duplicate"] * 3
        with engine.connect() as conn:  # the refused desks' places went back with their rollback
            assert conn.execute(text("SELECT booked FROM vax_session")).scalar_one() == 1
