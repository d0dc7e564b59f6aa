"""A citizen's own registrations: list, create, cancel.

Create reuses the interchange contract's rules: the registration becomes a one-row frame in
the registrations kind's columns and goes through the same transform
(data.interchange.kinds.registrations) and apply path (data.loaders.simple) as a row of a file,
so it is valid exactly when that row would be (reasons worded as in a reject report). On top:
the identity number is the token's (never the body's), a CCCD must agree with the birth date
and sex (data.cccd), the birth date with the person's records, and a person holds
one registration at a time (`registration.duplicate`).

Cancel removes the registration from the registry (registration, fct_registration), as a merge
removes one (data.ops.commands.registration_merge), keeps the row in vax_registration_cancel
and cancels the bookings made on it; audited, data version bumped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select, update

from data import audit
from data.audit import Actor
from data.cccd import check_cccd
from data.citizen.signin import CITIZEN, contact_of, person_ref
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.few_rows import Record
from data.interchange.cells import cell_text, has_bad_char
from data.interchange.messages import message
from data.loaders.simple import apply_registrations
from data.models.citizen_auth import VaxRegistrationCancel
from data.models.operational import Registration
from data.models.ops import VaxBooking
from data.models.portal import PortalRegistration
from data.models.star import FctRegistration
from data.ops.commands.injection import serialize_person
from data.ops.rules.errors import RuleError
from data.registrations import checked_registration
from data.version import bump_version

REGISTRATIONS = Registration.__table__
FACTS = FctRegistration.__table__
CANCELLED = VaxRegistrationCancel.__table__
BOOKINGS = VaxBooking.__table__
PORTAL_CLAIMS = PortalRegistration.__table__
DUPLICATE = "registration.duplicate"
BIRTH_DATE = "registration.birth_date"
# What a citizen sends: the contract's columns less the ones the API sets itself.
FORM_FIELDS = ("id_type", "full_name", "birth_date", "sex", "phone", "priority_group",
               "province_code", "district_code", "ward_code", "address", "organisation")
# What the audit log keeps of a registration: no name, identity number, phone or address.
_AUDITED = ("priority_group", "province_code", "district_code", "registered_at")

Status = Literal["ACTIVE", "CANCELLED"]


class RegistrationNotFound(LookupError):
    """No registration of this person has this id (another person's is not found either)."""


@dataclass(frozen=True)
class MyRegistration:
    """One of the citizen's registrations, active or cancelled."""

    registration_id: str
    status: Status
    full_name: str
    priority_group: int
    province_code: str
    district_code: str
    ward_code: str | None
    registered_at: dt.datetime
    cancelled_at: dt.datetime | None


def _aware(value: Any) -> Any:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _mine(row: Any, status: Status, cancelled_at: dt.datetime | None) -> MyRegistration:
    return MyRegistration(str(row["registration_id"]), status, str(row["full_name"]),
                          int(row["priority_group"]), str(row["province_code"]),
                          str(row["district_code"]), row["ward_code"],
                          _aware(row["registered_at"]), _aware(cancelled_at))


def list_mine(conn: Connection, person_id: str) -> list[MyRegistration]:
    """The person's registrations, newest first: the active one, then those cancelled."""
    active = [_mine(r, "ACTIVE", None) for r in conn.execute(
        select(REGISTRATIONS).where(REGISTRATIONS.c.person_id == person_id)
        .order_by(REGISTRATIONS.c.registered_at.desc())).mappings()]
    cancelled = [_mine(r["row"], "CANCELLED", r["cancelled_at"]) for r in conn.execute(
        select(CANCELLED).where(CANCELLED.c.person_id == person_id)
        .order_by(CANCELLED.c.cancelled_at.desc())).mappings()]
    return active + cancelled


def _cells(person_id: str, registration_id: str, values: dict[str, object], lang: str,
           at: dt.datetime) -> dict[str, object]:
    cells: dict[str, object] = {f: cell_text(values.get(f)) for f in FORM_FIELDS}
    bad = [Problem(f, "bad_char", message("bad_char", lang), worded=True)
           for f, v in cells.items() if isinstance(v, str) and has_bad_char(v)]
    if bad:
        raise OpsError(bad)
    return cells | {"registration_id": registration_id, "person_id": person_id,
                    "registered_at": at.isoformat()}


def _identity_problems(row: Record) -> list[Problem]:
    """A 12-digit CCCD (or a 12-digit CMND, which has its shape) against birth date and sex."""
    if row["id_type"] == "PASSPORT" or len(str(row["person_id"])) != 12:
        return []
    try:
        mismatches = check_cccd(str(row["person_id"]), row["birth_date"], str(row["sex"]))
    except RuleError as err:
        return [Problem("person_id", err.code, err.detail)]
    fields = {"cccd.year_mismatch": "birth_date", "cccd.sex_mismatch": "sex"}
    return [Problem(fields[m.code], m.code, f"{m.from_number} / {m.from_form}")
            for m in mismatches]


def create(engine: Engine, person_id: str, values: dict[str, object], lang: str, tz: str,
           source: str, now: dt.datetime | None = None) -> str:
    """Register the citizen; returns the new registration id. OpsError (nothing written)
    when a contract rule, the CCCD check, the birth date or the one-registration rule
    refuses it."""
    now = now or dt.datetime.now(dt.UTC)
    registration_id = f"C-{uuid.uuid4().hex}"
    cells = _cells(person_id, registration_id, values, lang, now)
    with unit_of_work(engine) as conn:
        rows = checked_registration(conn, cells, lang, tz)
        row = rows.first
        birth = dt.date.fromisoformat(str(row["birth_date"])[:10])
        found = _identity_problems({**row, "birth_date": birth})
        if contact_of(conn, person_id, birth) is None:
            found.append(Problem("birth_date", BIRTH_DATE, birth.isoformat()))
        if found:
            raise OpsError(found)
        serialize_person(conn, person_id)
        held = conn.execute(select(REGISTRATIONS.c.registration_id).where(
            REGISTRATIONS.c.person_id == person_id).limit(1)).scalar()
        if held is not None:
            raise OpsError.one("person_id", DUPLICATE, str(held))
        apply_registrations(conn, rows, 1_000, fresh=True)  # a new uuid
        audit.record(conn, Actor(None, CITIZEN, source[:64]), "CREATE", "registration",
                     registration_id, after={c: _plain(row[c]) for c in _AUDITED},
                     detail={"person": person_ref(person_id)})
        bump_version(conn)  # last: the version row is held only until the commit
    return registration_id


def cancel(engine: Engine, person_id: str, registration_id: str, source: str,
           now: dt.datetime | None = None) -> MyRegistration:
    """Cancel the person's registration `registration_id`; a registration already cancelled
    stays so. RegistrationNotFound when the person has none with this id."""
    now = now or dt.datetime.now(dt.UTC)
    r = REGISTRATIONS.c
    with unit_of_work(engine) as conn:
        row = conn.execute(select(REGISTRATIONS).where(
            r.registration_id == registration_id, r.person_id == person_id)
            .with_for_update()).mappings().first()
        if row is None:
            done = conn.execute(select(CANCELLED).where(
                CANCELLED.c.registration_id == registration_id,
                CANCELLED.c.person_id == person_id)).mappings().first()
            if done is None:
                raise RegistrationNotFound(registration_id)
            return _mine(done["row"], "CANCELLED", done["cancelled_at"])
        kept = {k: _plain(v) for k, v in row.items()}
        conn.execute(delete(FACTS).where(FACTS.c.registration_id == registration_id))
        conn.execute(delete(REGISTRATIONS).where(r.registration_id == registration_id))
        # A registration made on the portal holds its identity's claim there; cancelled, the
        # person may register again on the portal as through the app.
        conn.execute(delete(PORTAL_CLAIMS).where(
            PORTAL_CLAIMS.c.person_id == person_id,
            PORTAL_CLAIMS.c.registration_id == registration_id))
        conn.execute(insert(CANCELLED).values(
            registration_id=registration_id, person_id=person_id, row=kept,
            source=source[:64], cancelled_at=now))
        bookings = conn.execute(update(BOOKINGS).where(
            BOOKINGS.c.registration_id == registration_id, BOOKINGS.c.status == "BOOKED")
            .values(status="CANCELLED")).rowcount
        audit.record(conn, Actor(None, CITIZEN, source[:64]), "CANCEL", "registration",
                     registration_id, before={c: kept[c] for c in _AUDITED},
                     detail={"person": person_ref(person_id), "bookings_cancelled": bookings})
        bump_version(conn)
    return _mine(kept, "CANCELLED", now)


def _plain(value: object) -> object:
    """A cell as JSON the audit log and the cancel history store."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value
