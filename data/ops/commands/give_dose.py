"""give_dose: the injection step of the vaccination day, for a checked-in, screened person.

On top of what any dose must satisfy (the interchange contract, through record_injection's
own path), the operations rules of the day, which files are not held to:
- the latest screening of the check-in allows the dose (final decision ELIGIBLE or CAUTION;
  CAUTION_HOSPITAL, REFER, POSTPONE, CONTRAINDICATED send the person elsewhere or home:
  5785/QĐ-BYT and 4355/QĐ-BYT);
- the lot is one the session uses, its facility's warehouses hold doses of it, and it has not
  expired on the day;
- the dose kind and number are the schedule's proposal (data.ops.rules.schedule: intervals
  per product, mixed schedules, boosters, judged by the rules in force on the day); choosing
  another, or one the rules refuse, needs a reason, which is stored;
- the vaccinator is the signed-in user or a vaccinator (or lead) on the session's staff.

The vax_injection row, the dose (injection, fct_injection, rollups), the audit and the data
version are written in one transaction: a refusal anywhere leaves nothing. The person's lock
(data.ops.commands.injection.serialize_person) is taken before anything is read that the
write depends on, so two staff injecting the same check-in at once give one dose and the
second hears "injection.checkin_done". The record_id is the idempotency key: the same one
again for the same check-in is the same dose and stores nothing.

No stock movement per dose: the facility's stock moves when the session closes (the tally
of doses given and vials opened becomes ISSUE and WASTAGE movements).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert, select

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.models.auth import AppUser
from data.models.operational import Injection, Registration
from data.models.ops import (
    INJECTION_SITES,
    VaxCheckin,
    VaxInjection,
    VaxScreening,
    VaxSessionStaff,
)
from data.ops.commands.checkin import local_day
from data.ops.commands.common import (
    actor,
    now,
    raise_if,
    session_in_scope,
    session_status_locked,
)
from data.ops.commands.injection import record_injection_in, serialize_person
from data.ops.queries.lots import LotHeld, lots_held
from data.ops.rules import schedule
from data.ops.rules.errors import RuleError
from data.services import Services
from data.settings import Settings

CHECKINS = VaxCheckin.__table__
SCREENINGS = VaxScreening.__table__
INJECTIONS_GIVEN = VaxInjection.__table__
STAFF = VaxSessionStaff.__table__
USERS = AppUser.__table__
INJECTIONS = Injection.__table__
REGISTRATIONS = Registration.__table__
# Final decisions that allow the dose here and now (screening outcomes, 5785/QĐ-BYT).
ALLOWS_DOSE = ("ELIGIBLE", "CAUTION")
VACCINATOR_ROLES = ("VACCINATOR", "LEAD")
MAX_REASON = 500
MAX_DOSE_NUMBER = 3  # docs/interchange.md: PRIMARY 1-3, BOOSTER 1-2, ADDITIONAL 1
# Where a schedule rule's refusal is shown: the lot picks the product, the rest is the dose.
_RULE_FIELD = {"schedule.product": "lot_number"}
HISTORY_IRREGULAR = "injection.history"

Given = Literal["loaded", "unchanged"]


@dataclass(frozen=True)
class DoseChoice:
    """What the injection form (or the API) sends. `record_id` is made when the form opens
    (data.ops.commands.injection.new_record_id): sending it twice stores once.
    `administered_at` defaults to now; it must fall on the session's day."""

    record_id: str
    checkin_id: str
    vaccine_code: str
    lot_number: str
    dose_kind: str
    dose_number: int
    injection_site: str
    override_reason: str = ""
    vaccinator_user_id: int | None = None
    administered_at: dt.datetime | None = None


