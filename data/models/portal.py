"""The public portal's own operational rows (personal data allowed, never in the star schema).

`portal_registration` holds one row per identity number registered through the portal: its
primary key is what refuses a second self-registration of the same identity, also when two
arrive at the same moment (the second insert waits for the first and then fails). The
registration itself is a row of `registration`, written through the contract's rules.

`portal_challenge_used` remembers the challenges already answered, so a solved challenge
cannot be sent again (data.portal.challenge).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class PortalRegistration(Base):
    """An identity number registered on the portal, and the registration it made."""

    __tablename__ = "portal_registration"
    person_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    registration_id: Mapped[str] = mapped_column(String(64), unique=True)
    # The facility the person would rather be vaccinated at (not a column of the contract).
    facility_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PortalChallengeUsed(Base):
    """A challenge nonce already answered (kept until it has expired anyway)."""

    __tablename__ = "portal_challenge_used"
    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    used_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
