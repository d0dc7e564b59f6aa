"""Star schema: conformed dimensions and facts. No names, ID numbers or phones here."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class DimDate(Base):
    __tablename__ = "dim_date"
    date_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    quarter: Mapped[int] = mapped_column(SmallInteger)
    month: Mapped[int] = mapped_column(SmallInteger)
    iso_week: Mapped[int] = mapped_column(SmallInteger)
    day_of_week: Mapped[int] = mapped_column(SmallInteger)
    is_weekend: Mapped[bool] = mapped_column(Boolean)


class DimGeography(Base):
    """Ward -> district -> province; one extra row per district for 'ward not given'."""

    __tablename__ = "dim_geography"
    geo_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    level: Mapped[str] = mapped_column(String(8))
    ward_code: Mapped[str | None] = mapped_column(String(5))
    ward_name: Mapped[str | None] = mapped_column(String(100))
    district_code: Mapped[str] = mapped_column(String(3), index=True)
    district_name: Mapped[str] = mapped_column(String(100))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    province_name: Mapped[str] = mapped_column(String(100))
    district_population: Mapped[int | None] = mapped_column(BigInteger)
    province_population: Mapped[int | None] = mapped_column(BigInteger)


class DimFacility(Base):
    __tablename__ = "dim_facility"
    facility_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    district_code: Mapped[str] = mapped_column(String(3))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    daily_capacity: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(12))


class DimWarehouse(Base):
    __tablename__ = "dim_warehouse"
    warehouse_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[str | None] = mapped_column(String(2))
    district_code: Mapped[str | None] = mapped_column(String(3))
    facility_code: Mapped[str | None] = mapped_column(String(32))


class DimVaccine(Base):
    __tablename__ = "dim_vaccine"
    vaccine_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    vaccine_code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    platform: Mapped[str] = mapped_column(String(40))
    series_doses: Mapped[int] = mapped_column(SmallInteger)


class DimDose(Base):
    __tablename__ = "dim_dose"
    dose_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    dose_kind: Mapped[str] = mapped_column(String(12))
    dose_number: Mapped[int] = mapped_column(SmallInteger)


class DimPopulationGroup(Base):
    """Priority group x age band x sex."""

    __tablename__ = "dim_population_group"
    group_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    priority_group: Mapped[int] = mapped_column(SmallInteger)
    age_band: Mapped[str] = mapped_column(String(8))
    sex: Mapped[str] = mapped_column(String(1))


class FctInjection(Base):
    """One row per dose counted; ENTERED_IN_ERROR doses have no row."""

    __tablename__ = "fct_injection"
    # BRIN on PostgreSQL (migration 0008): rows arrive in date order.
    __table_args__ = (
        Index("ix_fct_injection_date_key", "date_key", postgresql_using="brin"),
    )
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    date_key: Mapped[int] = mapped_column(Integer)
    geo_key: Mapped[int] = mapped_column(Integer)
    facility_key: Mapped[int] = mapped_column(Integer)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger)
    dose_key: Mapped[int] = mapped_column(SmallInteger)
    group_key: Mapped[int] = mapped_column(SmallInteger)
    lot_number: Mapped[str] = mapped_column(String(40))
    is_first: Mapped[bool] = mapped_column(Boolean)
    is_full: Mapped[bool] = mapped_column(Boolean)
    is_booster: Mapped[bool] = mapped_column(Boolean)


class FctStockMovement(Base):
    __tablename__ = "fct_stock_movement"
    movement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    date_key: Mapped[int] = mapped_column(Integer, index=True)
    warehouse_key: Mapped[int] = mapped_column(Integer, index=True)
    counterparty_key: Mapped[int | None] = mapped_column(Integer)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger)
    lot_number: Mapped[str] = mapped_column(String(40))
    expiry_date_key: Mapped[int] = mapped_column(Integer)
    movement_type: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(16))
    doses: Mapped[int] = mapped_column(BigInteger)  # signed change of the stock on hand


class FctAllocation(Base):
    __tablename__ = "fct_allocation"
    allocation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    date_key: Mapped[int] = mapped_column(Integer, index=True)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger)
    recipient_code: Mapped[str] = mapped_column(String(3))
    recipient_level: Mapped[str] = mapped_column(String(8))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    decision_no: Mapped[str] = mapped_column(String(60))
    batch: Mapped[str | None] = mapped_column(String(60))
    doses: Mapped[int] = mapped_column(BigInteger)


class FctAefi(Base):
    __tablename__ = "fct_aefi"
    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64))
    onset_date_key: Mapped[int] = mapped_column(Integer)
    report_date_key: Mapped[int] = mapped_column(Integer, index=True)
    geo_key: Mapped[int] = mapped_column(Integer)
    facility_key: Mapped[int] = mapped_column(Integer)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger)
    dose_key: Mapped[int] = mapped_column(SmallInteger)
    group_key: Mapped[int] = mapped_column(SmallInteger)
    lot_number: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(8))
    is_serious: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(24))
    classification: Mapped[str | None] = mapped_column(String(16))


class FctRegistration(Base):
    __tablename__ = "fct_registration"
    registration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    date_key: Mapped[int] = mapped_column(Integer)
    geo_key: Mapped[int] = mapped_column(Integer)
    group_key: Mapped[int] = mapped_column(SmallInteger)
