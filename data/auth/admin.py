"""Account administration and the audit trail, for system administrators only.

Every function checks the principal here, in the data layer, before it reads or writes: a
forged request that reaches it from any page is refused with Forbidden.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from data import audit
from data.audit import Actor
from data.auth import users
from data.auth.roles import Forbidden, Principal, Role
from data.models.auth import AppUser, AuditLog
from data.models.reference import District, Facility, Province

_AUDIT = AuditLog.__table__
_USERS = AppUser.__table__
Roles = list[tuple[Role, str | None]]


def actor_for(principal: Principal, source: str | None) -> Actor:
    """The audit actor of a signed-in principal acting from `source` (an address)."""
    return Actor(principal.user_id, principal.username, (source or "unknown")[:64])


def require_admin(principal: Principal) -> None:
    """Forbidden unless the principal is a system administrator."""
    principal.require(Role.SYSTEM_ADMIN)


def _require_admin(principal: Principal, actor: Actor | None = None) -> None:
    require_admin(principal)
    if actor is not None and actor.user_id != principal.user_id:
        raise Forbidden(f"{principal.username} may not act as {actor.username}")


def admin_list_users(conn: Connection, principal: Principal,
                     now: dt.datetime | None = None) -> pd.DataFrame:
    """Accounts with their roles and whether they are locked out now (no password hashes)."""
    _require_admin(principal)
    df = users.list_users(conn)
    moment = now or dt.datetime.now(dt.UTC)
    locked = pd.to_datetime(df["locked_until"], utc=True)
    df["locked"] = locked.notna() & (locked > moment)
    return df


def admin_username(conn: Connection, principal: Principal, user_id: int) -> str:
    """The username of account `user_id` (AccountError when there is none)."""
    _require_admin(principal)
    name = conn.execute(select(_USERS.c.username).where(_USERS.c.id == user_id)).scalar()
    if name is None:
        raise users.AccountError("user.not_found", "user")
    return str(name)


def admin_create_user(conn: Connection, principal: Principal, actor: Actor, username: str,
                      display_name: str, password: str, roles: Roles) -> int:
    """Create an account that must change its temporary password at first sign-in."""
    _require_admin(principal, actor)
    return users.create_user(conn, actor, username, display_name, password, roles,
                             must_change_password=True)


def admin_set_roles(conn: Connection, principal: Principal, actor: Actor, user_id: int,
                    roles: Roles) -> None:
    """Replace an account's roles and scopes."""
    _require_admin(principal, actor)
    users.set_roles(conn, actor, user_id, roles)


def admin_set_active(conn: Connection, principal: Principal, actor: Actor, user_id: int,
                     active: bool) -> None:
    """Activate or deactivate an account."""
    _require_admin(principal, actor)
    users.set_active(conn, actor, user_id, active)


def admin_reset_password(conn: Connection, principal: Principal, actor: Actor, user_id: int,
                         password: str) -> None:
    """Give an account a temporary password (changed at next sign-in) and unlock it."""
    _require_admin(principal, actor)
    users.reset_password(conn, actor, user_id, password)


def admin_unlock(conn: Connection, principal: Principal, actor: Actor, user_id: int) -> int:
    """Lift every sign-in lock of an account, from every address; the pairs cleared."""
    _require_admin(principal, actor)
    return users.unlock(conn, actor, user_id)


def audit_entries(
    conn: Connection, principal: Principal, username: str | None = None,
    table: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
    limit: int = 500, action: str | None = None,
) -> pd.DataFrame:
    """Audit entries filtered by user, table, action and date range (UTC days), newest first."""
    _require_admin(principal)
    return audit.search(conn, username, table, start, end, limit, action)


def audit_total(
    conn: Connection, principal: Principal, username: str | None = None,
    table: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
    action: str | None = None,
) -> int:
    """How many audit entries match the filters."""
    _require_admin(principal)
    return audit.count(conn, username, table, start, end, action)


def audit_facets(conn: Connection, principal: Principal
                 ) -> tuple[list[str], list[str], list[str]]:
    """Usernames, table names and actions present in the audit log, for the filters."""
    _require_admin(principal)

    def distinct(column: Any) -> list[str]:
        return [str(v) for v in conn.execute(select(column).distinct().order_by(column))
                .scalars()]

    return distinct(_AUDIT.c.username), distinct(_AUDIT.c.table_name), distinct(
        _AUDIT.c.action)


def scope_names(conn: Connection, principal: Principal) -> dict[str, str]:
    """Name of every scope code a grant can carry: province, district and facility codes
    (their formats never collide: 2 digits, 3 digits, facility codes). A numbered district
    is named with its type ('Quận 1', not '1'), as dim_geography names it."""
    _require_admin(principal)
    names: dict[str, str] = {}
    for table in (Province.__table__, Facility.__table__):
        names |= {str(c): str(n) for c, n in conn.execute(select(table.c.code, table.c.name))}
    districts = District.__table__
    names |= {str(c): str(typed if str(n).isdigit() and typed else n) for c, n, typed in
              conn.execute(select(districts.c.code, districts.c.name,
                                  districts.c.name_with_type))}
    return names
