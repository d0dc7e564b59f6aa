"""The staff AEFI form: a report of a dose with the WHO core variables (issue 12, "AEFI case
management").

It goes through the same path as the observation board's reaction
(data.ops.commands.aefi_report: the aefi kind's rules and loader), so the report, its fact,
the audit and the data version commit together, and its date checks are the contract's:
onset before the injection, a dose given before the person's birth, a report before the
onset. The reporter and the coded symptoms, which the contract has no column for, go to
vax_aefi_staff_report in the same transaction. A serious report is then a case
(data.ops.commands.aefi_case).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, insert

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.messages import N_
from data.models.ops_aefi import VaxAefiStaffReport
from data.ops.commands import aefi_report
from data.ops.commands.common import actor, now
from data.ops.commands.observation import dose_in_scope
from data.ops.rules import aefi_terms
from data.services import Services
from data.version import bump_version

STAFF_REPORTS = VaxAefiStaffReport.__table__
MAX_TEXT = 4000
MAX_NAME = 200
MAX_TITLE = 120
MAX_PHONE = 15

SYMPTOM_UNKNOWN = N_("aefi_case.symptom_unknown")


@dataclass(frozen=True)
class StaffReport:
    """The WHO core variables of a staff AEFI report. The dose (record_id) gives the person,
    the vaccine and the lot; the report is SERIOUS when any seriousness criterion is given
    (the WHO definition of a serious AEFI)."""

    record_id: str
    onset_at: dt.datetime
    symptom_codes: tuple[str, ...] = ()
    symptom_text: str | None = None
    seriousness: tuple[str, ...] = ()
    outcome: str = "RECOVERING"
    reporter_name: str | None = None      # default: the signed-in user's display name
    reporter_title: str | None = None
    reporter_phone: str | None = None
    reported_at: dt.datetime | None = None  # default: now


def report(target: Services | Engine, principal: Principal, source: str | None,
           form: StaffReport, lang: str, tz: str | None = None) -> str:
    """Record a staff AEFI report of a dose the principal operates at (its facility's staff,
    or an officer of its district or province); returns the report id. Raises OpsError with
    every problem (the contract's rules worded in `lang`); nothing is written then."""
    engine, tz = aefi_report.engine_tz(target, tz)
    at = now()
    report_id = f"STF-{uuid.uuid4().hex}"
    problems: list[Problem] = []
    codes = tuple(dict.fromkeys(c.strip().upper() for c in form.symptom_codes if c.strip()))
    unknown = [c for c in codes if c not in aefi_terms.BY_CODE]
    if unknown:
        problems.append(Problem("symptom_codes", SYMPTOM_UNKNOWN, ", ".join(unknown)))
    free = aefi_report.free_text(form.symptom_text, "symptom_text", MAX_TEXT, problems)
    reporter = aefi_report.free_text(form.reporter_name, "reporter_name", MAX_NAME, problems) \
        or principal.display_name
    title = aefi_report.free_text(form.reporter_title, "reporter_title", MAX_TITLE, problems)
    phone = aefi_report.free_text(form.reporter_phone, "reporter_phone", MAX_PHONE, problems)
    with unit_of_work(engine) as conn:
        dose = dose_in_scope(conn, principal, form.record_id)
        known = [c for c in codes if c in aefi_terms.BY_CODE]
        raw = aefi_report.report_frame({
            "report_id": report_id, "record_id": dose["record_id"],
            "onset_at": aefi_report.utc_text(form.onset_at),
            "reported_at": aefi_report.utc_text(form.reported_at or at),
            "severity": "SERIOUS" if form.seriousness else "MILD",
            "seriousness": ";".join(form.seriousness) or None,
            "symptoms": aefi_terms.symptoms_text(known, free) or None,
            "outcome": form.outcome, "classification": None,
            "facility_code": dose["facility_code"]}, lang)
        try:
            rows = aefi_report.checked(conn, raw, dose["facility_code"], lang, tz)
        except OpsError as err:
            raise OpsError([*problems, *err.problems]) from None
        if problems:
            raise OpsError(problems)
        aefi_report.write(conn, rows)
        conn.execute(insert(STAFF_REPORTS).values(
            report_id=report_id, record_id=dose["record_id"], entered_by=principal.user_id,
            entered_by_name=principal.username, reporter_name=reporter, reporter_title=title,
            reporter_phone=phone, symptom_codes=";".join(known) or None, symptom_text=free,
            entered_at=at))
        row = rows.iloc[0]
        audit.record(conn, actor(principal, source), "CREATE", "aefi_report", report_id,
                     after={"record_id": dose["record_id"], "facility_code": dose["facility_code"],
                            "severity": row["severity"], "outcome": row["outcome"],
                            "onset_at": str(row["onset_at"]), "form": "staff",
                            "reporter_name": reporter})
        bump_version(conn)  # last: the version row is held only until the commit
    return report_id

