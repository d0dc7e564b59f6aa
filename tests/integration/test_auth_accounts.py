"""Accounts in the data layer: hashing, lock-out, roles with scope, audit of every change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, text, update

from data import audit
from data.audit import Actor
from data.auth import users
from data.auth.roles import Forbidden, Role
from data.db import unit_of_work
from data.models.auth import LoginLock
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, write_csv

ADMIN = Actor(None, "test-admin", "127.0.0.1")
PASSWORD = "Mật-khẩu-dài-2021"


def _create(engine: Engine, name: str, roles: list[tuple[Role, str | None]]) -> int:
    with unit_of_work(engine) as conn:
        return users.create_user(conn, ADMIN, name, name.title(), PASSWORD, roles,
                                 must_change_password=False)


def _login(engine: Engine, name: str, password: str = PASSWORD) -> users.LoginResult:
    with unit_of_work(engine) as conn:
        return users.authenticate(conn, name, password, "10.0.0.1")


def test_password_is_argon2_and_login_works(engine: Engine) -> None:
    uid = _create(engine, "tinh79", [(Role.PROVINCE_OFFICER, "79")])
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM app_user WHERE id = :i"),
                              {"i": uid}).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    result = _login(engine, "TINH79 ")
    assert result.principal is not None
    assert result.principal.provinces() == {"79"}
    assert _login(engine, "tinh79", "wrong-password-1").reason == "login.invalid"
    assert _login(engine, "nobody", PASSWORD).reason == "login.invalid"


def test_lockout_after_five_failures_then_unlock_by_time(engine: Engine) -> None:
    uid = _create(engine, "huyen", [(Role.DISTRICT_OFFICER, "760")])
    for _ in range(users.MAX_FAILURES):
        assert _login(engine, "huyen", "bad-password-9").principal is None
    locked = _login(engine, "huyen")  # the right password no longer opens it
    assert locked.principal is None and locked.reason == "login.invalid"
    with unit_of_work(engine) as conn:
        conn.execute(update(LoginLock.__table__).where(LoginLock.__table__.c.user_id == uid)
                     .values(locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert _login(engine, "huyen").principal is not None


def test_roles_resolve_scope_and_refuse_unknown_codes(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    uid = _create(engine, "coso", [(Role.FACILITY_STAFF, "F00101")])
    with engine.connect() as conn:
        p = users.load_principal(conn, uid)
    assert p is not None
    grant = p.grants[0]
    assert (grant.province_code, grant.district_code) == ("01", "001")
    # Facility staff see their facility, not the district's totals (README, Roles).
    assert p.facilities_in("01") == {"F00101"} and p.districts_in("01") == frozenset()
    assert p.sees_below("01") and not p.sees_below("79")
    for province in ("01", "79"):
        with pytest.raises(Forbidden):
            p.require_province_detail(province)
    with pytest.raises(Forbidden):
        p.require_facility_detail("79")
    for role, code in [(Role.PROVINCE_OFFICER, "99"), (Role.DISTRICT_OFFICER, None),
                       (Role.FACILITY_STAFF, "NO-SUCH")]:
        with pytest.raises(users.AccountError), unit_of_work(engine) as conn:
            users.create_user(conn, ADMIN, f"x{role.value[:3].lower()}", "X", PASSWORD,
                              [(role, code)])


def test_deactivation_ends_access_and_every_change_is_audited(engine: Engine) -> None:
    uid = _create(engine, "leader", [(Role.MINISTRY_LEADER, None)])
    with unit_of_work(engine) as conn:
        users.set_roles(conn, ADMIN, uid, [(Role.PROVINCE_OFFICER, "01")])
        users.reset_password(conn, ADMIN, uid, "Tam-thoi-12345")
        users.set_active(conn, ADMIN, uid, False)
    with engine.connect() as conn:
        assert users.load_principal(conn, uid) is None
        log = audit.search(conn, table=None)
    actions = list(log.sort_values("id")["action"])
    assert actions == ["CREATE", "UPDATE_ROLES", "RESET_PASSWORD", "DEACTIVATE"]
    roles = log[log["action"] == "UPDATE_ROLES"].iloc[0]
    assert roles["before"] == {"roles": ["MINISTRY_LEADER:VN"]}
    assert roles["after"] == {"roles": ["PROVINCE_OFFICER:01"]}
    assert set(log["username"]) == {"test-admin"} and set(log["source"]) == {"127.0.0.1"}
    assert _login(engine, "leader", "Tam-thoi-12345").principal is None


def test_password_change_rules(engine: Engine) -> None:
    uid = _create(engine, "staff", [(Role.MINISTRY_LEADER, None)])
    me = Actor(uid, "staff", "10.0.0.2")
    cases = [("wrong-current-1", "Moi-mat-khau-2022", "password.wrong_current"),
             (PASSWORD, PASSWORD, "password.same"),
             (PASSWORD, "short1", "password.too_short"),
             (PASSWORD, "staff-staff-1", "password.contains_username")]
    for current, new, key in cases:
        with pytest.raises(users.AccountError) as err, unit_of_work(engine) as conn:
            users.change_password(conn, me, current, new)
        assert err.value.key == key
    with unit_of_work(engine) as conn:
        users.change_password(conn, me, PASSWORD, "Moi-mat-khau-2022")
    assert _login(engine, "staff", "Moi-mat-khau-2022").principal is not None


def test_audit_log_is_append_only(engine: Engine) -> None:
    _create(engine, "someone", [(Role.MINISTRY_LEADER, None)])
    for sql in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one() == 1


def test_etl_loads_are_audited_with_checksum_and_counts(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "f.csv", [FACILITY, dict(FACILITY, facility_code="")])
    res = load_file(settings, engine, "facilities", path)
    with engine.connect() as conn:
        entry = audit.search(conn, table="facilities").iloc[0]
    assert entry["action"] == "ETL_LOAD" and entry["username"].startswith("cli:")
    assert entry["detail"]["loaded"] == res.loaded == 1
    assert entry["detail"]["rejected"] == 1 and len(entry["detail"]["sha256"]) == 64