@dataclass(frozen=True)
class Proposal:
    """The dose the schedule proposes after a history: kind, number and the products allowed
    (earliest first); kind None when no dose is foreseen or the history does not follow the
    schedule (`problem`: the rule's code then)."""

    kind: str | None
    number: int | None
    products: tuple[str, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class DoseGiven:
    """What give_dose did: stored the dose, or found it stored under this record_id."""

    record_id: str
    outcome: Given
    proposed: Proposal
    overridden: bool


def propose(history: Sequence[schedule.Dose], day: dt.date, birth_date: dt.date) -> Proposal:
    """The schedule's next dose for a person on `day`."""
    try:
        due = schedule.next_due([d for d in history if d.day <= day], day, birth_date)
    except RuleError as err:
        return Proposal(None, None, (), err.code)
    if due is None:
        return Proposal(None, None)
    return Proposal(due.kind.value, due.number, due.products)


def rule_problems(history: Sequence[schedule.Dose], dose: schedule.Dose,
                  birth_date: dt.date) -> list[Problem]:
    """What the schedule rules in force on the dose's day say against it, each with why."""
    try:
        codes = schedule.check_dose(history, dose, birth_date)
    except RuleError:
        return [Problem("dose_number", HISTORY_IRREGULAR)]
    detail = ""
    if "schedule.too_early" in codes:
        due = schedule.next_due([d for d in history if d.day <= dose.day], dose.day,
                                birth_date)
        option = next((o for o in due.options if o.product == dose.product), None) \
            if due else None
        detail = option.earliest.strftime("%d/%m/%Y") if option else ""
    return [Problem(_RULE_FIELD.get(c, "dose_number"), c,
                    detail if c == "schedule.too_early" else f"{dose.kind} {dose.number}")
            for c in codes]


def _shape_problems(choice: DoseChoice) -> list[Problem]:
    problems = []
    if not 0 < len(choice.record_id or "") <= 64:
        problems.append(Problem("record_id", "injection.record_id"))
    if choice.injection_site not in INJECTION_SITES:
        problems.append(Problem("injection_site", "injection.site"))
    if choice.dose_kind not in {k.value for k in schedule.DoseKind} \
            or not 1 <= choice.dose_number <= MAX_DOSE_NUMBER:
        problems.append(Problem("dose_number", "injection.dose",
                                f"{choice.dose_kind} {choice.dose_number}"))
    if not choice.lot_number or not choice.vaccine_code:
        problems.append(Problem("lot_number", "injection.lot_required"))
    if len(choice.override_reason) > MAX_REASON:
        problems.append(Problem("override_reason", "injection.reason_long", str(MAX_REASON)))
    return problems


def _one(conn: Connection, query: Any) -> dict[str, Any] | None:
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def _done_before(conn: Connection, choice: DoseChoice, tz: str) -> DoseGiven | None:
    """The dose when this record_id was given before (a retry), OpsError when the record_id
    or the check-in belongs to another dose; None when the dose is new."""
    earlier = _one(conn, select(INJECTIONS_GIVEN).where(
        INJECTIONS_GIVEN.c.record_id == choice.record_id))
    if earlier is not None:
        if earlier["checkin_id"] != choice.checkin_id:
            raise OpsError.one("record_id", "injection.record_taken", choice.record_id)
        proposal = Proposal(earlier["proposed_dose_kind"], earlier["proposed_dose_number"])
        return DoseGiven(choice.record_id, "unchanged", proposal,
                         earlier["override_reason"] is not None)
    if conn.execute(select(INJECTIONS.c.record_id).where(
            INJECTIONS.c.record_id == choice.record_id)).first() is not None:
        raise OpsError.one("record_id", "injection.record_taken", choice.record_id)
    given = _one(conn, select(INJECTIONS_GIVEN.c.record_id, INJECTIONS_GIVEN.c.recorded_at)
                 .where(INJECTIONS_GIVEN.c.checkin_id == choice.checkin_id,
                        INJECTIONS_GIVEN.c.status == "COMPLETED"))
    if given is not None:
        at = given["recorded_at"]
        at = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(ZoneInfo(tz))
        raise OpsError.one("checkin_id", "injection.checkin_done", at.strftime("%H:%M"))
    return None


def latest_screening(conn: Connection, checkin_id: str) -> dict[str, Any] | None:
    """The check-in's latest screening (a person may be screened again after a pause)."""
    return _one(conn, select(SCREENINGS).where(SCREENINGS.c.checkin_id == checkin_id)
                .order_by(SCREENINGS.c.attempt.desc()).limit(1))


def _screening(conn: Connection, checkin_id: str) -> dict[str, Any]:
    found = latest_screening(conn, checkin_id)
    if found is None:
        raise OpsError.one("checkin_id", "injection.screening_required")
    if found["final_decision"] not in ALLOWS_DOSE:
        raise OpsError.one("checkin_id", "injection.not_eligible", found["final_decision"])
    return found


def _lot(conn: Connection, session: dict[str, Any], choice: DoseChoice,
         day: dt.date) -> LotHeld:
    """The chosen lot, once it is the session's, held by its facility and not expired."""
    lots = session["lots"] or []
    if choice.vaccine_code not in session["vaccines"] or (lots
                                                          and choice.lot_number not in lots):
        raise OpsError.one("lot_number", "injection.lot_not_session", choice.lot_number)
    held = {(lot.vaccine_code, lot.lot_number): lot for lot in lots_held(
        conn, session["facility_code"], [choice.vaccine_code], [choice.lot_number])}
    lot = held.get((choice.vaccine_code, choice.lot_number))
    if lot is None:
        raise OpsError.one("lot_number", "injection.lot_not_held", choice.lot_number)
    if lot.expired_on(day):
        raise OpsError.one("lot_number", "injection.lot_expired",
                           lot.expiry_date.strftime("%d/%m/%Y") if lot.expiry_date else "?")
    return lot


def person_of(conn: Connection, checkin: dict[str, Any]) -> dict[str, Any] | None:
    """Who the check-in is, as the contract's person fields: the check-in's registration,
    else the person's latest registration, else their latest dose."""
    r = REGISTRATIONS
    row = None
    if checkin["registration_id"]:
        row = _one(conn, select(r).where(r.c.registration_id == checkin["registration_id"]))
    row = row or _one(conn, select(r).where(r.c.person_id == checkin["person_id"])
                      .order_by(r.c.registered_at.desc()).limit(1))
    row = row or _one(conn, select(INJECTIONS).where(
        INJECTIONS.c.person_id == checkin["person_id"], INJECTIONS.c.status == "COMPLETED")
        .order_by(INJECTIONS.c.administered_at.desc()).limit(1))
    return row


def history_of(conn: Connection, person_id: str, but: str = "") -> list[schedule.Dose]:
    """The person's recorded doses (COMPLETED), as the schedule reads them; `but`: a record
    to leave out (the one being given)."""
    i = INJECTIONS
    rows = conn.execute(select(i.c.administered_at, i.c.vaccine_code, i.c.dose_kind,
                               i.c.dose_number)
                        .where(i.c.person_id == person_id, i.c.status == "COMPLETED",
                               i.c.record_id != but)).all()
    return [schedule.Dose(local_day(at), code, schedule.DoseKind(kind), int(n))
            for at, code, kind, n in rows]


def _vaccinator(conn: Connection, principal: Principal, session_id: str,
                user_id: int | None) -> tuple[int, str]:
    """(user id, username) of who injects: the signed-in user, or a vaccinator of the
    session's staff named by the form."""
    if user_id is None or user_id == principal.user_id:
        return principal.user_id, principal.username
    found = conn.execute(select(USERS.c.username).join(STAFF, STAFF.c.user_id == USERS.c.id)
                         .where(STAFF.c.session_id == session_id, STAFF.c.user_id == user_id,
                                STAFF.c.role.in_(VACCINATOR_ROLES))).scalar()
    if found is None:
        raise OpsError.one("vaccinator_user_id", "injection.vaccinator", str(user_id))
    return user_id, found


def _moment(choice: DoseChoice, tz: str) -> dt.datetime:
    at = choice.administered_at or now()
    # As in the contract: a time without an offset is local time.
    return at if at.tzinfo else at.replace(tzinfo=ZoneInfo(tz))


def _contract_row(person: dict[str, Any], checkin: dict[str, Any], session: dict[str, Any],
                  choice: DoseChoice, at: dt.datetime, vaccinator: str) -> dict[str, object]:
    """The dose in the interchange contract's columns, as a file would carry it."""
    return {
        "record_id": choice.record_id, "status": "COMPLETED",
        "person_id": checkin["person_id"], "id_type": checkin["id_type"],
        "full_name": person["full_name"], "birth_date": checkin["birth_date"],
        "sex": checkin["sex"], "phone": person["phone"],
        "priority_group": person.get("priority_group"),
        "province_code": person["province_code"], "district_code": person["district_code"],
        "ward_code": person["ward_code"], "facility_code": session["facility_code"],
        "vaccine_code": choice.vaccine_code, "lot_number": choice.lot_number,
        "dose_kind": choice.dose_kind, "dose_number": choice.dose_number,
        "administered_at": at.isoformat(), "vaccinator": vaccinator,
    }


def give_dose(target: Services | Engine, principal: Principal, choice: DoseChoice, lang: str,
              *, source: str | None = None) -> DoseGiven:
    """Give a checked-in, screened person a dose from the session's stock. Raises Forbidden
    outside the principal's scope, OpsError (field, code, detail) when a rule refuses;
    nothing is written then."""
    engine = target.engine if isinstance(target, Services) else target
    tz = target.settings.timezone if isinstance(target, Services) else Settings.timezone
    reason = (choice.override_reason or "").strip()
    with unit_of_work(engine) as conn:
        checkin = _one(conn, select(CHECKINS).where(CHECKINS.c.checkin_id == choice.checkin_id))
        if checkin is None:
            raise OpsError.one("checkin_id", "checkin.unknown", choice.checkin_id)
        session = session_in_scope(conn, principal, checkin["session_id"])
        raise_if(_shape_problems(choice))
        at = _moment(choice, tz)
        day = local_day(at)
        if day != session["day"]:
            raise OpsError.one("administered_at", "injection.session_day",
                               session["day"].strftime("%d/%m/%Y"))
        if session["status"] != "OPEN":
            raise OpsError.one("checkin_id", "session.closed")
        # From here on what is read decides the write: hold the person's lock, and the
        # session's against a close that would count the doses without this one.
        serialize_person(conn, checkin["person_id"])
        if session_status_locked(conn, session["session_id"], share=True) != "OPEN":
            raise OpsError.one("checkin_id", "session.closed")
        retry = _done_before(conn, choice, tz)
        if retry is not None:
            return retry
        screening = _screening(conn, choice.checkin_id)
        _lot(conn, session, choice, day)
        person = person_of(conn, checkin)
        if person is None:
            raise OpsError.one("checkin_id", "injection.person_unknown")
        history = history_of(conn, checkin["person_id"], but=choice.record_id)
        proposal = propose(history, day, checkin["birth_date"])
        chosen = (choice.dose_kind, choice.dose_number)
        overridden = chosen != (proposal.kind, proposal.number)
        problems = rule_problems(history, schedule.Dose(
            day, choice.vaccine_code, schedule.DoseKind(choice.dose_kind), choice.dose_number),
            checkin["birth_date"])
        overrode = overridden or bool(problems)
        if overrode and not reason:
            # Staff may give another dose than the schedule's, never silently.
            wanted = f"{proposal.kind} {proposal.number}" if proposal.kind else ""
            raise_if([*([Problem("override_reason", "injection.override_required", wanted)]
                        if overridden else []), *problems])
        vaccinator_id, vaccinator = _vaccinator(conn, principal, session["session_id"],
                                                choice.vaccinator_user_id)
        conn.execute(insert(INJECTIONS_GIVEN).values(
            record_id=choice.record_id, checkin_id=choice.checkin_id,
            session_id=session["session_id"], screening_id=screening["screening_id"],
            status="COMPLETED", injection_site=choice.injection_site,
            proposed_dose_kind=proposal.kind, proposed_dose_number=proposal.number,
            override_reason=reason or None, vaccinator_user_id=vaccinator_id,
            recorded_by=principal.user_id, recorded_at=now()))
        # Ids and codes only: the reason is free text and may name the person's conditions.
        audit.record(conn, actor(principal, source), "INJECT", "vax_injection",
                     choice.record_id, after={
                         "checkin_id": choice.checkin_id, "session_id": session["session_id"],
                         "screening_id": screening["screening_id"],
                         "injection_site": choice.injection_site,
                         "proposed": [proposal.kind, proposal.number],
                         "chosen": list(chosen), "overridden": overrode,
                         "vaccinator_user_id": vaccinator_id})
        # Last: it bumps the data version just before the commit.
        record_injection_in(conn, principal, _contract_row(
            person, checkin, session, choice, at, vaccinator), lang, source=source, tz=tz)
    return DoseGiven(choice.record_id, "loaded", proposal, overrode)
