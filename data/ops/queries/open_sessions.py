"""The open sessions of a day that a principal works: the check-in desk's choice of session.

Scope is the one of the commands (Principal.operates_at): facility staff their facility,
district and province officers the facilities of their area, the command line everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from data.auth.roles import Principal
from data.models.ops import VaxSession
from data.models.reference import Facility
from data.ops.queries.sessions import scope_filter

SESSIONS = VaxSession.__table__
FACILITIES = Facility.__table__
MAX_SESSIONS = 200  # a province officer's day; a desk picks among a handful


@dataclass(frozen=True)
class OpenSession:
    """A session the desk may check people in at."""

    session_id: str
    facility_code: str
    facility_name: str
    province_code: str
    district_code: str
    starts_at: dt.time
    ends_at: dt.time
    capacity: int
    booked: int


def open_sessions(engine: Engine, principal: Principal, day: dt.date) -> list[OpenSession]:
    """The OPEN sessions of `day` at facilities the principal works, earliest first."""
    s, f = SESSIONS, FACILITIES
    query = (select(s.c.session_id, s.c.facility_code, f.c.name, f.c.province_code,
                    f.c.district_code, s.c.starts_at, s.c.ends_at, s.c.capacity, s.c.booked)
             .select_from(s.join(f, f.c.code == s.c.facility_code))
             .where(s.c.day == day, s.c.status == "OPEN")
             .order_by(s.c.starts_at, s.c.facility_code, s.c.session_id).limit(MAX_SESSIONS))
    where = scope_filter(principal)
    if where is None:
        return []
    query = query.where(where)
    with engine.connect() as conn:
        rows = [OpenSession(*r) for r in conn.execute(query)]
    # The SQL filter restates operates_at; the rule itself has the last word.
    return [r for r in rows
            if principal.operates_at(r.province_code, r.district_code, r.facility_code)]
