"""What citizens report themselves (the portal and the health-book app): reactions after a
dose and the daily health declaration (data.citizen).

Operational tables: personal data (the identity number) stays here and in the AEFI intake;
the command center reads agg_health_declaration_daily only, which carries counts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base

CHANNELS = ("PORTAL", "APP")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class VaxAefiSelfReport(Base):
    """The marker of a self-reported AEFI report (aefi_report.report_id, no foreign key: the
    report loader replaces rows wholesale, as for vax_aefi_staff_report): which channel it
    came by and the person's own words, the coded reactions and free text apart."""

    __tablename__ = "vax_aefi_self_report"
    __table_args__ = (CheckConstraint(_one_of("channel", CHANNELS), name="channel"),)
    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The dose reported on: its person can report a dose only a few times (data.citizen).
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(8))
    reaction_codes: Mapped[str | None] = mapped_column(String(600))  # ';'-separated
    reaction_text: Mapped[str | None] = mapped_column(Text)
    hospitalised: Mapped[bool] = mapped_column(Boolean)
    onset_date: Mapped[dt.date] = mapped_column(Date)
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VaxHealthDeclaration(Base):
    """One person's health declaration of one day (local date); a second one the same day
    replaces it (data.citizen.declaration). province_code is the person's province of
    residence when declared: the rollup's cell, kept so a replacement moves the same cell."""

    __tablename__ = "vax_health_declaration"
    __table_args__ = (
        CheckConstraint(_one_of("channel", CHANNELS), name="channel"),
        CheckConstraint("travel OR travel_province IS NULL", name="travel_province"),
        Index("ix_vax_health_declaration_day_province", "day", "province_code"),
    )
    person_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2))
    symptom_codes: Mapped[str | None] = mapped_column(String(300))  # ';'-separated
    contact: Mapped[bool] = mapped_column(Boolean)
    travel: Mapped[bool] = mapped_column(Boolean)
    travel_province: Mapped[str | None] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(8))
    declared_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AggHealthDeclarationDaily(Base):
    """Declarations per day x province of residence: all, with any symptom, with a close
    contact, with travel. Kept by the declaration's own write (no personal data)."""

    __tablename__ = "agg_health_declaration_daily"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    declarations: Mapped[int] = mapped_column(Integer)
    with_symptoms: Mapped[int] = mapped_column(Integer)
    with_contact: Mapped[int] = mapped_column(Integer)
    with_travel: Mapped[int] = mapped_column(Integer)
