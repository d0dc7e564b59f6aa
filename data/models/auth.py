"""Accounts, role grants with their scope, and the append-only audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class AppUser(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Sessions carry the epoch they began in; bumping it ends every session of the user
    # (logout, password change or reset, deactivation), copied cookies included.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginLock(Base):
    """Failed sign-ins of one account from one client address, and the lock they earned.

    Per address, so that a stranger who types wrong passwords locks only himself out.
    """

    __tablename__ = "login_lock"
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class UserRole(Base):
    """One role of a user with its scope: NATIONAL, or a province/district/facility code."""

    __tablename__ = "user_role"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    scope_level: Mapped[str] = mapped_column(String(10))
    scope_code: Mapped[str | None] = mapped_column(String(32))


class AuditLog(Base):
    """Who did what, when, from where, with before/after values; never updated or deleted."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    table_name: Mapped[str] = mapped_column(String(40), index=True)
    record_key: Mapped[str | None] = mapped_column(String(120))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    detail: Mapped[dict | None] = mapped_column(JSON)


class ApiToken(Base):
    """A bearer token of the JSON API: only its SHA-256 is stored, never the token itself.

    The scope is not copied here: the holder's grants are read again at every call, so a
    removed role takes effect at once. The session epoch it was issued in ends it with every
    session of the user (password change or reset, deactivation, sign-out everywhere).
    """

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_epoch: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
