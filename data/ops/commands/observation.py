"""Observation after the injection: release a person, or record a reaction, which opens an
AEFI report pre-filled with the dose.

A dose's observation ends once: the row of vax_observation is keyed by the dose's record_id,
so two staff releasing the same person at the same moment give one release and a clear
message to the second (the primary key refuses the second insert; on PostgreSQL it waits for
the first to commit, then fails; SQLite has one writer at a time).

The AEFI report a reaction opens is one row in the interchange contract's columns, through
the same transform (data.interchange.kinds.aefi) and the same loader
(data.loaders.simple.apply_aefi) as a row of an AEFI file (data.ops.commands.aefi_report),
as record_injection does for a dose: valid exactly when that row would be, landing in
aefi_report and fct_aefi the same way. The observation row, the report, its fact, the audit
and the data version (a fact changed, so the command center's AEFI page moves) commit
together or not at all. No rollup counts AEFI reports (the pages read fct_aefi), so no
rollup moves.

A release changes no fact, so it does not bump the data version.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from data import audit
from data.auth.roles import Principal
from data.command_errors import OpsError
from data.db import unit_of_work
from data.interchange.cells import has_bad_char
from data.models.operational import Injection
from data.models.ops import VaxObservation
from data.ops.commands import aefi_report
from data.ops.commands.common import actor, facility_place, now
from data.services import Services
from data.settings import Settings
from data.version import bump_version

# The person stays on site for 30 minutes after the injection, watched for an immediate
# reaction (Ministry of Health guidance on the organisation of COVID-19 vaccination
# sessions, 1734/BYT-DP; the figure is kept in one place: to check against the guideline,
# see /work/shared/reference/screening.md, "After vaccination").
OBSERVATION = dt.timedelta(minutes=30)
MAX_NOTE = 500
MAX_ID = 64

INJECTIONS = Injection.__table__
OBSERVATIONS = VaxObservation.__table__

UNKNOWN_DOSE = "observation.unknown_dose"
ALREADY_CLOSED = "observation.already_closed"
EARLY_REASON = "observation.early_reason"
NOTE_INVALID = "observation.note_invalid"


@dataclass(frozen=True)
class ObservationClosed:
    """How a dose's observation ended: RELEASED, or REACTION with the report it opened."""

    record_id: str
    outcome: str
    released_at: dt.datetime
    aefi_report_id: str | None = None


@dataclass(frozen=True)
class Reaction:
    """What the staff saw: the AEFI contract's severity, seriousness (for SERIOUS), symptoms
    (';'-separated) and outcome; onset defaults to the moment it is recorded."""

    severity: str
    symptoms: str
    outcome: str = "RECOVERING"
    seriousness: str | None = None
    onset_at: dt.datetime | None = None


def release_due(administered_at: dt.datetime) -> dt.datetime:
    """The moment the person's observation ends."""
    if administered_at.tzinfo is None:  # SQLite hands back naive UTC
        administered_at = administered_at.replace(tzinfo=dt.UTC)
    return administered_at + OBSERVATION


def release(engine: Engine, principal: Principal, source: str | None, record_id: str,
            early_reason: str | None = None) -> ObservationClosed:
    """Release the person of a dose. Before the 30 minutes are over a reason is required;
    a dose already released (or with a reaction recorded) is refused."""
    reason = _note(early_reason, "early_reason")
    at = now()
    with unit_of_work(engine) as conn:
        dose = dose_in_scope(conn, principal, record_id)
        if at < release_due(dose["administered_at"]) and not reason:
            # An early release is the staff's call, never silent.
            raise OpsError.one("early_reason", EARLY_REASON)
        _close(conn, principal, dose, at, "RELEASED", None, reason)
        audit.record(conn, actor(principal, source), "CREATE", "vax_observation", record_id,
                     after={"outcome": "RELEASED", "facility_code": dose["facility_code"],
                            "early": at < release_due(dose["administered_at"])})
    return ObservationClosed(record_id, "RELEASED", at)


