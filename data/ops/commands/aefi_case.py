"""AEFI case management: a serious case's investigation by the district and causality
classification by the provincial AEFI council (issue 12, "AEFI case management"; the staff
form's report is data.ops.commands.aefi_staff).

A serious report, whatever path wrote it (file, observation board, staff form), is a case:
REPORTED while vax_aefi_case has no row for it, INVESTIGATED once the district officer of the
dose's facility's district signs the investigation, CLASSIFIED once a provincial officer of
that province signs the council's decision. Each role does its step and only its step, in
that order; each step is audited with the signing user. The classification also writes the
contract's `classification` (A, B, C, UNCLASSIFIABLE) as a corrected report row, as a file
correction would, so the command center's AEFI figures agree with the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from data import audit
from data.auth.roles import Forbidden, Principal, Role
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.interchange.cells import has_bad_char
from data.messages import N_
from data.models.citizen import VaxAefiSelfReport
from data.models.operational import AefiReport, Injection
from data.models.ops_aefi import VaxAefiCase
from data.ops.commands import aefi_report
from data.ops.commands.common import actor, facility_place, now
from data.ops.rules import causality
from data.services import Services
from data.version import bump_version

REPORTS = AefiReport.__table__
INJECTIONS = Injection.__table__
CASES = VaxAefiCase.__table__
SELF = VaxAefiSelfReport.__table__

MAX_TEXT = 4000

UNKNOWN_REPORT = N_("aefi_case.unknown_report")
NOT_SERIOUS = N_("aefi_case.not_serious")
ALREADY_INVESTIGATED = N_("aefi_case.already_investigated")
NOT_INVESTIGATED = N_("aefi_case.not_investigated")
ALREADY_CLASSIFIED = N_("aefi_case.already_classified")
CAUSALITY_UNKNOWN = N_("aefi_case.causality_unknown")
FINDINGS_REQUIRED = N_("aefi_case.findings_required")
DATE_REQUIRED = N_("aefi_case.date_required")
DATE_FUTURE = N_("aefi_case.date_future")
DATE_BEFORE_ONSET = N_("aefi_case.date_before_onset")
DATE_BEFORE_INVESTIGATION = N_("aefi_case.date_before_investigation")


@dataclass(frozen=True)
class CaseStep:
    """A signed step of a case: the case's status after it and who signed it."""

    report_id: str
    status: str
    signed_by: int
    signed_by_name: str
    signed_at: dt.datetime


def investigate(target: Services | Engine, principal: Principal, source: str | None,
                report_id: str, investigated_on: dt.date, findings: str,
                tz: str | None = None) -> CaseStep:
    """The district's investigation of a serious case, signed by the principal: a district
    officer of the dose's facility's district, and no one else. Once per case."""
    engine, tz = aefi_report.engine_tz(target, tz)
    at = now()
    problems: list[Problem] = []
    text = aefi_report.free_text(findings, "findings", MAX_TEXT, problems)
    if text is None and not problems:
        problems.append(Problem("findings", FINDINGS_REQUIRED))
    with unit_of_work(engine) as conn:
        case = _case(conn, report_id)
        if not _holds(principal, Role.DISTRICT_OFFICER, case["province_code"],
                      case["district_code"]):
            raise Forbidden(f"{principal.username} may not investigate AEFI cases of "
                            f"district {case['district_code']}")
        if case["status"] != "REPORTED":
            raise OpsError.one("report_id", ALREADY_INVESTIGATED)
        _date(investigated_on, "investigated_on", at, tz, problems)
        onset = _local_date(case["onset_at"], tz)
        if not any(p.field == "investigated_on" for p in problems) and investigated_on < onset:
            problems.append(Problem("investigated_on", DATE_BEFORE_ONSET, onset.isoformat()))
        if problems:
            raise OpsError(problems)
        values = {"report_id": case["report_id"], "status": "INVESTIGATED",
                  "facility_code": case["dose_facility"],
                  "province_code": case["province_code"],
                  "district_code": case["district_code"], "investigated_on": investigated_on,
                  "findings": text, "investigated_by": principal.user_id,
                  "investigated_by_name": principal.username, "investigation_signed_at": at}
        try:
            conn.execute(insert(CASES).values(**values))
        except IntegrityError as err:  # another officer signed a moment ago; raising rolls back
            raise OpsError.one("report_id", ALREADY_INVESTIGATED) from err
        audit.record(conn, actor(principal, source), "CREATE", "vax_aefi_case",
                     case["report_id"], after={
                         "status": "INVESTIGATED", "investigated_on": investigated_on.isoformat(),
                         "investigated_by": principal.user_id,
                         "facility_code": case["dose_facility"]})
    return CaseStep(case["report_id"], "INVESTIGATED", principal.user_id, principal.username, at)


