"""Account commands and look-ups; every change is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from data import audit
from data.audit import Actor
from data.auth import guards, lockout
from data.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from data.auth.principals import load_principal, scope_place, scoped_grant
from data.auth.roles import ROLE_LEVEL, Forbidden, Grant, Principal, Role
from data.models.auth import AppUser, UserRole

USERS = AppUser.__table__
ROLES = UserRole.__table__
MAX_FAILURES = lockout.MAX_FAILURES
# Verifying against a real hash when the user does not exist keeps the timing the same, so
# a caller cannot tell which usernames exist.
_DUMMY_HASH = hash_password("not-a-real-password-0")


class AccountError(ValueError):
    """A refused account change; `key` names the UI message, `field` the form field."""

    def __init__(self, key: str, field: str | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.field = field


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt: the principal, or the reason it failed."""

    principal: Principal | None
    reason: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def resolve_grant(conn: Connection, role: Role, code: str | None) -> Grant:
    """Check a scope code exists for the role's level and resolve its province/district."""
    level = ROLE_LEVEL[role]
    if level == "NATIONAL":
        return Grant(role, level, None)
    if not code:
        raise AccountError("role.scope_required", "scope_code")
    grant = scoped_grant(role, code, scope_place(conn, role, code))
    if grant is None:
        raise AccountError("role.unknown_scope", "scope_code")
    return grant


def _clean_username(username: str) -> str | None:
    """The username as stored, or None if it cannot be one (control characters, too long)."""
    name = username.strip().lower()
    if not name or len(name) > 64 or not name.isprintable():
        return None  # a NUL byte would make PostgreSQL refuse the query itself
    return name


def authenticate(conn: Connection, username: str, password: str, source: str) -> LoginResult:
    """Check a password, counting failures per account and address; audit every attempt.

    Wrong password, unknown user, deactivated account and lock-out all answer the same
    'login.invalid' after the same hash work, so the answer tells nobody which it was.
    """
    name = _clean_username(username)
    user = None if name is None else conn.execute(
        select(USERS).where(USERS.c.username == name)).mappings().first()
    shown = (name or username.encode("unicode_escape").decode("ascii"))[:64]
    actor = Actor(user["id"] if user else None, shown, source)
    if not user:
        verify_password(_DUMMY_HASH, password)
        audit.record(conn, actor, "LOGIN_FAILED", "app_user", shown,
                     detail={"reason": "unknown"})
        return LoginResult(None, "login.invalid")
    now = _now()
    count = lockout.begin_attempt(conn, user["id"], source, now)
    if count is None:
        verify_password(_DUMMY_HASH, password)  # same time as a real check
        audit.record(conn, actor, "LOGIN_LOCKED", "app_user", user["username"])
        return LoginResult(None, "login.invalid")
    if not user["is_active"] or not verify_password(user["password_hash"], password):
        until = lockout.failed(conn, user["id"], source, count, now)
        audit.record(conn, actor, "LOGIN_FAILED", "app_user", user["username"],
                     detail={"failures": count, "locked": until is not None,
                             "locked_until": until.isoformat() if until else None})
        return LoginResult(None, "login.invalid")
    lockout.succeeded(conn, user["id"], source)
    if needs_rehash(user["password_hash"]):
        conn.execute(update(USERS).where(USERS.c.id == user["id"]).values(
            password_hash=hash_password(password)))
    audit.record(conn, actor, "LOGIN", "app_user", user["username"])
    return LoginResult(load_principal(conn, user["id"]))


def unlock(conn: Connection, actor: Actor, user_id: int) -> int:
    """Lift every sign-in lock of the account (all addresses); the pairs cleared."""
    name = _username(conn, user_id)
    cleared = lockout.unlock(conn, user_id)
    audit.record(conn, actor, "UNLOCK", "app_user", name, detail={"cleared": cleared})
    return cleared


def create_user(
    conn: Connection, actor: Actor, username: str, display_name: str, password: str,
    roles: list[tuple[Role, str | None]], must_change_password: bool = True,
) -> int:
    """Create an account with its roles (administrators only, checked by the caller)."""
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("_", "").isalnum():
        raise AccountError("user.bad_username", "username")
    if conn.execute(select(USERS.c.id).where(USERS.c.username == username)).first():
        raise AccountError("user.exists", "username")
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem, "password")
    grants = [resolve_grant(conn, role, code) for role, code in roles]
    now = _now()
    user_id = conn.execute(insert(USERS).values(
        username=username, display_name=display_name.strip() or username,
        password_hash=hash_password(password), is_active=True,
        must_change_password=must_change_password, created_at=now,
        password_changed_at=now,
    ).returning(USERS.c.id)).scalar_one()
    _write_grants(conn, user_id, grants)
    audit.record(conn, actor, "CREATE", "app_user", username, after={
        "display_name": display_name, "active": True,
        "roles": [f"{g.role}:{g.scope_code or 'VN'}" for g in grants]})
    return int(user_id)


def _write_grants(conn: Connection, user_id: int, grants: list[Grant]) -> None:
    conn.execute(delete(ROLES).where(ROLES.c.user_id == user_id))
    if grants:
        conn.execute(insert(ROLES), [
            {"user_id": user_id, "role": str(g.role), "scope_level": g.scope_level,
             "scope_code": g.scope_code} for g in grants])


