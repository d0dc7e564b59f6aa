"""Issuing a person's vaccination certificate from the doses on record (table `injection`):
the latest completed dose, signed by the active document signer, valid 12 months (Decision
5772/QĐ-BYT), entered in the registry (certificate_issue) and the audit log in one transaction.

Asking again while the certificate is valid, for the same dose and signer, signs the same
content again (same UVCI, issue and expiry times): a re-print, not a new certificate."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, bindparam, func, insert, select

from data import audit
from data.certificates.dcc import (
    COUNTRY,
    Dose,
    add_months,
    dose_numbers,
    new_uvci,
    series_doses_of,
    vaccination_dcc,
)
from data.certificates.hc1 import sign_hc1
from data.certificates.keys import KeyStore, Signer
from data.certificates.valuesets import EU_CODES
from data.db import unit_of_work
from data.models.certificates import CertificateIssue
from data.models.operational import Injection
from data.services import Services
from data.settings import Settings

VALIDITY_MONTHS = 12  # Decision 5772/QĐ-BYT: re-issued after 12 months
SYSTEM = audit.Actor(None, "system", None)
_REG = CertificateIssue.__table__
_INJ = Injection.__table__


class NoCertifiableDose(LookupError):
    """The person has no completed dose of a catalogue vaccine on record."""


@dataclass(frozen=True)
class IssuedCertificate:
    """What a page shows or prints: the QR text and the certificate's content."""

    hc1: str
    payload: dict[str, Any]  # the DCC (hcert claim -260/1)
    uvci: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    kid: str  # base64, as in the trust list
    reprinted: bool  # an earlier, still-valid certificate signed again


def key_store(settings: Settings) -> KeyStore:
    """The configured key folder (settings.certificate_key_dir, env VX_CERT_KEY_DIR)."""
    return KeyStore(settings.certificate_key_dir)


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes: they were stored in UTC.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# The statements of an issue, built once (a look-up runs each; see data.audit._APPEND).
# The latest dose, and how many doses the person has had by then: all of them, as it is the
# latest (the window counts the rows before LIMIT takes one).
_LATEST = select(_INJ, func.count().over().label("so_far")).where(
    _INJ.c.person_id == bindparam("person_id"), _INJ.c.status == "COMPLETED",
    _INJ.c.vaccine_code.in_(sorted(EU_CODES))).order_by(
    _INJ.c.administered_at.desc(), _INJ.c.dose_number.desc(),
    _INJ.c.record_id.desc()).limit(1)
_LAST_ISSUED = select(_REG).where(_REG.c.person_id == bindparam("person_id")).order_by(
    _REG.c.issued_at.desc()).limit(1)
_ENTER = insert(_REG)


def _latest_dose(conn: Connection, person_id: str) -> tuple[Any, int] | None:
    row = conn.execute(_LATEST, {"person_id": person_id}).first()
    if row is None:
        return None
    return row, int(row.so_far)


def _reusable(conn: Connection, person_id: str, record_id: str, kid: str,
              now: dt.datetime) -> Any:
    row = conn.execute(_LAST_ISSUED, {"person_id": person_id}).first()
    if row is None or row.record_id != record_id or row.kid != kid:
        return None
    return row if _utc(row.expires_at) > now >= _utc(row.issued_at) else None


def issue_with(engine: Engine, keys: KeyStore, person_id: str, now: dt.datetime | None = None,
               actor: audit.Actor = SYSTEM, tz: str = "Asia/Ho_Chi_Minh") -> IssuedCertificate:
    """The certificate for the person's latest dose (NoCertifiableDose, NoSigningKey)."""
    signer: Signer = keys.active_signer()
    with unit_of_work(engine) as conn:
        issued = issue_in(conn, signer, person_id, now, actor, tz)
    return issued


def issue_in(conn: Connection, signer: Signer, person_id: str, now: dt.datetime | None = None,
             actor: audit.Actor = SYSTEM, tz: str = "Asia/Ho_Chi_Minh") -> IssuedCertificate:
    """issue_with inside the caller's transaction (the certificate counts once it commits)."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    kid_hex = signer.kid.hex()
    found = _latest_dose(conn, person_id)
    if found is None:
        raise NoCertifiableDose(person_id)
    row, so_far = found
    series = series_doses_of(row.vaccine_code)
    dn, sd = dose_numbers(row.dose_kind, row.dose_number, so_far, series)
    # The day of vaccination as it was at the facility (Vietnam time).
    day = _utc(row.administered_at).astimezone(ZoneInfo(tz)).date()
    earlier = _reusable(conn, person_id, row.record_id, kid_hex, now)
    if earlier is None:
        uvci, issued_at = new_uvci(), now
        expires_at = add_months(now, VALIDITY_MONTHS)
        conn.execute(_ENTER, {"uvci": uvci, "person_id": person_id,
                              "record_id": row.record_id, "kid": kid_hex,
                              "issued_at": issued_at, "expires_at": expires_at})
    else:
        uvci, issued_at = earlier.uvci, _utc(earlier.issued_at)
        expires_at = _utc(earlier.expires_at)
    dcc = vaccination_dcc(row.full_name, row.birth_date,
                          Dose(row.vaccine_code, dn, sd, day), uvci)
    hc1 = sign_hc1(dcc, signer.private_key, signer.kid, COUNTRY, issued_at, expires_at)
    # The audit names the certificate and the dose, never the person's data.
    audit.record(conn, actor, "REPRINT" if earlier is not None else "ISSUE",
                 "certificate_issue", uvci,
                 detail={"record_id": row.record_id, "kid": kid_hex,
                         "expires_at": expires_at.isoformat()})
    return IssuedCertificate(hc1, dcc, uvci, issued_at, expires_at,
                             base64.b64encode(signer.kid).decode("ascii"), earlier is not None)


def issue_for_person(services: Services, person_id: str, now: dt.datetime | None = None,
                     actor: audit.Actor = SYSTEM) -> IssuedCertificate:
    """`issue_with` on the app's engine and configured key folder."""
    return issue_with(services.engine, key_store(services.settings), person_id, now, actor,
                      services.settings.timezone)


def issued_for_person(conn: Connection, person_id: str) -> list[dict[str, Any]]:
    """The registry's rows for a person, newest first (audit, support)."""
    rows = conn.execute(select(_REG).where(_REG.c.person_id == person_id)
                        .order_by(_REG.c.issued_at.desc())).mappings().all()
    return [{**r, "issued_at": _utc(r["issued_at"]), "expires_at": _utc(r["expires_at"])}
            for r in rows]
