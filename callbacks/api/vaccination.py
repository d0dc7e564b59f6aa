"""The vaccination day through the API: plan and close sessions, book, find a person, check in,
screen, record a dose. Each route is one command of data.ops.commands, which checks the
caller's scope (403) and input (422, one error per problem) itself."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from callbacks.api.bearer import bearer_principal, services, source
from callbacks.api.errors import refused, request_lang
from callbacks.api.schemas import (
    BookingIn,
    BookingOut,
    CheckinIn,
    CheckinOut,
    DoseOut,
    InjectionIn,
    InjectionOut,
    PeopleOut,
    PeopleQuery,
    PersonOut,
    ReasonOut,
    ScreeningIn,
    ScreeningOut,
    SessionIn,
    SessionOut,
)
from callbacks.shared.i18n import N_
from data.ops.commands.checkin import PersonForm, find_person, record_checkin
from data.ops.commands.errors import OpsError
from data.ops.commands.injection import record_injection
from data.ops.commands.screening import record_screening
from data.ops.commands.sessions import SessionPlan, book, close_session, create_session

CREATED = 201
# The refusal codes of the commands (data.ops.commands and the rules they pass on), marked
# for the catalogs: each is its message id (tests/unit/test_api_ops_messages.py).
OPS_CODES = (
    N_("booking.duplicate"), N_("booking.not_cancellable"), N_("booking.registration"),
    N_("booking.source"), N_("booking.unknown"), N_("checkin.booking_person"),
    N_("checkin.duplicate"), N_("checkin.unknown"), N_("person.district"), N_("person.id_type"),
    N_("person.name_required"), N_("person.phone"), N_("person.priority_group"),
    N_("person.search_by"), N_("person.search_empty"), N_("person.ward"), N_("person.sex"),
    N_("cccd.century"), N_("cccd.year"), N_("screening.decision_unknown"),
    N_("screening.reason_required"), N_("screening.no_rule_set"), N_("screening.vital_value"),
    N_("screening.vital_unknown"), N_("screening.vital_missing"), N_("screening.item_unknown"),
    N_("screening.answer_type"), N_("screening.item_missing"), N_("session.capacity"),
    N_("session.closed"), N_("session.facility_unknown"), N_("session.full"),
    N_("session.lot_expired"), N_("session.lot_unknown"), N_("session.staff_role"),
    N_("session.staff_twice"), N_("session.staff_unknown"), N_("session.unknown"),
    N_("session.vaccine_required"), N_("session.vaccine_unknown"), N_("session.window"),
    N_("invite.empty"), N_("invite.too_many"), N_("invite.places_left"), N_("invite.duplicate"),
)


def _session_id(session_id: str) -> str:
    """The path's session id; one no session can have (a NUL, a control character) is unknown
    before it reaches a query PostgreSQL would refuse."""
    if len(session_id) > 64 or re.search(r"[\x00-\x1f\x7f\ud800-\udfff]", session_id):
        raise OpsError.one("session_id", "session.unknown", "")
    return session_id


def create(json: SessionIn) -> tuple[SessionOut, int]:
    """Plan an OPEN session at a facility the caller works."""
    plan = SessionPlan(json.facility_code, json.day, json.starts_at, json.ends_at,
                       json.capacity, json.vaccines, json.lots,
                       [(s.user_id, s.role) for s in json.staff])
    session_id = create_session(services().engine, bearer_principal(), source(), plan)
    return SessionOut(session_id=session_id, status="OPEN"), CREATED


def book_person(session_id: str, json: BookingIn) -> tuple[BookingOut, int]:
    """Book a person into the session while a place is left."""
    principal = bearer_principal()
    session_id = _session_id(session_id)
    booking_id = book(services().engine, principal, source(), session_id,
                      json.person_id, json.id_type, json.source, json.registration_id)
    return BookingOut(booking_id=booking_id, session_id=session_id), CREATED


def close(session_id: str) -> SessionOut:
    """Close the session: it takes no further booking or walk-in."""
    principal = bearer_principal()
    session_id = _session_id(session_id)
    close_session(services().engine, principal, source(), session_id)
    return SessionOut(session_id=session_id, status="CLOSED")


def people(query: PeopleQuery) -> PeopleOut:
    """People matching an identity number, a phone or a registration or booking code."""
    found = find_person(services().engine, bearer_principal(), source(), query.facility_code,
                        query.by, query.q)
    return PeopleOut(people=[PersonOut(
        **{f.name: getattr(p, f.name) for f in dataclasses.fields(p)
           if f.name not in ("doses", "bookings")},
        doses=[DoseOut(**dataclasses.asdict(d)) for d in p.doses],
        bookings=list(p.bookings)) for p in found])


def checkin(json: CheckinIn) -> tuple[CheckinOut, int]:
    """Check a person in at a session, on their booking or as a walk-in."""
    form = PersonForm(json.id_type, json.person_id, json.birth_date, json.sex, json.full_name,
                      json.phone, json.province_code, json.district_code, json.ward_code,
                      json.priority_group)
    done = record_checkin(services().engine, bearer_principal(), source(), json.session_id,
                          form, json.booking_id)
    return CheckinOut(**dataclasses.asdict(done)), CREATED


def screen(json: ScreeningIn) -> tuple[ScreeningOut, int]:
    """Screen a checked-in person; the caller is the clinician who decides."""
    done = record_screening(services().engine, bearer_principal(), source(), json.checkin_id,
                            json.answers, json.vitals, json.final_decision,
                            json.decision_reason)
    return ScreeningOut(
        screening_id=done.screening_id, rule_set_id=done.rule_set_id,
        computed_outcome=done.computed_outcome.value, final_decision=done.final_decision.value,
        reasons=[ReasonOut(**(dataclasses.asdict(r) | {"outcome": r.outcome.value}))
                 for r in done.reasons]), CREATED


def inject(json: InjectionIn) -> Any:
    """Record one dose: 201 when stored, 200 when it corrected the stored record or was
    already stored as sent (a retry of the same body)."""
    principal = bearer_principal()
    lang = request_lang()
    try:
        done = record_injection(services(), principal, json, lang, source=source())
    except OpsError as err:  # the reasons are already worded in `lang`, as a reject report's
        return refused(err, lang, worded=True)
    out = InjectionOut(record_id=done.record_id, outcome=done.outcome)
    return out, CREATED if done.outcome == "loaded" else 200
