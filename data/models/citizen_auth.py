"""The citizens' side of the health book: one-time sign-in codes, citizen bearer tokens and
the registrations a citizen cancelled.

Operational tables (personal data allowed). Citizen tokens are a table of their own, not rows
of api_token: a citizen is no app_user, and a staff token must never open a citizen's book
(nor a citizen token a staff route).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class CitizenCode(Base):
    """A one-time sign-in code sent to a person: only its salted SHA-256 is stored; it dies
    at `expires_at`, when used, when a newer code is sent, or after too many wrong tries."""

    __tablename__ = "citizen_code"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(20), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CitizenToken(Base):
    """A citizen's short-lived bearer token, tied to one person (identity number); only its
    SHA-256 is stored, as for staff tokens (data.auth.tokens)."""

    __tablename__ = "citizen_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(20), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class VaxRegistrationCancel(Base):
    """A registration its owner cancelled: removed from the registry (registration and
    fct_registration, as a merge removes one) and kept here as it was."""

    __tablename__ = "vax_registration_cancel"
    registration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(20), index=True)
    row: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str | None] = mapped_column(String(64))
    cancelled_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
