"""The registry of issued COVID certificates (data/certificates/issue.py): which UVCI was
signed for whom, with which key, valid when. No name, birth date or document: the person id is
the link to the operational records the certificate was made from (re-issue, audit)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class CertificateIssue(Base):
    """One certificate: a UVCI is issued once; a re-issue after expiry gets a new one."""

    __tablename__ = "certificate_issue"
    # A person's certificates, newest first: the look-up reuses a still-valid one.
    __table_args__ = (Index("ix_certificate_issue_person_id_issued_at", "person_id",
                            "issued_at"),)
    uvci: Mapped[str] = mapped_column(String(80), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(20))
    # The dose (injection.record_id) the certificate attests: a later dose needs a new one.
    record_id: Mapped[str] = mapped_column(String(64))
    kid: Mapped[str] = mapped_column(String(16))  # hex of the signer's 8-byte key id
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