def record_reaction(target: Services | Engine, principal: Principal, source: str | None,
                    record_id: str, reaction: Reaction, lang: str,
                    tz: str | None = None) -> ObservationClosed:
    """Record a reaction during observation: it ends the observation and opens an AEFI
    report of the dose. Raises OpsError (the AEFI file's reasons, in `lang`) when the report
    would be refused; nothing is written then."""
    engine = target.engine if isinstance(target, Services) else target
    tz = tz or (target.settings.timezone if isinstance(target, Services) else Settings.timezone)
    at = now()
    report_id = f"OBS-{uuid.uuid4().hex}"
    with unit_of_work(engine) as conn:
        dose = dose_in_scope(conn, principal, record_id)
        raw = _report_row(report_id, dose, reaction, at, lang)
        rows = aefi_report.checked(conn, raw, dose["facility_code"], lang, tz)
        # The observation row first: a second reaction for the dose fails here, before any
        # report is written.
        _close(conn, principal, dose, at, "REACTION", report_id, None)
        aefi_report.write(conn, rows)
        row = rows.iloc[0]
        who = actor(principal, source)
        audit.record(conn, who, "CREATE", "vax_observation", record_id,
                     after={"outcome": "REACTION", "facility_code": dose["facility_code"],
                            "aefi_report_id": report_id})
        audit.record(conn, who, "CREATE", "aefi_report", report_id,
                     after={"record_id": record_id, "facility_code": dose["facility_code"],
                            "severity": row["severity"], "outcome": row["outcome"],
                            "onset_at": str(row["onset_at"])})
        bump_version(conn)  # last: the version row is held only until the commit
    return ObservationClosed(record_id, "REACTION", at, report_id)


def _note(value: str | None, field: str) -> str | None:
    """A free-text note, trimmed; refused when too long or carrying control characters."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_NOTE or has_bad_char(value):
        raise OpsError.one(field, NOTE_INVALID, str(MAX_NOTE))
    return value.strip() or None


def dose_in_scope(conn: Connection, principal: Principal, record_id: object) -> dict:
    """The dose (a counted one: COMPLETED) once the principal's scope over its facility is
    checked; an unknown record is a problem of the record_id field."""
    if (not isinstance(record_id, str) or not record_id or len(record_id) > MAX_ID
            or re.search(r"[\x00-\x1f\x7f\ud800-\udfff]", record_id)):
        raise OpsError.one("record_id", UNKNOWN_DOSE)
    row = conn.execute(select(
        INJECTIONS.c.record_id, INJECTIONS.c.facility_code, INJECTIONS.c.administered_at,
        INJECTIONS.c.status).where(INJECTIONS.c.record_id == record_id)).mappings().first()
    if row is None or row["status"] != "COMPLETED":
        raise OpsError.one("record_id", UNKNOWN_DOSE)
    place = facility_place(conn, row["facility_code"]) or (None, None)
    principal.require_operates_at(*place, row["facility_code"])
    return dict(row)


def _close(conn: Connection, principal: Principal, dose: dict, at: dt.datetime, outcome: str,
           report_id: str | None, note: str | None) -> None:
    """Write the observation's end; a dose whose observation already ended is refused."""
    done = conn.execute(select(OBSERVATIONS.c.outcome).where(
        OBSERVATIONS.c.record_id == dose["record_id"])).first()
    if done is not None:
        raise OpsError.one("record_id", ALREADY_CLOSED)
    try:
        conn.execute(insert(OBSERVATIONS).values(
            record_id=dose["record_id"], facility_code=dose["facility_code"], released_at=at,
            released_by=principal.user_id, outcome=outcome, aefi_report_id=report_id,
            note=note))
    except IntegrityError as err:  # another desk closed it a moment ago; raising rolls back
        raise OpsError.one("record_id", ALREADY_CLOSED) from err


def _report_row(report_id: str, dose: dict, reaction: Reaction, at: dt.datetime,
                lang: str) -> pd.DataFrame:
    """The report as the one-row frame an AEFI file would give."""
    return aefi_report.report_frame({
        "report_id": report_id, "record_id": dose["record_id"],
        "onset_at": aefi_report.utc_text(reaction.onset_at or at),
        "reported_at": at.isoformat(), "severity": reaction.severity,
        "seriousness": reaction.seriousness, "symptoms": reaction.symptoms,
        "outcome": reaction.outcome, "classification": None,
        "facility_code": dose["facility_code"]}, lang)
