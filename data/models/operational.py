"""Operational records as received: the only tables that hold personal data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class Injection(Base):
    __tablename__ = "injection"
    # The invitation list's people due a next dose: a district's doses (0015).
    # A lot's doses, sessions and AEFI cases (data.ops.queries.lot_trace, 0018).
    __table_args__ = (Index("ix_injection_province_code_district_code", "province_code",
                            "district_code"),
                      Index("ix_injection_vaccine_code_lot_number", "vaccine_code",
                            "lot_number"))
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    # Indexed again (0010, after 0006 dropped it): check-in finds a person's earlier doses.
    person_id: Mapped[str] = mapped_column(String(20), index=True)
    id_type: Mapped[str] = mapped_column(String(10))
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(15))
    priority_group: Mapped[int] = mapped_column(Integer)
    province_code: Mapped[str] = mapped_column(String(2))
    district_code: Mapped[str] = mapped_column(String(3))
    ward_code: Mapped[str | None] = mapped_column(String(5))
    facility_code: Mapped[str] = mapped_column(String(32))
    vaccine_code: Mapped[str] = mapped_column(String(8))
    lot_number: Mapped[str] = mapped_column(String(40))
    dose_kind: Mapped[str] = mapped_column(String(12))
    dose_number: Mapped[int] = mapped_column(Integer)
    administered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    vaccinator: Mapped[str | None] = mapped_column(String(120))
    row_hash: Mapped[int] = mapped_column(BigInteger)


class Registration(Base):
    __tablename__ = "registration"
    # The invitation list's first doses: a district's registrations, by priority group (0015).
    __table_args__ = (
        Index("ix_registration_province_code_district_code_priority_group",
              "province_code", "district_code", "priority_group"),
        # The registrations page (0018): a district's list newest first, its duplicates by
        # identity number, and a name's first letters (a prefix LIKE: pattern ops on PostgreSQL).
        Index("ix_registration_place_registered_at", "province_code", "district_code",
              "registered_at", "registration_id"),
        Index("ix_registration_place_person_id", "province_code", "district_code", "person_id"),
        Index("ix_registration_place_full_name", "province_code", "district_code", "full_name",
              postgresql_ops={"full_name": "varchar_pattern_ops"}),
    )
    registration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(20), index=True)
    id_type: Mapped[str] = mapped_column(String(10))
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str] = mapped_column(String(15), index=True)  # check-in finds by phone
    priority_group: Mapped[int] = mapped_column(Integer)
    province_code: Mapped[str] = mapped_column(String(2))
    district_code: Mapped[str] = mapped_column(String(3))
    ward_code: Mapped[str | None] = mapped_column(String(5))
    address: Mapped[str | None] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(200))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    row_hash: Mapped[int] = mapped_column(BigInteger)


class StockMovement(Base):
    __tablename__ = "stock_movement"
    __table_args__ = (
        # The ledger's reads of one lot at one warehouse up to a moment (balance at a date,
        # stock card, the back-dated check): data.ops.queries.stock_ledger.
        Index("ix_stock_movement_lot_at", "warehouse_code", "vaccine_code", "lot_number",
              "occurred_at"),
        # A lot at every warehouse: its trace (data.ops.queries.lot_trace, 0018).
        Index("ix_stock_movement_vaccine_code_lot_number", "vaccine_code", "lot_number"),
    )
    movement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    warehouse_code: Mapped[str] = mapped_column(String(40), index=True)
    movement_type: Mapped[str] = mapped_column(String(16))
    counterparty_code: Mapped[str | None] = mapped_column(String(40))
    vaccine_code: Mapped[str] = mapped_column(String(8))
    lot_number: Mapped[str] = mapped_column(String(40))
    expiry_date: Mapped[dt.date] = mapped_column(Date)
    doses: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(16))
    row_hash: Mapped[int] = mapped_column(BigInteger)


class Allocation(Base):
    __tablename__ = "allocation"
    allocation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision_no: Mapped[str] = mapped_column(String(60))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    vaccine_code: Mapped[str] = mapped_column(String(8))
    recipient_code: Mapped[str] = mapped_column(String(3))
    doses: Mapped[int] = mapped_column(BigInteger)
    batch: Mapped[str | None] = mapped_column(String(60))
    row_hash: Mapped[int] = mapped_column(BigInteger)


class AefiReport(Base):
    __tablename__ = "aefi_report"
    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), index=True)
    onset_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    severity: Mapped[str] = mapped_column(String(8))
    seriousness: Mapped[str | None] = mapped_column(String(200))
    symptoms: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(24))
    classification: Mapped[str | None] = mapped_column(String(16))
    facility_code: Mapped[str] = mapped_column(String(32))
    row_hash: Mapped[int] = mapped_column(BigInteger)
