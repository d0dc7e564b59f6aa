"""Verification through the web or the API: each one is audited (who asked, the outcome, the
certificate's UVCI), never the person's data the certificate carries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from data import audit
from data.certificates.trust import TrustList
from data.certificates.verify import Verification, verify_hc1
from data.db import unit_of_work


def uvci_of(res: Verification) -> str | None:
    """The certificate's identifier (its entry's `ci`), when it could be read."""
    for group in ("v", "t", "r"):
        entries = (res.hcert or {}).get(group)
        if isinstance(entries, list) and entries and isinstance(entries[0], dict):
            ci = entries[0].get("ci")
            return ci[:80] if isinstance(ci, str) else None
    return None


def verify_and_record(engine: Engine, text: str, trust: TrustList, actor: audit.Actor,
                      at: dt.datetime | None = None) -> Verification:
    """verify_hc1, then one audit entry (action VERIFY) in its own short transaction."""
    res = verify_hc1(text, trust, at)
    with unit_of_work(engine) as conn:
        audit.record(conn, actor, "VERIFY", "certificate_issue", uvci_of(res),
                     detail={"verified": res.verified, "expired": res.expired,
                             "reason": res.reason, "kid": res.kid})
    return res
