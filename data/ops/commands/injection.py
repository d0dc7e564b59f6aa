"""record_injection: one dose, from a form, the API or the simulator, in one short transaction.

The dose becomes a one-row frame in the interchange contract's columns and goes through the
same transform (data.interchange.kinds.injections) and the same apply path
(data.loaders.injections) as a row of a file, so it is valid exactly when that row would be
and lands in injection, fct_injection and the rollups the same way.

Locking. A command does not take the load lock (data.bulk.serialize_loads): a form must not
wait behind a million-row file for the whole of its load. It stays correct beside a load
because every shared row it changes is changed atomically:
- rollups: it adds its +1/-1 by INSERT ... ON CONFLICT DO UPDATE (never the loader's
  copy-when-empty path) under the shared rollup lock, which a load holds exclusively only
  from its own rollup step to its commit (data.bulk.lock_rollups); so a dose waits at most
  for the tail of a load, and deltas, which commute, always sum to a recomputation;
- injection and fct_injection: keyed by record_id, so a file carrying the very record a
  command writes at the same moment makes one of the two fail on the primary key and roll
  back whole (the file is then loaded again; it classifies the record as a correction);
- the data version row: bumped last, just before commit, so it is held for an instant.
On SQLite one writer works at a time: once its dose passes the rules, the command takes the
write lock and waits for a running load (busy timeout, 30 s), as a second load does.

"The same dose" is the same person's dose of the same kind and number (dose_kind,
dose_number) that is not ENTERED_IN_ERROR, under another record_id: two staff entering one
dose at once give one dose, and the second hears "dose.already_recorded". The same
record_id again is the same record (a form sent twice): unchanged, or a correction, as in a
file. Checked under a per-person transaction-level advisory lock (PostgreSQL; SQLite's write
lock serialises it anyway), so the check and the insert are one step for that person. Files
are not held to this rule: a file is the sending system's record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, text

from data import audit
from data.audit import Actor
from data.auth.roles import Principal
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.few_rows import Record
from data.interchange import command_row, row_cells
from data.interchange.cells import cell_text, has_bad_char
from data.interchange.kinds import injections as kind
from data.interchange.kinds import injections_row
from data.interchange.messages import message
from data.loaders.injections import apply_injections
from data.ops.commands.common import facility_place
from data.services import Services
from data.settings import Settings
from data.version import bump_version

FIELDS = kind.OPERATIONAL  # the contract's columns of an injection row
ALREADY_RECORDED = "dose.already_recorded"
# Namespace of the per-person advisory locks (two-key form: never meets the one-key
# load and rollup locks of data.bulk).
_PERSON_LOCK_NS = 0x56_58_44  # "VXD"
# What the audit log keeps of a dose: no name, identity number or phone.
_AUDITED = ["status", "facility_code", "vaccine_code", "lot_number", "dose_kind",
            "dose_number", "administered_at"]

Outcome = Literal["loaded", "updated", "unchanged"]


@dataclass(frozen=True)
class InjectionRecorded:
    """The dose's record_id and what the command did: stored it new, corrected the stored
    record, or found it already stored as sent (a form sent twice)."""

    record_id: str
    outcome: Outcome


def new_record_id() -> str:
    """A record_id for a form to make when it opens, so that sending it twice stores once."""
    return f"F-{uuid.uuid4().hex}"


def record_injection(
    target: Services | Engine, principal: Principal, dose: Mapping[str, object] | BaseModel,
    lang: str, *, source: str | None = None, tz: str | None = None,
) -> InjectionRecorded:
    """Record one dose. Raises data.auth.roles.Forbidden when the dose's facility lies
    outside the principal's scope, OpsError (every refused field, with the reject
    report's reason) when a rule refuses it; nothing is written then."""
    engine = target.engine if isinstance(target, Services) else target
    tz = tz or (target.settings.timezone if isinstance(target, Services) else Settings.timezone)
    values = _checked_cells(dose, lang)
    with unit_of_work(engine) as conn:
        return _record(conn, principal, values, lang, source, tz)


def record_injection_in(
    conn: Connection, principal: Principal, dose: Mapping[str, object] | BaseModel,
    lang: str, *, source: str | None, tz: str,
) -> InjectionRecorded:
    """record_injection inside the caller's transaction (a command that writes the dose with
    rows of its own, all or nothing: data.ops.commands.give_dose). The caller commits; the
    data version is bumped here, so the caller writes nothing after this call."""
    return _record(conn, principal, _checked_cells(dose, lang), lang, source, tz)


