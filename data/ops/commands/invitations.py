"""Invite a selection of people into a session: all of them or none.

Each invitation is a booking with source INVITED through the same path as `sessions.book`
(take_place, the one live booking per person). When the selection is larger than the places
left, nothing is booked and the error says how many places are left, so the planner can
narrow the selection; a place taken by another desk meanwhile ends the same way (the whole
unit of work rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.ops.commands.common import actor, session_in_scope
from data.ops.commands.sessions import clean_person_id, insert_booking

MAX_INVITE = 500  # one press of "invite"; a session's day rarely holds more
FIELD = "selection"


@dataclass(frozen=True)
class Invitee:
    """One person selected from the invitation list."""

    person_id: str
    id_type: str
    registration_id: str | None = None


def invite(engine: Engine, principal: Principal, source: str | None, session_id: str,
           people: Sequence[Invitee]) -> list[str]:
    """Book every selected person into the session (source INVITED); returns the booking ids.
    OpsError (nothing booked): `invite.empty`, `invite.too_many`, `session.closed`,
    `invite.places_left` (detail: the number of places left), or a person's own problem
    (detail: the identity number) such as `invite.duplicate`."""
    chosen = list({(p.id_type, p.person_id): p for p in people}.values())
    if not chosen:
        raise OpsError.one(FIELD, "invite.empty")
    if len(chosen) > MAX_INVITE:
        raise OpsError.one(FIELD, "invite.too_many", str(MAX_INVITE))
    with unit_of_work(engine) as conn:
        session = session_in_scope(conn, principal, session_id)
        if session["status"] != "OPEN":
            raise OpsError.one(FIELD, "session.closed")
        left = session["capacity"] - session["booked"]
        if len(chosen) > left:
            raise OpsError.one(FIELD, "invite.places_left", str(left))
        booked = []
        for person in chosen:
            try:
                number = clean_person_id(person.id_type, person.person_id, FIELD)
                booked.append(insert_booking(conn, principal, session_id, number,
                                             person.id_type, "INVITED",
                                             person.registration_id))
            except OpsError as err:
                code = err.problems[0].code
                if code == "session.full":  # another desk took the last places meanwhile
                    raise OpsError.one(FIELD, code) from err
                code = "invite.duplicate" if code == "booking.duplicate" else code
                raise OpsError([Problem(FIELD, code, person.person_id[:20])]) from err
        for booking_id in booked:
            audit.record(conn, actor(principal, source), "BOOK", "vax_booking", booking_id,
                         after={"session_id": session_id, "source": "INVITED"})
    return booked
