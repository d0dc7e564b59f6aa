"""The vaccination day through the API: plan and close sessions, book, find a person, check in,
screen, record a dose. Each route is one command of data.ops.commands, which checks the
caller's scope (403) and input (422, one error per problem) itself."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from callbacks.api.bearer import bearer_principal, services, source
from callbacks.api.errors import refused, request_lang
from callbacks.api.schemas_day import (
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
from callbacks.api.schemas_observation import (
    GiveDoseIn,
    GiveDoseOut,
    LotOut,
    LotsOut,
    LotTallyOut,
    TallyIn,
    TallyOut,
)
from callbacks.shared.i18n import N_
from data.command_errors import OpsError, Problem
from data.ops.commands.checkin import PersonForm, find_person, record_checkin
from data.ops.commands.closing import close_with_tally, lot_field
from data.ops.commands.give_dose import DoseChoice, give_dose
from data.ops.commands.injection import record_injection
from data.ops.commands.screening import record_screening
from data.ops.commands.sessions import SessionPlan, book, close_session, create_session
from data.ops.queries.lots import session_lots

CREATED = 201
# The refusal codes of the commands (data.ops.commands and the rules they pass on), marked
# for the catalogs: each is its message id (tests/unit/test_api_ops_messages.py).
OPS_CODES = (
    N_("booking.duplicate"), N_("booking.not_cancellable"), N_("booking.registration"),
    N_("booking.source"), N_("booking.unknown"), N_("checkin.booking_person"),
    N_("checkin.duplicate"), N_("checkin.unknown"), N_("person.id_type"),
    N_("person.phone"),
    N_("person.search_by"), N_("person.search_empty"), N_("person.sex"),
    N_("cccd.century"), N_("cccd.year"), N_("screening.decision_unknown"),
    N_("screening.reason_required"), N_("screening.no_rule_set"), N_("screening.vital_value"),
    N_("screening.vital_unknown"), N_("screening.vital_missing"), N_("screening.item_unknown"),
    N_("screening.answer_type"), N_("screening.item_missing"), N_("session.capacity"),
    N_("session.closed"), N_("session.facility_unknown"), N_("session.full"),
    N_("session.lot_expired"), N_("session.lot_unknown"), N_("session.staff_role"),
    N_("session.staff_twice"), N_("session.staff_unknown"), N_("session.unknown"),
    N_("session.vaccine_required"), N_("session.vaccine_unknown"), N_("session.window"),
    N_("close.no_warehouse"), N_("close.too_many_lots"), N_("close.vials_value"),
    N_("close.lot_unknown"), N_("close.lot_not_held"), N_("close.too_many_given"),
    N_("vials.presentation"), N_("vials.product"), N_("close.lot_twice"),
    # give_dose (data.ops.commands.give_dose) and the schedule rules it passes on
    N_("injection.record_id"), N_("injection.record_taken"), N_("injection.site"),
    N_("injection.dose"), N_("injection.lot_required"), N_("injection.reason_long"),
    N_("injection.session_day"), N_("injection.checkin_done"),
    N_("injection.screening_required"), N_("injection.not_eligible"),
    N_("injection.lot_not_session"), N_("injection.lot_not_held"), N_("injection.lot_expired"),
    N_("injection.override_required"), N_("injection.vaccinator"),
    N_("injection.person_unknown"), N_("injection.history"), N_("schedule.kind"),
    N_("schedule.no_rule"), N_("schedule.product"), N_("schedule.too_early"),
    N_("schedule.too_young"), N_("schedule.too_old"),
    N_("invite.empty"), N_("invite.too_many"), N_("invite.places_left"), N_("invite.duplicate"),
    N_("screening.done"), N_("screening.rescreen_of"), N_("close.tally_required"),
    # the stock ledger (data.ops.commands.stock, transfers, stock_common)
    N_("stock.warehouse_unknown"), N_("stock.lot_not_held"),
    N_("stock.doses_value"), N_("stock.when_value"), N_("stock.when_future"),
    N_("stock.vvm_stage"), N_("stock.adjust_value"), N_("stock.reason_unknown"),
    N_("stock.reason_debit_only"), N_("stock.counted_value"), N_("transfer.same_warehouse"),
    N_("transfer.received_value"), N_("transfer.unknown"), N_("transfer.already_received"),
    N_("transfer.received_more"), N_("transfer.received_before_sent"),
    N_("stock.too_many_lines"), N_("stock.counted_twice"),
    # a client's request id on the ledger's commands (data.ops.commands.stock_requests)
    N_("stock.request_id"), N_("stock.request_taken"),
    # merging duplicate registrations (data.ops.commands.registration_merge)
    N_("merge.empty"), N_("merge.not_same"), N_("merge.too_many"), N_("merge.unknown"),
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
    """Close a session in which no dose was given (a cancelled day): it takes no further
    booking or walk-in. Once doses were given, 422 close.tally_required: close it with its
    tally (POST /sessions/{session_id}/tally), which writes the stock movements."""
    principal = bearer_principal()
    session_id = _session_id(session_id)
    close_session(services().engine, principal, source(), session_id)
    return SessionOut(session_id=session_id, status="CLOSED")


def close_tally(session_id: str, json: TallyIn) -> Any:
    """Close the session with its tally: 201 when closed, 200 when the same tally was already
    stored (a retry); the doses given leave the facility's warehouse, with the open-vial
    wastage, as stock movements."""
    principal = bearer_principal()
    session_id = _session_id(session_id)
    lang = request_lang()
    named = Counter(lot.lot_number for lot in json.lots)
    if twice := [lot for lot, n in named.items() if n > 1]:
        return refused(OpsError([Problem(lot_field(lot), "close.lot_twice", lot)
                                 for lot in twice]), lang)
    try:
        done = close_with_tally(
            services(), principal, session_id,
            {lot.lot_number: lot.vials_opened for lot in json.lots}, lang,
            per_vial={lot.lot_number: lot.doses_per_vial for lot in json.lots
                      if lot.doses_per_vial is not None}, source=source())
    except OpsError as err:  # a stock refusal comes worded as the contract's reject reason
        return refused(err, lang)
    out = TallyOut(session_id=done.session_id, status="CLOSED",
                   warehouse_code=str(done.warehouse_code), outcome=done.outcome or "closed",
                   lots=[LotTallyOut(**{f: getattr(t, f) for f in LotTallyOut.model_fields})
                         for t in done.lots])
    return out, CREATED if done.outcome == "closed" else 200


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
                          form, json.booking_id, lang=request_lang(),
                          tz=services().settings.timezone)
    return CheckinOut(**dataclasses.asdict(done)), CREATED


def screen(json: ScreeningIn) -> tuple[ScreeningOut, int]:
    """Screen a checked-in person; the caller is the clinician who decides."""
    done = record_screening(services().engine, bearer_principal(), source(), json.checkin_id,
                            json.answers, json.vitals, json.final_decision,
                            json.decision_reason, rescreen_of=json.rescreen_of)
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
        return refused(err, lang)
    out = InjectionOut(record_id=done.record_id, outcome=done.outcome)
    return out, CREATED if done.outcome == "loaded" else 200


def lots(session_id: str) -> LotsOut:
    """The lots the session may use today, first expiry first out."""
    principal = bearer_principal()
    found = session_lots(services().engine, principal, _session_id(session_id))
    return LotsOut(lots=[LotOut(**dataclasses.asdict(lot)) for lot in found])


def give(json: GiveDoseIn) -> Any:
    """Give a checked-in, screened person a dose: 201 when stored, 200 when this record_id
    was already given (a retry)."""
    principal = bearer_principal()
    lang = request_lang()
    choice = DoseChoice(**json.model_dump())
    try:
        done = give_dose(services(), principal, choice, lang, source=source())
    except OpsError as err:
        # The contract's reasons come worded in `lang` (Problem.worded); the injection step's
        # own codes are message ids.
        return refused(err, lang)
    out = GiveDoseOut(record_id=done.record_id, outcome=done.outcome,
                      proposed_dose_kind=done.proposed.kind,
                      proposed_dose_number=done.proposed.number, overridden=done.overridden)
    return out, CREATED if done.outcome == "loaded" else 200