def classify(target: Services | Engine, principal: Principal, source: str | None,
             report_id: str, category: str, council_decided_on: dt.date,
             note: str | None, lang: str, tz: str | None = None) -> CaseStep:
    """The provincial AEFI council's causality classification of an investigated case,
    signed by the principal: a provincial officer of the dose's facility's province, and no
    one else. It also writes the contract's classification as a corrected report row."""
    engine, tz = aefi_report.engine_tz(target, tz)
    at = now()
    problems: list[Problem] = []
    code = category.strip().upper() if isinstance(category, str) else ""
    if code not in causality.BY_CODE:
        problems.append(Problem("causality", CAUSALITY_UNKNOWN, ", ".join(causality.CODES)))
    text = aefi_report.free_text(note, "council_note", MAX_TEXT, problems)
    with unit_of_work(engine) as conn:
        case = _case(conn, report_id)
        if not _holds(principal, Role.PROVINCE_OFFICER, case["province_code"], None):
            raise Forbidden(f"{principal.username} may not classify AEFI cases of "
                            f"province {case['province_code']}")
        if case["status"] == "REPORTED":
            raise OpsError.one("report_id", NOT_INVESTIGATED)
        if case["status"] == "CLASSIFIED":
            raise OpsError.one("report_id", ALREADY_CLASSIFIED)
        _date(council_decided_on, "council_decided_on", at, tz, problems)
        if not any(p.field == "council_decided_on" for p in problems) \
                and council_decided_on < case["investigated_on"]:
            problems.append(Problem("council_decided_on", DATE_BEFORE_INVESTIGATION,
                                    case["investigated_on"].isoformat()))
        if problems:
            raise OpsError(problems)
        changed = conn.execute(update(CASES).where(
            CASES.c.report_id == case["report_id"], CASES.c.status == "INVESTIGATED").values(
            status="CLASSIFIED", causality=code, council_decided_on=council_decided_on,
            council_note=text, classified_by=principal.user_id,
            classified_by_name=principal.username, classification_signed_at=at)).rowcount
        if changed != 1:  # another council member signed a moment ago
            raise OpsError.one("report_id", ALREADY_CLASSIFIED)
        cells = aefi_report.stored_cells(conn, case["report_id"])
        assert cells is not None  # _case read it in this transaction
        before = cells["classification"]
        cells["classification"] = causality.contract_class(code)
        rows = aefi_report.checked(conn, aefi_report.report_frame(cells, lang),
                                   str(cells["facility_code"]), lang, tz)
        aefi_report.write(conn, rows)
        who = actor(principal, source)
        audit.record(conn, who, "UPDATE", "vax_aefi_case", case["report_id"],
                     before={"status": "INVESTIGATED"},
                     after={"status": "CLASSIFIED", "causality": code,
                            "council_decided_on": council_decided_on.isoformat(),
                            "classified_by": principal.user_id,
                            "rules": causality.VERSION})
        audit.record(conn, who, "UPDATE", "aefi_report", case["report_id"],
                     before={"classification": before},
                     after={"classification": cells["classification"]})
        bump_version(conn)  # last: the version row is held only until the commit
    return CaseStep(case["report_id"], "CLASSIFIED", principal.user_id, principal.username, at)


def next_step(principal: Principal, status: str, province_code: str | None,
              district_code: str | None) -> str | None:
    """The step of a case at `status` this principal may sign (INVESTIGATE, CLASSIFY), or
    None; what a form offers. The commands decide again when it is signed."""
    if status == "REPORTED" and _holds(principal, Role.DISTRICT_OFFICER, province_code,
                                       district_code):
        return "INVESTIGATE"
    if status == "INVESTIGATED" and _holds(principal, Role.PROVINCE_OFFICER, province_code,
                                           None):
        return "CLASSIFY"
    return None


def _case(conn: Connection, report_id: object) -> dict:
    """A serious (or self-reported) report with its dose's facility, where that lies, and the
    case's status (REPORTED when no step is signed yet); unknown or other mild reports are
    refused."""
    if not isinstance(report_id, str) or not report_id or len(report_id) > 64 \
            or has_bad_char(report_id):
        raise OpsError.one("report_id", UNKNOWN_REPORT)
    row = conn.execute(
        select(REPORTS.c.report_id, REPORTS.c.severity, REPORTS.c.onset_at,
               REPORTS.c.facility_code, INJECTIONS.c.facility_code.label("dose_facility"),
               CASES.c.status, CASES.c.investigated_on,
               SELF.c.report_id.is_not(None).label("self_reported"))
        .select_from(REPORTS.outerjoin(INJECTIONS, INJECTIONS.c.record_id
                                       == REPORTS.c.record_id)
                     .outerjoin(CASES, CASES.c.report_id == REPORTS.c.report_id)
                     .outerjoin(SELF, SELF.c.report_id == REPORTS.c.report_id))
        .where(REPORTS.c.report_id == report_id)).mappings().first()
    if row is None:
        raise OpsError.one("report_id", UNKNOWN_REPORT)
    case = dict(row)
    # A citizen's self-report is followed up whatever its severity (data.citizen.self_report).
    if case["severity"] != "SERIOUS" and not case["self_reported"]:
        raise OpsError.one("report_id", NOT_SERIOUS)
    case["dose_facility"] = case["dose_facility"] or case["facility_code"]
    place = facility_place(conn, case["dose_facility"]) or (None, None)
    case["province_code"], case["district_code"] = place
    case["status"] = case["status"] or "REPORTED"
    return case


def _holds(principal: Principal, role: Role, province_code: str | None,
           district_code: str | None) -> bool:
    """Whether a grant of `role` covers the province (and the district, when given). The
    command line's principal signs nothing: a case step needs a named user."""
    if province_code is None:
        return False
    return any(g.role == role and g.province_code == province_code
               and (district_code is None or g.district_code == district_code)
               for g in principal.grants)


def _local_date(at: dt.datetime, tz: str) -> dt.date:
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(ZoneInfo(tz)).date()


def _date(value: object, field: str, at: dt.datetime, tz: str,
          problems: list[Problem]) -> None:
    """A signed date: a date, not after today where the case is (Vietnam)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        problems.append(Problem(field, DATE_REQUIRED))
    elif value > _local_date(at, tz):
        problems.append(Problem(field, DATE_FUTURE, _local_date(at, tz).isoformat()))
