"""A user's principal (account, roles, each role's scope resolved) read by one query.

Every API call and every Dash callback reads its principal again, so that a removed role or a
deactivated account takes effect at once. Reading the account, its roles and each scope's
place one query at a time cost four or five round trips a request; the joined read costs one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, FromClause, Select, literal, select

from data.auth.roles import ROLE_LEVEL, Grant, Principal, Role
from data.models.auth import AppUser, UserRole
from data.models.reference import District, Facility, Province

USERS = AppUser.__table__
ROLES = UserRole.__table__
PROVINCES = Province.__table__
DISTRICTS = District.__table__
FACILITIES = Facility.__table__

# Where a scope code lies: (province, district), or None when no such place exists.
Place = tuple[str | None, str | None] | None


def scoped_grant(role: Role, code: str, place: Place) -> Grant | None:
    """The grant of `role` over `code`, or None when the scope names no place."""
    if place is None:
        return None
    return Grant(role, ROLE_LEVEL[role], code, province_code=place[0], district_code=place[1])


def principal_select(base: FromClause = USERS) -> Select[Any]:
    """The account's columns with one row per role, each with its scope's place (no role: one
    row of NULLs). `base` must include USERS (a token joined to its user, for example)."""
    joined = (base.outerjoin(ROLES, ROLES.c.user_id == USERS.c.id)
              .outerjoin(PROVINCES, PROVINCES.c.code == ROLES.c.scope_code)
              .outerjoin(DISTRICTS, DISTRICTS.c.code == ROLES.c.scope_code)
              .outerjoin(FACILITIES, FACILITIES.c.code == ROLES.c.scope_code))
    return (select(USERS.c.id.label("user_id"), USERS.c.username, USERS.c.display_name,
                   USERS.c.is_active, USERS.c.session_epoch.label("user_epoch"),
                   ROLES.c.role, ROLES.c.scope_code, PROVINCES.c.code.label("p_code"),
                   DISTRICTS.c.province_code.label("d_province"),
                   FACILITIES.c.code.label("f_code"),
                   FACILITIES.c.province_code.label("f_province"),
                   FACILITIES.c.district_code.label("f_district"))
            .select_from(joined).order_by(ROLES.c.id))


def scope_place(conn: Connection, role: Role, code: str) -> Place:
    """Where `code` lies for a grant of `role`, read as principal_select reads it (a grant being
    made: one query of scalar look-ups instead of the join from a stored role)."""

    def one(column: Any, key: Any) -> Any:
        return select(column).where(key == code).scalar_subquery()

    row = conn.execute(select(
        literal(code).label("scope_code"),
        one(PROVINCES.c.code, PROVINCES.c.code).label("p_code"),
        one(DISTRICTS.c.province_code, DISTRICTS.c.code).label("d_province"),
        one(FACILITIES.c.code, FACILITIES.c.code).label("f_code"),
        one(FACILITIES.c.province_code, FACILITIES.c.code).label("f_province"),
        one(FACILITIES.c.district_code, FACILITIES.c.code).label("f_district"),
    )).mappings().one()
    return _place(ROLE_LEVEL[role], row)


def _place(level: str, r: Any) -> Place:
    if level == "PROVINCE":
        return (r["p_code"], None) if r["p_code"] else None
    if level == "DISTRICT":
        return (r["d_province"], r["scope_code"]) if r["d_province"] else None
    return (r["f_province"], r["f_district"]) if r["f_code"] else None


def principal_from(rows: Sequence[Any]) -> Principal | None:
    """The active user's principal from principal_select's rows, or None."""
    if not rows or not rows[0]["is_active"]:
        return None
    grants = []
    for r in rows:
        if r["role"] is None:
            continue
        role = Role(r["role"])
        level = ROLE_LEVEL[role]
        if level == "NATIONAL":
            grants.append(Grant(role, level, None))
        elif r["scope_code"] and (grant := scoped_grant(
                role, r["scope_code"], _place(level, r))) is not None:
            grants.append(grant)  # a scope whose place was removed grants nothing
    first = rows[0]
    return Principal(first["user_id"], first["username"], first["display_name"], tuple(grants),
                     first["user_epoch"])


def load_principal(conn: Connection, user_id: int) -> Principal | None:
    """The active user's principal with resolved grants, or None (one query)."""
    return principal_from(conn.execute(
        principal_select().where(USERS.c.id == user_id)).mappings().all())
