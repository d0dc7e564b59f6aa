"""Pieces every operations command shares: ids, the clock, the audit actor, the scope check."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Connection, select

from data.audit import Actor
from data.auth.admin import actor_for
from data.auth.roles import Principal
from data.command_errors import OpsError, Problem
from data.models.ops import VaxSession
from data.models.reference import Facility
from data.ops.rules.errors import RuleError

SESSIONS = VaxSession.__table__
FACILITIES = Facility.__table__


def from_rule(err: RuleError, field: str | None = None) -> Problem:
    """A rule module's refusal as a problem (its field renamed to the form's when given)."""
    return Problem(field or err.field, err.code, err.detail)


def raise_if(problems: list[Problem]) -> None:
    """Raise OpsError when any problem was found."""
    if problems:
        raise OpsError(problems)


def new_id() -> str:
    """A fresh id for a session, booking, check-in or screening (32 hex digits)."""
    return uuid.uuid4().hex


def now() -> dt.datetime:
    """The moment a command records (UTC, stored with its time zone)."""
    return dt.datetime.now(dt.UTC)


def actor(principal: Principal, source: str | None) -> Actor:
    """The audit actor of the principal acting from `source`."""
    return actor_for(principal, source)


def require_facility(conn: Connection, principal: Principal, facility_code: str) -> None:
    """Forbidden unless the principal works sessions of this facility; an unknown code is a
    problem of the facility_code field (facilities are public, so this tells nothing)."""
    place = facility_place(conn, facility_code)
    if place is None:
        raise OpsError.one("facility_code", "session.facility_unknown", facility_code)
    principal.require_operates_at(place[0], place[1], facility_code)


def facility_place(conn: Connection, facility_code: str) -> tuple[str, str] | None:
    """(province, district) of a facility, None when the code is unknown."""
    row = conn.execute(select(FACILITIES.c.province_code, FACILITIES.c.district_code)
                       .where(FACILITIES.c.code == facility_code)).first()
    return (row[0], row[1]) if row else None


def session_status_locked(conn: Connection, session_id: str, *, share: bool) -> str:
    """The session's status under a row lock held until commit (PostgreSQL; SQLite's one
    writer serialises the same steps): a dose holds it shared from its status check to its
    commit, a close exclusively before it counts the doses. So a close waits for a dose in
    flight and counts it, and a dose that waited for a close sees the session CLOSED."""
    return str(conn.execute(select(SESSIONS.c.status).where(
        SESSIONS.c.session_id == session_id).with_for_update(read=share)).scalar_one())


def session_in_scope(conn: Connection, principal: Principal, session_id: str) -> dict[str, Any]:
    """The session row once the principal's scope over its facility is checked."""
    row = conn.execute(select(SESSIONS).where(SESSIONS.c.session_id == session_id)
                       ).mappings().first()
    if row is None:
        raise OpsError.one("session_id", "session.unknown", session_id)
    require_facility(conn, principal, row["facility_code"])
    return dict(row)
