"""Sign-in lock-out in the data layer, on each backend: atomic counts under real threads, one
answer for every failure, locks per account and client address with exponential back-off, and
the administrator's unlock (data layer and `python -m etl unlock`)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, select, update

from data import audit
from data.audit import Actor
from data.auth import admin, lockout, users
from data.auth.roles import Forbidden, Role
from data.db import unit_of_work
from data.models.auth import LoginLock
from data.settings import Settings
from etl.__main__ import main

FIXTURE = Actor(None, "test-admin", "127.0.0.1")
PASSWORD = "Mật-khẩu-dài-2021"
WRONG = "bad-password-9"
LOCKS = LoginLock.__table__


def _create(engine: Engine, name: str, role: Role = Role.DISTRICT_OFFICER,
            scope: str | None = "760") -> int:
    with unit_of_work(engine) as conn:
        return users.create_user(conn, FIXTURE, name, name.title(), PASSWORD, [(role, scope)],
                                 must_change_password=False)


def _login(engine: Engine, name: str, password: str = PASSWORD,
           source: str = "10.0.0.1") -> users.LoginResult:
    with unit_of_work(engine) as conn:
        return users.authenticate(conn, name, password, source)


def _expire_locks(engine: Engine, uid: int) -> None:
    with unit_of_work(engine) as conn:
        conn.execute(update(LOCKS).where(LOCKS.c.user_id == uid).values(
            locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))


def _lock_end(engine: Engine, uid: int, source: str) -> dt.datetime:
    with engine.connect() as conn:
        until = conn.execute(select(LOCKS.c.locked_until).where(
            LOCKS.c.user_id == uid, LOCKS.c.source == source)).scalar_one()
    return until if until.tzinfo else until.replace(tzinfo=dt.UTC)


def test_defect4_parallel_wrong_passwords_are_counted_atomically(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    uid = _create(engine, "huyen")
    with engine.connect() as conn:
        real_hash = conn.execute(select(users.USERS.c.password_hash)
                                 .where(users.USERS.c.id == uid)).scalar_one()
    checks: list[str] = []
    verify = users.verify_password

    def counting(stored: str, password: str) -> bool:
        if stored == real_hash:
            checks.append(password)
        return verify(stored, password)

    monkeypatch.setattr(users, "verify_password", counting)
    start = threading.Barrier(10)
    answers: list[str | None] = []

    def attempt() -> None:
        start.wait()
        answers.append(_login(engine, "huyen", WRONG).reason)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert answers == ["login.invalid"] * 10
    # Only MAX_FAILURES of the ten reach the hash; the others find the pair locked.
    assert len(checks) == users.MAX_FAILURES
    with engine.connect() as conn:
        log = audit.search(conn, username="huyen")
    failed = log[log["action"] == "LOGIN_FAILED"]
    assert sorted(d["failures"] for d in failed["detail"]) == [1, 2, 3, 4, 5]
    assert (log["action"] == "LOGIN_LOCKED").sum() == 5
    assert _login(engine, "huyen").principal is None  # the right password waits too


def test_defect11_locked_and_wrong_answer_the_same(engine: Engine) -> None:
    _create(engine, "huyen")
    wrong = _login(engine, "huyen", WRONG)
    unknown = _login(engine, "nobody", WRONG)
    for _ in range(users.MAX_FAILURES):
        _login(engine, "huyen", WRONG)
    locked = _login(engine, "huyen")
    assert wrong == unknown == locked == users.LoginResult(None, "login.invalid")


def test_defect11_lock_is_per_address_with_exponential_backoff(engine: Engine) -> None:
    uid = _create(engine, "quan.tri", Role.SYSTEM_ADMIN, None)
    for _ in range(users.MAX_FAILURES):
        assert _login(engine, "quan.tri", WRONG, source="203.0.113.9").principal is None
    assert _login(engine, "quan.tri", source="203.0.113.9").principal is None
    # The owner at another address is not locked out by the stranger's attempts.
    assert _login(engine, "quan.tri", source="10.1.1.1").principal is not None
    first = _lock_end(engine, uid, "203.0.113.9") - dt.datetime.now(dt.UTC)
    assert dt.timedelta(seconds=50) < first <= lockout.FIRST_LOCK
    _expire_locks(engine, uid)
    # Each further wrong password doubles the lock: 2, then 4 minutes.
    for minutes in (2, 4):
        _login(engine, "quan.tri", WRONG, source="203.0.113.9")
        left = _lock_end(engine, uid, "203.0.113.9") - dt.datetime.now(dt.UTC)
        assert dt.timedelta(minutes=minutes, seconds=-10) < left <= dt.timedelta(
            minutes=minutes)
        _expire_locks(engine, uid)
    assert _login(engine, "quan.tri", source="203.0.113.9").principal is not None
    with engine.connect() as conn:  # the right password starts that address afresh
        assert conn.execute(select(LOCKS).where(LOCKS.c.user_id == uid)).first() is None
    assert [lockout.lock_for(n) for n in (4, 5, 6, 30)] == [
        None, dt.timedelta(minutes=1), dt.timedelta(minutes=2), lockout.MAX_LOCK]


def test_defect11_administrator_unlocks_in_the_data_layer_and_the_cli(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    admin_id = _create(engine, "quan.tri", Role.SYSTEM_ADMIN, None)
    uid = _create(engine, "huyen")
    for source in ("10.0.0.1", "10.0.0.2"):
        for _ in range(users.MAX_FAILURES):
            _login(engine, "huyen", WRONG, source=source)
    with engine.connect() as conn:
        boss = users.load_principal(conn, admin_id)
        officer = users.load_principal(conn, uid)
        listed = admin.admin_list_users(conn, boss).set_index("username")
    assert boss is not None and officer is not None
    assert bool(listed.loc["huyen", "locked"]) and not bool(listed.loc["quan.tri", "locked"])
    with pytest.raises(Forbidden), unit_of_work(engine) as conn:
        admin.admin_unlock(conn, officer, admin.actor_for(officer, "x"), uid)
    with unit_of_work(engine) as conn:
        assert admin.admin_unlock(conn, boss, admin.actor_for(boss, "10.9.9.9"), uid) == 2
    assert _login(engine, "huyen", source="10.0.0.1").principal is not None
    with engine.connect() as conn:
        entry = audit.search(conn, username="quan.tri").iloc[0]
    assert (entry["action"], entry["record_key"], entry["detail"]) == (
        "UNLOCK", "huyen", {"cleared": 2})

    for _ in range(users.MAX_FAILURES):
        _login(engine, "huyen", WRONG, source="10.0.0.3")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert main(["unlock", "Huyen"]) == 0
    assert "huyen unlocked (1 address(es) cleared)" in capsys.readouterr().out
    assert _login(engine, "huyen", source="10.0.0.3").principal is not None
    assert main(["unlock", "nobody"]) == 2
    assert "no account nobody" in capsys.readouterr().err
