"""Reads of AEFI case management: the serious cases in the principal's scope, by status, and
one case in detail (no personal data: the person's name stays with the command center's
audited case list).

A citizen's self-report (data.citizen.self_report, marked by vax_aefi_self_report) is in the
list whatever its severity: nobody has looked at it yet, so the district follows it up as it
does a serious report (data.ops.commands.aefi_case accepts both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, Select, func, literal, or_, select

from data.auth.roles import Principal
from data.models.citizen import VaxAefiSelfReport
from data.models.operational import AefiReport, Injection
from data.models.ops_aefi import VaxAefiCase, VaxAefiStaffReport
from data.models.reference import Facility
from data.ops.queries.sessions import scope_filter

REPORTS = AefiReport.__table__
INJECTIONS = Injection.__table__
CASES = VaxAefiCase.__table__
STAFF = VaxAefiStaffReport.__table__
SELF = VaxAefiSelfReport.__table__
FACILITIES = Facility.__table__
MAX_CASES = 500
# No vax_aefi_case row: the case is REPORTED (data.models.ops_aefi).
case_status = func.coalesce(CASES.c.status, literal("REPORTED"))


@dataclass(frozen=True)
class CaseRow:
    """One serious case of the list."""

    report_id: str
    status: str
    record_id: str
    facility_code: str
    district_code: str
    onset_at: dt.datetime
    reported_at: dt.datetime
    vaccine_code: str | None
    lot_number: str | None
    seriousness: str | None
    outcome: str
    causality: str | None
    self_reported: bool = False  # a citizen's own report (vax_aefi_self_report)


@dataclass(frozen=True)
class CaseDetail:
    """A case with its report, the dose (vaccine, lot, time), the staff form's reporter and
    both signed steps (None where not signed yet)."""

    row: CaseRow
    severity: str
    symptoms: str
    classification: str | None
    administered_at: dt.datetime | None
    reporter: dict | None
    investigation: dict | None
    council: dict | None
    province_code: str | None = None  # of the dose's facility, whose council classifies
    self_report: dict | None = None  # channel, reaction codes and text of a self-report


def _query() -> Select:
    dose_facility = INJECTIONS.c.facility_code
    return (
        select(REPORTS.c.report_id, case_status.label("status"), REPORTS.c.record_id,
               FACILITIES.c.code.label("facility_code"), FACILITIES.c.district_code,
               REPORTS.c.onset_at, REPORTS.c.reported_at, INJECTIONS.c.vaccine_code,
               INJECTIONS.c.lot_number, REPORTS.c.seriousness, REPORTS.c.outcome,
               CASES.c.causality, SELF.c.report_id.is_not(None).label("self_reported"))
        .select_from(REPORTS.join(INJECTIONS, INJECTIONS.c.record_id == REPORTS.c.record_id)
                     .join(FACILITIES, FACILITIES.c.code == dose_facility)
                     .outerjoin(CASES, CASES.c.report_id == REPORTS.c.report_id)
                     .outerjoin(SELF, SELF.c.report_id == REPORTS.c.report_id))
        .where(or_(REPORTS.c.severity == "SERIOUS", SELF.c.report_id.is_not(None))))


def case_list(engine: Engine, principal: Principal, status: str | None = None) -> list[CaseRow]:
    """Serious and self-reported cases of the facilities the principal operates at (the
    dose's facility), newest onset first; `status` keeps one of REPORTED, INVESTIGATED,
    CLASSIFIED."""
    where = scope_filter(principal)
    if where is None:
        return []
    q = _query().where(where)
    if status:
        q = q.where(case_status == status)
    with engine.connect() as conn:
        rows = conn.execute(q.order_by(REPORTS.c.onset_at.desc(), REPORTS.c.report_id)
                            .limit(MAX_CASES)).all()
    return [CaseRow(*r) for r in rows]


def case_detail(engine: Engine, principal: Principal, report_id: str) -> CaseDetail | None:
    """One serious or self-reported case in the principal's scope; None when unknown or
    neither,
    Forbidden when out of scope."""
    with engine.connect() as conn:
        row = conn.execute(_query().add_columns(
            REPORTS.c.severity, REPORTS.c.symptoms, REPORTS.c.classification,
            INJECTIONS.c.administered_at, FACILITIES.c.province_code)
            .where(REPORTS.c.report_id == report_id)).first()
        if row is None:
            return None
        *base, severity, symptoms, classification, given, province = row
        principal.require_operates_at(province, base[4], base[3])
        staff = conn.execute(select(STAFF).where(STAFF.c.report_id == report_id)
                             ).mappings().first()
        steps = conn.execute(select(CASES).where(CASES.c.report_id == report_id)
                             ).mappings().first()
        own = conn.execute(select(SELF.c.channel, SELF.c.reaction_codes, SELF.c.reaction_text,
                                  SELF.c.hospitalised, SELF.c.onset_date)
                           .where(SELF.c.report_id == report_id)).mappings().first()
    investigation = council = None
    if steps is not None:
        investigation = {k: steps[k] for k in ("investigated_on", "findings", "investigated_by",
                                               "investigated_by_name", "investigation_signed_at")}
        if steps["status"] == "CLASSIFIED":
            council = {k: steps[k] for k in ("causality", "council_decided_on", "council_note",
                                             "classified_by", "classified_by_name",
                                             "classification_signed_at")}
    reporter = None if staff is None else {
        k: staff[k] for k in ("reporter_name", "reporter_title", "reporter_phone",
                              "entered_by", "entered_by_name", "symptom_codes", "symptom_text")}
    return CaseDetail(CaseRow(*base), severity, symptoms, classification, given, reporter,
                      investigation, council, province, None if own is None else dict(own))

