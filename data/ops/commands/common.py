"""Pieces every operations command shares: the typed error, ids, the scope check."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from data.audit import Actor
from data.auth.admin import actor_for
from data.auth.roles import Principal
from data.models.ops import VaxSession
from data.models.reference import Facility
from data.ops.rules.errors import RuleError

SESSIONS = VaxSession.__table__
FACILITIES = Facility.__table__


@dataclass(frozen=True)
class Problem:
    """One refused input: the form field it belongs beside and the message id ("session.full")."""

    field: str
    code: str
    detail: str = ""


class OpsError(ValueError):
    """A command refused its input; `problems` holds one (field, code) per problem found, so a
    form shows each beside its field and the API returns them all at once."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in self.problems))

    @classmethod
    def one(cls, field: str, code: str, detail: str = "") -> OpsError:
        """The error of a single problem."""
        return cls([Problem(field, code, detail)])

    def codes(self) -> dict[str, str]:
        """field -> code of the first problem of each field (what a form shows)."""
        out: dict[str, str] = {}
        for p in self.problems:
            out.setdefault(p.field, p.code)
        return out


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
    place = conn.execute(select(FACILITIES.c.province_code, FACILITIES.c.district_code)
                         .where(FACILITIES.c.code == facility_code)).first()
    if place is None:
        raise OpsError.one("facility_code", "session.facility_unknown", facility_code)
    principal.require_operates_at(place[0], place[1], facility_code)


def session_in_scope(conn: Connection, principal: Principal, session_id: str) -> dict[str, Any]:
    """The session row once the principal's scope over its facility is checked."""
    row = conn.execute(select(SESSIONS).where(SESSIONS.c.session_id == session_id)
                       ).mappings().first()
    if row is None:
        raise OpsError.one("session_id", "session.unknown", session_id)
    require_facility(conn, principal, row["facility_code"])
    return dict(row)
