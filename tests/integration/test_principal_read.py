"""The principal read in one joined query (data.auth.principals) gives exactly the grants that
resolving each role against its scope's table gives (data.auth.users.resolve_grant), for a
session and for a bearer token, on each backend; a scope that no longer names a place grants
nothing, an account without roles has no grant, a deactivated one has no principal."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, insert, select, update

from data.audit import Actor
from data.auth import tokens
from data.auth.roles import Grant, Principal, Role
from data.auth.users import AccountError, create_user, load_principal, resolve_grant
from data.db import unit_of_work
from data.models.auth import AppUser, UserRole
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, write_csv

ACTOR = Actor(None, "test", "test")
ROLES = [(Role.MINISTRY_LEADER, None), (Role.PROVINCE_OFFICER, "79"),
         (Role.DISTRICT_OFFICER, "760"), (Role.FACILITY_STAFF, FACILITY["facility_code"])]


def _by_table(engine: Engine, uid: int) -> tuple[Grant, ...]:
    """Each stored role resolved against its own table, one query at a time."""
    grants = []
    with unit_of_work(engine) as conn:
        for role, code in conn.execute(select(UserRole.role, UserRole.scope_code)
                                       .where(UserRole.user_id == uid).order_by(UserRole.id)):
            try:
                grants.append(resolve_grant(conn, Role(role), code))
            except AccountError:
                continue
    return tuple(grants)


def test_the_joined_read_grants_what_each_scope_table_grants(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", [FACILITY])).loaded == 1
    with unit_of_work(engine) as conn:
        uid = create_user(conn, ACTOR, "many.roles", "Nhiều vai trò", "Mat-khau-2021-x", ROLES,
                          must_change_password=False)
        bare = create_user(conn, ACTOR, "no.roles", "Không vai trò", "Mat-khau-2021-y", [],
                           must_change_password=False)
        # Scopes whose place is gone (a facility or district code no table holds any more).
        for role, level, code in ((Role.FACILITY_STAFF, "FACILITY", "F99999"),
                                  (Role.DISTRICT_OFFICER, "DISTRICT", "999"),
                                  (Role.PROVINCE_OFFICER, "PROVINCE", "99")):
            conn.execute(insert(UserRole).values(user_id=uid, role=role.value,
                                                 scope_level=level, scope_code=code))
    expected = _by_table(engine, uid)
    assert [(g.role, g.scope_code, g.province_code, g.district_code) for g in expected] == [
        (Role.MINISTRY_LEADER, None, None, None), (Role.PROVINCE_OFFICER, "79", "79", None),
        (Role.DISTRICT_OFFICER, "760", "79", "760"),
        (Role.FACILITY_STAFF, "F00101", "01", "001")]

    with unit_of_work(engine) as conn:
        principal = load_principal(conn, uid)
        token = tokens.issue(conn, principal, "test", 600).token  # type: ignore[arg-type]
        assert load_principal(conn, bare) == Principal(bare, "no.roles", "Không vai trò", (), 0)
    assert principal is not None and principal.grants == expected
    assert (principal.user_id, principal.username, principal.display_name) == (
        uid, "many.roles", "Nhiều vai trò")
    with unit_of_work(engine) as conn:
        assert tokens.verify(conn, token) == principal

    with unit_of_work(engine) as conn:
        conn.execute(update(AppUser).where(AppUser.id == uid).values(is_active=False))
    with unit_of_work(engine) as conn:
        assert load_principal(conn, uid) is None
        assert tokens.verify(conn, token) is None
