"""The look-up's whole path: the three-factor match (data.portal.certificate_lookup), then the
certificate issued for the person by the certificates module, which signs it, enters it in
its registry and audits the issue (actor: the portal, from the client's address)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data.certificates.issue import NoCertifiableDose, issue_in, key_store
from data.certificates.keys import NoSigningKey
from data.db import unit_of_work
from data.portal.certificate_lookup import LookupQuery, PersonRecord, match_person
from data.portal.certificate_verify import portal_actor
from data.services import Services


class CertificateUnavailable(RuntimeError):
    """The person matched but no certificate can be signed now (no signing key configured,
    or no dose of a product the certificate format knows)."""


@dataclass(frozen=True)
class Issued:
    """The matched person's record and their signed certificate."""

    record: PersonRecord
    hc1: str  # the QR code's text (the page's browser draws the symbol)
    issued_at: dt.datetime
    expires_at: dt.datetime


def look_up(services: Services, query: LookupQuery, source: str | None) -> Issued | None:
    """The certificate of the person the three factors name, or None (the same None for an
    unknown number, a wrong name and a wrong date of birth)."""
    tz = services.settings.timezone
    try:
        # One transaction for the match and the issue (a look-up pays per connection taken).
        with unit_of_work(services.engine) as conn:
            record = match_person(conn, query, tz)
            if record is None:
                return None
            signer = key_store(services.settings).active_signer()
            issued = issue_in(conn, signer, record.person_id, actor=portal_actor(source), tz=tz)
    except (NoSigningKey, NoCertifiableDose) as exc:
        raise CertificateUnavailable(type(exc).__name__) from exc
    return Issued(record, issued.hc1, issued.issued_at, issued.expires_at)
