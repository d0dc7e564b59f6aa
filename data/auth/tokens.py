"""Bearer tokens of the JSON API: issue, verify, list and revoke.

A token is `secrets.token_urlsafe(32)` (256 random bits) shown once, at issue; only its SHA-256
is stored, so a copy of the table signs nobody in. A salt or a slow hash would add nothing: the
token is random, not a password someone chose. The holder's roles and scope are read again at
every call (with the token, in one joined read: data.auth.principals), so a removed role or a
deactivated account takes effect at once; a password change or reset, or "sign out everywhere",
ends the user's tokens with his sessions (the session epoch the token was issued in).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from data import audit
from data.audit import Actor
from data.auth.principals import principal_from, principal_select
from data.auth.roles import Principal, Role
from data.models.auth import ApiToken, AppUser

TOKENS = ApiToken.__table__
USERS = AppUser.__table__
# last_used_at is rewritten at most this often: a busy client must not write on every call.
TOUCH_EVERY = dt.timedelta(seconds=60)
# Longer than any token this module issues (43 characters); longer input is not looked up.
MAX_TOKEN_LENGTH = 128
# The administrator's list shows this many tokens, newest first.
LIST_LIMIT = 500


class TokenNotFound(LookupError):
    """No token has this id."""


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret (shown once), its id and when it ends."""

    id: int
    token: str
    expires_at: dt.datetime
    expires_in: int


@dataclass(frozen=True)
class TokenInfo:
    """What an administrator sees of a token (never the token or its hash)."""

    id: int
    user_id: int
    username: str
    source: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    status: str  # "active", "expired" or "revoked"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; every one this module writes is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def digest(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(conn: Connection, principal: Principal, source: str, ttl_s: int,
          now: dt.datetime | None = None) -> IssuedToken:
    """A new token for the signed-in `principal`, valid `ttl_s` seconds; audited."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(seconds=ttl_s)
    token_id = conn.execute(insert(TOKENS).values(
        user_id=principal.user_id, token_hash=digest(token),
        session_epoch=principal.session_epoch, source=source[:64], created_at=now,
        expires_at=expires,
    ).returning(TOKENS.c.id)).scalar_one()
    audit.record(conn, Actor(principal.user_id, principal.username, source), "TOKEN_ISSUE",
                 "api_token", str(token_id), after={"expires_at": expires.isoformat()})
    return IssuedToken(int(token_id), token, expires, ttl_s)


def verify(conn: Connection, token: str, now: dt.datetime | None = None) -> Principal | None:
    """The principal of a valid token (not expired, not revoked, account active, same session
    epoch), with its grants as they are now; None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    now = now or _now()
    rows = conn.execute(
        principal_select(TOKENS.join(USERS, USERS.c.id == TOKENS.c.user_id))
        .add_columns(TOKENS.c.id.label("token_id"), TOKENS.c.session_epoch.label("token_epoch"),
                     TOKENS.c.last_used_at)
        .where(TOKENS.c.token_hash == digest(token), TOKENS.c.revoked_at.is_(None),
               TOKENS.c.expires_at > now)).mappings().all()
    principal = principal_from(rows)
    if principal is None or principal.session_epoch != rows[0]["token_epoch"]:
        return None
    last = _aware(rows[0]["last_used_at"])
    if last is None or last < now - TOUCH_EVERY:
        conn.execute(update(TOKENS).where(TOKENS.c.id == rows[0]["token_id"])
                     .values(last_used_at=now))
    return principal


def _info(row: dict[str, Any], now: dt.datetime) -> TokenInfo:
    expires, revoked = _aware(row["expires_at"]), _aware(row["revoked_at"])
    assert expires is not None
    status = "revoked" if revoked else ("expired" if expires <= now else "active")
    created = _aware(row["created_at"])
    assert created is not None
    return TokenInfo(int(row["id"]), int(row["user_id"]), str(row["username"]), row["source"],
                     created, expires, revoked, _aware(row["last_used_at"]), status)


def _select() -> Select[Any]:
    return select(TOKENS, USERS.c.username).join(USERS, USERS.c.id == TOKENS.c.user_id)


def list_tokens(conn: Connection, principal: Principal,
                now: dt.datetime | None = None) -> list[TokenInfo]:
    """Every token, newest first (system administrators only)."""
    principal.require(Role.SYSTEM_ADMIN)
    now = now or _now()
    rows = conn.execute(_select().order_by(TOKENS.c.id.desc()).limit(LIST_LIMIT)).mappings()
    return [_info(dict(r), now) for r in rows]


def revoke(conn: Connection, principal: Principal, source: str, token_id: int,
           now: dt.datetime | None = None) -> TokenInfo:
    """End a token at once (system administrators only); revoking twice changes nothing."""
    principal.require(Role.SYSTEM_ADMIN)
    now = now or _now()
    row = conn.execute(_select().where(TOKENS.c.id == token_id)).mappings().first()
    if row is None:
        raise TokenNotFound(token_id)
    if row["revoked_at"] is None:
        conn.execute(update(TOKENS).where(TOKENS.c.id == token_id).values(revoked_at=now))
        audit.record(conn, Actor(principal.user_id, principal.username, source),
                     "TOKEN_REVOKE", "api_token", str(token_id),
                     detail={"holder": row["username"]})
        row = conn.execute(_select().where(TOKENS.c.id == token_id)).mappings().one()
    return _info(dict(row), now)
