"""De-duplication of the registry: which registrations were merged into which, by whom.

Operational tables (personal data allowed): `merged_rows` keeps the merged-away rows as they
were, so a merge can be read back (and undone by hand) after the rows themselves are gone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class VaxRegistrationMerge(Base):
    """One merge: the registration kept, the ones merged into it and the fields it kept."""

    __tablename__ = "vax_registration_merge"
    merge_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(20), index=True)
    kept_registration_id: Mapped[str] = mapped_column(String(64), index=True)
    merged_ids: Mapped[list[str]] = mapped_column(JSON)
    # field -> {"value": ..., "from": registration_id}: what the kept row holds after the merge.
    kept_fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    merged_rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    bookings_moved: Mapped[int] = mapped_column(Integer)
    province_code: Mapped[str] = mapped_column(String(2))
    district_code: Mapped[str] = mapped_column(String(3))
    merged_by: Mapped[int] = mapped_column(Integer)
    merged_by_name: Mapped[str] = mapped_column(String(64))
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VaxRegistrationMerged(Base):
    """A merged-away registration id and where it went: a file bringing the id back is
    refused (data.interchange.kinds.registrations), a search for it finds the kept one."""

    __tablename__ = "vax_registration_merged"
    registration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    merge_id: Mapped[str] = mapped_column(
        ForeignKey("vax_registration_merge.merge_id", ondelete="CASCADE"), index=True)
    kept_registration_id: Mapped[str] = mapped_column(String(64))
