"""AEFI case management: who reported a staff form's report, and the serious case's workflow.

The report itself lives in aefi_report and fct_aefi (the interchange contract's columns,
written through the aefi kind's rules and loader); these tables hold what the contract has
no column for. No foreign key to aefi_report: its loader replaces rows wholesale (a
corrected file row, the council's classification), as injections and facilities are.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base

# A serious report with no vax_aefi_case row is REPORTED; the district's investigation
# writes the row, the provincial council's classification completes it.
AEFI_CASE_STATUSES = ("INVESTIGATED", "CLASSIFIED")


class VaxAefiStaffReport(Base):
    """The WHO core variables of a staff form's report the contract has no column for: the
    reporter, the coded symptoms and the free text (the contract's symptoms cell joins them)."""

    __tablename__ = "vax_aefi_staff_report"
    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64))
    # The signed-in user who entered the form, and the reporter as the WHO form names them.
    entered_by: Mapped[int] = mapped_column(Integer)
    entered_by_name: Mapped[str] = mapped_column(String(64))
    reporter_name: Mapped[str] = mapped_column(String(200))
    reporter_title: Mapped[str | None] = mapped_column(String(120))
    reporter_phone: Mapped[str | None] = mapped_column(String(15))
    symptom_codes: Mapped[str | None] = mapped_column(String(600))  # ';'-separated
    symptom_text: Mapped[str | None] = mapped_column(Text)
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VaxAefiCase(Base):
    """A serious report's investigation (the district's step) and causality classification
    (the provincial AEFI council's step), each signed by the named user who did it."""

    __tablename__ = "vax_aefi_case"
    __table_args__ = (
        CheckConstraint(
            f"status IN ({', '.join(repr(s) for s in AEFI_CASE_STATUSES)})", name="status"),
        # A classified case carries its category, its council and its signature.
        CheckConstraint("status <> 'CLASSIFIED' OR (causality IS NOT NULL AND classified_by "
                        "IS NOT NULL AND council_decided_on IS NOT NULL)", name="classified"),
    )
    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    # The dose's facility and where it lay when the investigation was signed (the record of
    # whose scope it was; the steps check the facility's place as it is now).
    facility_code: Mapped[str] = mapped_column(String(32))
    province_code: Mapped[str] = mapped_column(String(2))
    district_code: Mapped[str] = mapped_column(String(3))
    investigated_on: Mapped[dt.date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    investigated_by: Mapped[int] = mapped_column(Integer)
    investigated_by_name: Mapped[str] = mapped_column(String(64))
    investigation_signed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    causality: Mapped[str | None] = mapped_column(String(16))  # data.ops.rules.causality
    council_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    council_note: Mapped[str | None] = mapped_column(Text)
    classified_by: Mapped[int | None] = mapped_column(Integer)
    classified_by_name: Mapped[str | None] = mapped_column(String(64))
    classification_signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