def _username(conn: Connection, user_id: int) -> str:
    name = conn.execute(select(USERS.c.username).where(USERS.c.id == user_id)).scalar()
    if name is None:
        raise AccountError("user.not_found")
    return str(name)


def set_roles(conn: Connection, actor: Actor, user_id: int,
              roles: list[tuple[Role, str | None]]) -> None:
    """Replace a user's roles and scopes; nobody demotes himself or the last administrator."""
    name = _username(conn, user_id)
    was_admin = guards.is_admin(conn, user_id)
    stays_admin = any(role == Role.SYSTEM_ADMIN for role, _code in roles)
    grants = [resolve_grant(conn, role, code) for role, code in roles]
    if was_admin and not stays_admin and actor.user_id == user_id:
        raise AccountError("user.cannot_demote_self", "role")
    if was_admin and not stays_admin:
        guards.lock_admins(conn)
    before = [f"{r['role']}:{r['scope_code'] or 'VN'}" for r in conn.execute(
        select(ROLES).where(ROLES.c.user_id == user_id).order_by(ROLES.c.id)).mappings()]
    _write_grants(conn, user_id, grants)
    if was_admin and not stays_admin and not guards.any_active_admin(conn):
        raise AccountError("user.last_admin", "role")  # the unit of work rolls back
    audit.record(conn, actor, "UPDATE_ROLES", "user_role", name, before={"roles": before},
                 after={"roles": [f"{g.role}:{g.scope_code or 'VN'}" for g in grants]})


def set_active(conn: Connection, actor: Actor, user_id: int, active: bool) -> None:
    """Activate or deactivate an account (a deactivated user's sessions stop at once)."""
    name = _username(conn, user_id)
    if actor.user_id == user_id and not active:
        raise AccountError("user.cannot_deactivate_self", "user")
    guard = not active and guards.is_admin(conn, user_id)
    if guard:
        guards.lock_admins(conn)
    conn.execute(update(USERS).where(USERS.c.id == user_id).values(
        is_active=active, session_epoch=USERS.c.session_epoch + 1))
    if guard and not guards.any_active_admin(conn):
        raise AccountError("user.last_admin", "user")  # the unit of work rolls back
    audit.record(conn, actor, "ACTIVATE" if active else "DEACTIVATE", "app_user", name,
                 before={"active": not active}, after={"active": active})


def reset_password(conn: Connection, actor: Actor, user_id: int, new_password: str) -> None:
    """Set a temporary password the user must change at next login; unlock the account."""
    name = _username(conn, user_id)
    problem = password_problem(new_password, name)
    if problem:
        raise AccountError(problem, "password")
    conn.execute(update(USERS).where(USERS.c.id == user_id).values(
        password_hash=hash_password(new_password), must_change_password=True,
        password_changed_at=_now(), session_epoch=USERS.c.session_epoch + 1))
    lockout.unlock(conn, user_id)
    audit.record(conn, actor, "RESET_PASSWORD", "app_user", name)


def change_password(conn: Connection, actor: Actor, current: str, new: str) -> None:
    """The signed-in user changes their own password."""
    if actor.user_id is None:
        raise Forbidden("anonymous")
    user = conn.execute(select(USERS).where(USERS.c.id == actor.user_id)).mappings().one()
    if not verify_password(user["password_hash"], current):
        raise AccountError("password.wrong_current", "current")
    if new == current:
        raise AccountError("password.same", "new")
    problem = password_problem(new, user["username"])
    if problem:
        raise AccountError(problem, "new")
    conn.execute(update(USERS).where(USERS.c.id == actor.user_id).values(
        password_hash=hash_password(new), must_change_password=False,
        password_changed_at=_now(), session_epoch=USERS.c.session_epoch + 1))
    audit.record(conn, actor, "CHANGE_PASSWORD", "app_user", user["username"])


def end_sessions(conn: Connection, actor: Actor) -> None:
    """Sign the user out everywhere (every session of theirs stops at its next request)."""
    if actor.user_id is None:
        return
    conn.execute(update(USERS).where(USERS.c.id == actor.user_id).values(
        session_epoch=USERS.c.session_epoch + 1))
    audit.record(conn, actor, "LOGOUT", "app_user", actor.username)


def list_users(conn: Connection) -> pd.DataFrame:
    """Accounts with their roles (no password hashes)."""
    locks = lockout.latest_lock()
    users = pd.DataFrame(conn.execute(select(
        USERS.c.id, USERS.c.username, USERS.c.display_name, USERS.c.is_active,
        locks.c.locked_until, USERS.c.created_at)
        .outerjoin(locks, locks.c.user_id == USERS.c.id)).mappings().all(),
        columns=["id", "username", "display_name", "is_active", "locked_until", "created_at"])
    roles = pd.DataFrame(conn.execute(select(ROLES.c.user_id, ROLES.c.role, ROLES.c.scope_code))
                         .mappings().all(), columns=["user_id", "role", "scope_code"])
    roles["grant"] = roles["role"] + ":" + roles["scope_code"].fillna("VN")
    joined = roles.groupby("user_id")["grant"].agg(", ".join)
    users["roles"] = users["id"].map(joined).fillna("")
    return users.sort_values("username").reset_index(drop=True)


def must_change_password(conn: Connection, user_id: int) -> bool:
    """Whether the user logs in with a temporary password."""
    return bool(conn.execute(select(USERS.c.must_change_password)
                             .where(USERS.c.id == user_id)).scalar())
