"""The portal's verifier: one code checked against the app's own trust list, and audited.

The trust list is the key folder's public certificates (data.certificates.keys.KeyStore):
every signer the app ever had, so a certificate signed before a key rotation still verifies.
The certificates module audits each check (data.certificates.checks: the outcome and the
certificate's identifier, never its personal content); the actor is the portal, with the
client's address.
"""

from __future__ import annotations

import datetime as dt

from data import audit
from data.certificates.checks import verify_and_record
from data.certificates.issue import key_store
from data.certificates.verify import Verification
from data.services import Services

# The audit's actor for anonymous portal visitors (the address says from where).
PORTAL_ACTOR = "portal"


def portal_actor(source: str | None) -> audit.Actor:
    """The audit actor of an anonymous portal request from `source` (a client address)."""
    return audit.Actor(user_id=None, username=PORTAL_ACTOR, source=(source or "")[:64] or None)


def verify_code(services: Services, text: str, source: str | None,
                at: dt.datetime | None = None) -> Verification:
    """Check `text` (a QR code's content) against the app's trust list; audited."""
    trust = key_store(services.settings).trust_list()
    return verify_and_record(services.engine, text.strip(), trust, portal_actor(source), at)