def _checked_cells(dose: Mapping[str, object] | BaseModel, lang: str) -> dict[str, str | None]:
    """The dose's cells, refused as a file's line is when one holds a character no database
    text can."""
    values = _cells(dose)
    bad = [Problem(f, "bad_char", message("bad_char", lang), worded=True)
           for f, v in values.items() if v is not None and has_bad_char(v)]
    if bad:
        raise OpsError(bad)
    return values


def _record(conn: Connection, principal: Principal, values: dict[str, str | None], lang: str,
            source: str | None, tz: str) -> InjectionRecorded:
    facility = row_cells.text(values["facility_code"])
    if facility is not None:
        # An unknown code lies in no district: only its own staff's grant (or SYSTEM)
        # passes, and the rules then refuse the code with the reject report's reason.
        place = facility_place(conn, facility) or (None, None)
        principal.require_operates_at(*place, facility)
    rows = command_row.checked_row(conn, values, injections_row.transform, kind.transform,
                                   lang, tz, with_facility=True)
    row = rows.first
    serialize_person(conn, row["person_id"])
    if row["status"] == "COMPLETED":
        _refuse_same_dose(conn, row, lang, tz)
    counts = apply_injections(conn, [rows], None, 1_000, beside_loads=True)
    outcome: Outcome = "loaded" if counts.loaded else (
        "updated" if counts.updated else "unchanged")
    if outcome != "unchanged":
        audit.record(conn, Actor(principal.user_id, principal.username, source),
                     "CREATE" if outcome == "loaded" else "UPDATE", "injection",
                     str(row["record_id"]), after={c: _plain(row[c]) for c in _AUDITED})
        bump_version(conn)  # last: the version row is held only until the commit
    return InjectionRecorded(str(row["record_id"]), outcome)


def _cells(dose: Mapping[str, object] | BaseModel) -> dict[str, str | None]:
    """The dose's contract fields as the text a file would carry (absent: blank)."""
    given = dose.model_dump() if isinstance(dose, BaseModel) else dict(dose)
    return {f: cell_text(given.get(f)) for f in FIELDS}


def serialize_person(conn: Connection, person_id: str) -> None:
    """Hold, until commit, what makes the duplicate check and the write one step.

    PostgreSQL: the person's advisory lock (hashtext: a 32-bit key; two people sharing one
    only wait for each other). SQLite: the database's one write lock, taken by a no-op
    write, so the check reads what the write commits against (the reads before it ran
    outside any transaction, so a refused dose never waits for a running load). Taking it
    twice in one transaction is harmless: PostgreSQL stacks transaction-level advisory locks.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:ns, hashtext(:pid))"),
                     {"ns": _PERSON_LOCK_NS, "pid": person_id})
    else:
        conn.execute(text("UPDATE meta_data_version SET version = version WHERE id = 1"))


def _refuse_same_dose(conn: Connection, row: Record, lang: str, tz: str) -> None:
    """OpsError when the person already has this dose under another record_id."""
    # injection.person_id has no index (migration 0006, for bulk loads): this reads the
    # table by person; see the report of the write-side change for the index it wants.
    number = int(row["dose_number"])  # type: ignore[call-overload]
    found = conn.execute(text("""
        SELECT facility_code, administered_at FROM injection
        WHERE person_id = :pid AND dose_kind = :kind AND dose_number = :n
          AND status <> 'ENTERED_IN_ERROR' AND record_id <> :rid
        LIMIT 1"""), {"pid": row["person_id"], "kind": row["dose_kind"],
                      "n": number, "rid": row["record_id"]}).first()
    if found is None:
        return
    at = pd.Timestamp(found[1])
    at = (at.tz_localize("UTC") if at.tzinfo is None else at).tz_convert(tz)
    raise OpsError([Problem("dose_number", ALREADY_RECORDED, message(
        ALREADY_RECORDED, lang, kind=row["dose_kind"], number=number,
        facility=found[0], at=at.strftime("%H:%M %d/%m/%Y")), worded=True)])


def _plain(value: object) -> object:
    """A cell as JSON the audit log stores."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value
