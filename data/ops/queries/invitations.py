"""Who to invite to a session: people registered in the facility's district who have had no
dose, and people of that district whose next dose falls due by the session's day.

Scope is checked on the session's facility (Principal.require_operates_at) before anything
is read, and each read of the list is audited (names, identity numbers and phones).

Performance: the database narrows and orders the candidates (district, priority groups, no
dose or a last dose long enough ago, no live booking) and returns a bounded set, `limit`
times SCAN_FACTOR rows at most; only that set's dose histories are read (by person_id, which
is indexed) and judged by schedule.next_due. The order by priority group and due date is
then exact within the scanned set; a person whose dose is due but who lies beyond it shows
up once the people before them are booked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    and_,
    case,
    exists,
    func,
    or_,
    select,
)

from data import audit, catalog
from data.auth.roles import Principal
from data.db import unit_of_work
from data.models.operational import Injection, Registration
from data.models.ops import VaxBooking
from data.ops.commands.checkin import local_day
from data.ops.commands.common import SESSIONS, actor, facility_place, session_in_scope
from data.ops.rules.errors import RuleError
from data.ops.rules.schedule import Dose, DoseKind, next_due
from data.ops.rules.schedule_data import Span, schedule

REGISTRATIONS = Registration.__table__
INJECTIONS = Injection.__table__
BOOKINGS = VaxBooking.__table__
DEFAULT_LIMIT = 200
MAX_LIMIT = 1000
SCAN_FACTOR = 3
FIRST, NEXT = "FIRST", "NEXT"


@dataclass(frozen=True)
class Candidate:
    """One person to invite, and why: their first dose, or their next one."""

    person_id: str
    id_type: str
    full_name: str
    phone: str | None
    priority_group: int
    registration_id: str | None
    reason: str          # FIRST or NEXT
    dose_kind: str
    dose_number: int
    product: str         # the session's product for this dose that is due first
    earliest: dt.date    # the first day that product may be given
    due: dt.date         # the order within a group: earliest, or the day of registering


def _span_days(span: Span) -> int:
    return span.days + 28 * span.months  # a month is at least 28 days: a lower bound


@cache
def shortest_gap_days() -> int:
    """The shortest interval any rule puts between two doses (for the SQL pre-filter; the
    schedule rules decide the rest)."""
    rules = schedule()
    gaps = [_span_days(g.min) for p in rules.products for v in p.versions for g in v.gaps]
    gaps += [_span_days(v.after) for v in rules.additional.versions]
    gaps += [_span_days(v.after) for b in rules.boosters for v in b.versions]
    return min(gaps)


def _no_live_booking(person_id: Any, session_id: str) -> Any:
    # A live booking: any not cancelled in this session, or a place still held (BOOKED) in
    # another session that is open.
    held = (select(BOOKINGS.c.booking_id)
            .join(SESSIONS, SESSIONS.c.session_id == BOOKINGS.c.session_id)
            .where(BOOKINGS.c.person_id == person_id,
                   or_(and_(BOOKINGS.c.session_id == session_id,
                            BOOKINGS.c.status != "CANCELLED"),
                       and_(BOOKINGS.c.status == "BOOKED", SESSIONS.c.status == "OPEN"))))
    return ~exists(held)


def _registered_query(place: tuple[str, str], groups: Sequence[int], session_id: str,
                      scan: int) -> Select[Any]:
    reg = REGISTRATIONS
    latest = (select(reg, func.row_number().over(
        partition_by=reg.c.person_id,
        order_by=(reg.c.registered_at.desc(), reg.c.registration_id)).label("rn"))
        .where(reg.c.province_code == place[0], reg.c.district_code == place[1]))
    if groups:
        latest = latest.where(reg.c.priority_group.in_(groups))
    r = latest.subquery()
    dosed = exists(select(INJECTIONS.c.record_id).where(
        INJECTIONS.c.person_id == r.c.person_id, INJECTIONS.c.status == "COMPLETED"))
    return (select(r.c.person_id, r.c.id_type, r.c.full_name, r.c.phone, r.c.priority_group,
                   r.c.registration_id, r.c.birth_date, r.c.registered_at)
            .where(r.c.rn == 1, ~dosed, _no_live_booking(r.c.person_id, session_id))
            .order_by(r.c.priority_group, r.c.registered_at, r.c.person_id).limit(scan))


def _dosed_query(place: tuple[str, str], groups: Sequence[int], session_id: str,
                 due_by: dt.date, scan: int) -> Select[Any]:
    inj = INJECTIONS
    # A day of slack each side of the bound: stored moments are UTC, days are local.
    last_before = dt.datetime.combine(due_by - dt.timedelta(days=shortest_gap_days() - 2),
                                      dt.time(), tzinfo=dt.UTC)
    top_booster = case((inj.c.dose_kind == DoseKind.BOOSTER.value, inj.c.dose_number),
                       else_=0)
    q = (select(inj.c.person_id, func.min(inj.c.priority_group).label("priority_group"),
                func.max(inj.c.administered_at).label("last_at"))
         .where(inj.c.province_code == place[0], inj.c.district_code == place[1],
                inj.c.status == "COMPLETED")
         .group_by(inj.c.person_id)
         # The last booster the rules foresee: nothing is due after it.
         .having(func.max(inj.c.administered_at) < last_before,
                 func.max(top_booster) < len(schedule().boosters)))
    if groups:
        q = q.where(inj.c.priority_group.in_(groups))
    people = q.subquery()
    # The booking probe runs once per person, not once per dose.
    return (select(people.c.person_id, people.c.priority_group, people.c.last_at)
            .where(_no_live_booking(people.c.person_id, session_id))
            .order_by(people.c.priority_group, people.c.last_at, people.c.person_id)
            .limit(scan))


def _histories(conn: Connection, people: list[str]) -> dict[str, list[Any]]:
    rows = conn.execute(
        select(INJECTIONS.c.person_id, INJECTIONS.c.id_type, INJECTIONS.c.full_name,
               INJECTIONS.c.phone, INJECTIONS.c.birth_date, INJECTIONS.c.vaccine_code,
               INJECTIONS.c.dose_kind, INJECTIONS.c.dose_number, INJECTIONS.c.administered_at)
        .where(INJECTIONS.c.person_id.in_(people), INJECTIONS.c.status == "COMPLETED")
        .order_by(INJECTIONS.c.person_id, INJECTIONS.c.administered_at)).all()
    out: dict[str, list[Any]] = {}
    for row in rows:
        out.setdefault(row.person_id, []).append(row)
    return out


def _due_option(history: list[Dose], birth: dt.date, vaccines: Sequence[str],
                due_by: dt.date) -> tuple[str, int, str, dt.date] | None:
    """(kind, number, product, earliest) of the next dose with a product of the session
    allowed by `due_by`, or None (nothing due, no such product, or a history the rules
    cannot read: such a person is for the desk to judge, not for an automatic list)."""
    as_of = max([due_by, *(d.day for d in history)])
    try:
        due = next_due(history, as_of, birth)
    except (RuleError, ValueError):
        return None
    if due is None:
        return None
    options = [o for o in due.options if o.product in vaccines and o.earliest <= due_by]
    if not options:
        return None
    best = min(options, key=lambda o: (o.earliest, o.product))
    return due.kind.value, due.number, best.product, best.earliest


def _first_doses(conn: Connection, place: tuple[str, str], groups: Sequence[int],
                 session: dict[str, Any], due_by: dt.date, scan: int) -> list[Candidate]:
    out = []
    for r in conn.execute(_registered_query(place, groups, session["session_id"], scan)):
        option = _due_option([], r.birth_date, session["vaccines"], due_by)
        registered = local_day(r.registered_at)
        if option is None or registered > due_by:
            continue
        kind, number, product, earliest = option
        out.append(Candidate(r.person_id, r.id_type, r.full_name, r.phone, r.priority_group,
                             r.registration_id, FIRST, kind, number, product, earliest,
                             max(earliest, registered)))
    return out


def _next_doses(conn: Connection, place: tuple[str, str], groups: Sequence[int],
                session: dict[str, Any], due_by: dt.date, scan: int) -> list[Candidate]:
    found = conn.execute(_dosed_query(place, groups, session["session_id"], due_by,
                                      scan)).all()
    histories = _histories(conn, [r.person_id for r in found])
    out = []
    for r in found:
        rows = histories.get(r.person_id, [])
        if not rows:
            continue
        history = [Dose(local_day(h.administered_at), h.vaccine_code, DoseKind(h.dose_kind),
                        h.dose_number) for h in rows]
        last = rows[-1]
        option = _due_option(history, last.birth_date, session["vaccines"], due_by)
        if option is None:
            continue
        kind, number, product, earliest = option
        out.append(Candidate(r.person_id, last.id_type, last.full_name, last.phone,
                             r.priority_group, None, NEXT, kind, number, product, earliest,
                             earliest))
    return out


def clean_groups(groups: Sequence[object] | None) -> list[int]:
    """The priority-group codes asked for that exist (0-16; none means every group)."""
    out = []
    for g in groups or ():
        if isinstance(g, int | str) and str(g).isdigit() and int(g) in catalog.PRIORITY_GROUPS:
            out.append(int(g))
    return sorted(set(out))


def invitation_candidates(engine: Engine, principal: Principal, source: str | None,
                          session_id: str, groups: Sequence[int] = (),
                          due_by: dt.date | None = None,
                          limit: int = DEFAULT_LIMIT,
                          read: str = "ops.invitations") -> list[Candidate]:
    """The people to invite to a session, by priority group then due date, at most `limit`:
    registered in the facility's district with no dose yet, or living there with a next dose
    due by `due_by` (the session's day at the latest), for a product the session uses.
    Forbidden outside the principal's scope; OpsError for an unknown session. `read` names
    the use in the audit log (the list on screen, or its export)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    scan = limit * SCAN_FACTOR
    with unit_of_work(engine) as conn:
        session = session_in_scope(conn, principal, session_id)
        place = facility_place(conn, session["facility_code"])
        assert place is not None  # session_in_scope found the facility
        day = session["day"]
        # Nothing falls due before the campaign began (and no date arithmetic near date.min).
        due_by = max(min(due_by or day, day), schedule().campaign_start)
        groups = clean_groups(groups)
        found = (_first_doses(conn, place, groups, session, due_by, scan)
                 + _next_doses(conn, place, groups, session, due_by, scan))
        found.sort(key=lambda c: (c.priority_group, c.due, c.full_name, c.person_id))
        found = found[:limit]
        # Who looked and how many were listed; never the people themselves.
        audit.record(conn, actor(principal, source), "VIEW_PERSONAL", "registration",
                     session_id, detail={"read": read, "groups": groups,
                                         "due_by": due_by.isoformat(), "count": len(found)})
    return found
