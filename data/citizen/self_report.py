"""A citizen's own report of reactions after a dose: it lands in the operations' AEFI intake
as an AEFI report marked self-reported (vax_aefi_self_report), through the same write path as
every other report (data.ops.commands.aefi_report: the aefi kind's rules and loader), so the
report, its fact (fct_aefi), the audit and the data version commit together.

Public functions (used by the portal and the health-book API):

    recent_doses(target, person_id, now=None, tz=None) -> list[RecentDose]
        The person's counted doses given within WINDOW_DAYS (28) of today, newest first.

    record_self_report(target, person_id, record_id, onset_date, reactions, text=None, *,
                       hospitalised=False, channel="portal", now=None, source=None,
                       lang="vi", tz=None) -> SelfReport
        `target` is a Services or an Engine; `person_id` the identity number found by
        data.citizen.identify.find_person; `reactions` codes of data.ops.rules.aefi_terms
        (the staff form's coded list), `text` free text up to MAX_TEXT characters;
        `channel` 'portal' or 'app'. Raises OpsError (field, code) with every problem found;
        nothing is written then.

Rules (decided here, once):
- The dose must be the person's and counted (COMPLETED); anyone else's dose, or an unknown
  one, is the same `self_report.unknown_dose`, as identification tells nothing.
- Reported at most WINDOW_DAYS days after the dose (local dates: day 28 accepted, day 29
  refused `self_report.too_late`), the WHO manual's usual follow-up window for AEFI.
- Onset is a date (the citizen rarely knows the hour): not before the dose's day, not after
  today; stored as the dose's moment when on its day, else local midnight of that day.
- At least one coded reaction or some text. `hospitalised` marks the report SERIOUS with the
  WHO criterion HOSPITALISATION, so it becomes a case like any serious report; otherwise it is
  MILD. Either way the outcome is UNKNOWN and no classification is given: the report awaits
  the district's follow-up and the council's classification, in /ops/aefi and in the
  command center's counts (classification NONE).
- At most MAX_PER_DOSE self-reports per dose (a later reaction may be added; a flood is not).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, func, insert, select

from data import audit
from data.citizen.common import channel_code, citizen_actor, engine_tz, local_day, moment
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.messages import N_
from data.models.citizen import VaxAefiSelfReport
from data.models.operational import Injection
from data.models.reference import Facility, VaccineProduct
from data.ops.commands import aefi_report
from data.ops.rules import aefi_terms
from data.services import Services
from data.version import bump_version

SELF_REPORTS = VaxAefiSelfReport.__table__
INJECTIONS = Injection.__table__
FACILITIES = Facility.__table__
VACCINES = VaccineProduct.__table__

WINDOW_DAYS = 28
MAX_TEXT = 1000
MAX_PER_DOSE = 3
MAX_ID = 64
REACTION_CODES = aefi_terms.CODES  # the one coded list (the staff form's)

UNKNOWN_DOSE = N_("self_report.unknown_dose")
TOO_LATE = N_("self_report.too_late")
TOO_MANY = N_("self_report.too_many")
ONSET_REQUIRED = N_("self_report.onset_required")
ONSET_BEFORE_DOSE = N_("self_report.onset_before_dose")
ONSET_FUTURE = N_("self_report.onset_future")
REACTION_UNKNOWN = N_("self_report.reaction_unknown")
REACTION_REQUIRED = N_("self_report.reaction_required")


@dataclass(frozen=True)
class RecentDose:
    """A dose the person may report on (no one else's data)."""

    record_id: str
    administered_at: dt.datetime
    vaccine_code: str
    vaccine_name: str | None
    dose_kind: str
    dose_number: int
    facility_name: str | None
    days_since: int


@dataclass(frozen=True)
class SelfReport:
    """A recorded self-report: its AEFI report id and what it was recorded as."""

    report_id: str
    record_id: str
    severity: str
    reported_at: dt.datetime


def recent_doses(target: Services | Engine, person_id: str, now: dt.datetime | None = None,
                 tz: str | None = None) -> list[RecentDose]:
    """The person's COMPLETED doses given within WINDOW_DAYS days of today, newest first."""
    engine, tz = engine_tz(target, tz)
    at = moment(now)
    today = local_day(at, tz)
    since = dt.datetime.combine(today - dt.timedelta(days=WINDOW_DAYS), dt.time(),
                                ZoneInfo(tz))
    with engine.connect() as conn:
        rows = conn.execute(
            select(INJECTIONS.c.record_id, INJECTIONS.c.administered_at,
                   INJECTIONS.c.vaccine_code, VACCINES.c.name, INJECTIONS.c.dose_kind,
                   INJECTIONS.c.dose_number, FACILITIES.c.name)
            .select_from(INJECTIONS.outerjoin(VACCINES, VACCINES.c.code
                                              == INJECTIONS.c.vaccine_code)
                         .outerjoin(FACILITIES, FACILITIES.c.code
                                    == INJECTIONS.c.facility_code))
            .where(INJECTIONS.c.person_id == person_id, INJECTIONS.c.status == "COMPLETED",
                   INJECTIONS.c.administered_at >= since, INJECTIONS.c.administered_at <= at)
            .order_by(INJECTIONS.c.administered_at.desc(), INJECTIONS.c.record_id)
            .limit(20)).all()
    out = []
    for r in rows:
        days = (today - local_day(r[1], tz)).days
        if 0 <= days <= WINDOW_DAYS:
            out.append(RecentDose(r[0], r[1], r[2], r[3], r[4], r[5], r[6], days))
    return out


def _codes(reactions: object, problems: list[Problem]) -> list[str]:
    """The coded reactions, upper-cased and deduplicated; unknown ones are a problem."""
    items = reactions if isinstance(reactions, (list, tuple)) else []
    if len(items) > 2 * len(REACTION_CODES):
        items = items[:2 * len(REACTION_CODES)]
    codes = list(dict.fromkeys(c.strip().upper() for c in items if isinstance(c, str)
                               and c.strip()))
    unknown = [c[:40] for c in codes if c not in aefi_terms.BY_CODE] \
        + ["?" for c in items if not isinstance(c, str)]
    if unknown or not isinstance(reactions, (list, tuple)):
        problems.append(Problem("reactions", REACTION_UNKNOWN, ", ".join(unknown[:5])))
    return [c for c in codes if c in aefi_terms.BY_CODE]


def _dose(conn: Connection, person_id: object, record_id: object) -> dict:
    """The person's counted dose; the same refusal for an unknown dose and someone else's."""
    if not isinstance(record_id, str) or not record_id or len(record_id) > MAX_ID \
            or not isinstance(person_id, str) or not person_id:
        raise OpsError.one("record_id", UNKNOWN_DOSE)
    row = conn.execute(select(
        INJECTIONS.c.record_id, INJECTIONS.c.person_id, INJECTIONS.c.status,
        INJECTIONS.c.facility_code, INJECTIONS.c.administered_at)
        .where(INJECTIONS.c.record_id == record_id)).mappings().first()
    if row is None or row["person_id"] != person_id or row["status"] != "COMPLETED":
        raise OpsError.one("record_id", UNKNOWN_DOSE)
    return dict(row)


def _onset_at(onset: dt.date, given: dt.datetime, tz: str) -> dt.datetime:
    """The onset day as a moment: the dose's moment on its own day, else local midnight."""
    given = given if given.tzinfo else given.replace(tzinfo=dt.UTC)
    return max(given, dt.datetime.combine(onset, dt.time(), ZoneInfo(tz)))


def record_self_report(target: Services | Engine, person_id: str, record_id: str,
                       onset_date: dt.date, reactions: Sequence[str], text: str | None = None,
                       *, hospitalised: bool = False, channel: str = "portal",
                       now: dt.datetime | None = None, source: str | None = None,
                       lang: str = "vi", tz: str | None = None) -> SelfReport:
    """Record the person's reactions to one of their doses as a self-reported AEFI report
    (the module's rules); returns it. Raises OpsError with every problem found."""
    engine, tz = engine_tz(target, tz)
    at = moment(now)
    today = local_day(at, tz)
    problems: list[Problem] = []
    chan = channel_code(channel, problems)
    codes = _codes(reactions, problems)
    free = aefi_report.free_text(text, "text", MAX_TEXT, problems)
    if not codes and free is None and not problems:
        problems.append(Problem("reactions", REACTION_REQUIRED))
    onset_ok = isinstance(onset_date, dt.date) and not isinstance(onset_date, dt.datetime)
    if not onset_ok:
        problems.append(Problem("onset_date", ONSET_REQUIRED))
    elif onset_date > today:
        problems.append(Problem("onset_date", ONSET_FUTURE, today.isoformat()))
    with unit_of_work(engine) as conn:
        dose = _dose(conn, person_id, record_id)
        given_day = local_day(dose["administered_at"], tz)
        if (today - given_day).days > WINDOW_DAYS:
            raise OpsError.one("record_id", TOO_LATE, str(WINDOW_DAYS))
        if onset_ok and onset_date < given_day:
            problems.append(Problem("onset_date", ONSET_BEFORE_DOSE, given_day.isoformat()))
        earlier = conn.execute(select(func.count()).select_from(SELF_REPORTS).where(
            SELF_REPORTS.c.record_id == dose["record_id"])).scalar_one()
        if earlier >= MAX_PER_DOSE:
            problems.append(Problem("record_id", TOO_MANY, str(MAX_PER_DOSE)))
        if problems:
            raise OpsError(problems)
        report_id = f"SLF-{uuid.uuid4().hex}"
        serious = bool(hospitalised)
        raw = aefi_report.report_frame({
            "report_id": report_id, "record_id": dose["record_id"],
            "onset_at": aefi_report.utc_text(_onset_at(onset_date, dose["administered_at"], tz)),
            "reported_at": aefi_report.utc_text(at),
            "severity": "SERIOUS" if serious else "MILD",
            "seriousness": "HOSPITALISATION" if serious else None,
            "symptoms": aefi_terms.symptoms_text(codes, free) or None,
            "outcome": "UNKNOWN", "classification": None,
            "facility_code": dose["facility_code"]}, lang)
        rows = aefi_report.checked(conn, raw, dose["facility_code"], lang, tz)
        aefi_report.write(conn, rows)
        conn.execute(insert(SELF_REPORTS).values(
            report_id=report_id, record_id=dose["record_id"], person_id=person_id,
            channel=chan, reaction_codes=";".join(codes) or None, reaction_text=free,
            hospitalised=serious, onset_date=onset_date, reported_at=at))
        audit.record(conn, citizen_actor(chan, source), "CREATE", "aefi_report", report_id,
                     after={"record_id": dose["record_id"],
                            "facility_code": dose["facility_code"],
                            "severity": "SERIOUS" if serious else "MILD",
                            "onset_date": onset_date.isoformat(), "form": "self_report",
                            "channel": chan})
        bump_version(conn)  # last: the version row is held only until the commit
    return SelfReport(report_id, dose["record_id"], "SERIOUS" if serious else "MILD", at)
