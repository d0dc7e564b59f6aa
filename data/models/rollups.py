"""Rollups the dashboards read, kept in step with the facts by the ETL's deltas."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class AggDosesDaily(Base):
    """National doses per day x vaccine x dose."""

    __tablename__ = "agg_doses_daily"
    date_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    dose_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    doses: Mapped[int] = mapped_column(BigInteger)


class AggDosesDailyProvince(Base):
    """Doses per day x province (of residence) x dose."""

    __tablename__ = "agg_doses_daily_province"
    date_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    dose_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    doses: Mapped[int] = mapped_column(BigInteger)


class AggDosesDistrict(Base):
    """Doses per district (of residence) x vaccine x dose, all time."""

    __tablename__ = "agg_doses_district"
    district_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    dose_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    doses: Mapped[int] = mapped_column(BigInteger)


class AggDosesGroup(Base):
    """Doses per province x population group x vaccine x dose, all time."""

    __tablename__ = "agg_doses_group"
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    group_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    dose_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    doses: Mapped[int] = mapped_column(BigInteger)


class AggDosesFacilityDaily(Base):
    """Doses per facility (where given) x day: facility performance and stock use."""

    __tablename__ = "agg_doses_facility_daily"
    facility_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    date_key: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    doses: Mapped[int] = mapped_column(BigInteger)


class AggDosesLot(Base):
    """Doses per vaccine x lot: the denominator of AEFI rates per lot."""

    __tablename__ = "agg_doses_lot"
    vaccine_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    lot_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    doses: Mapped[int] = mapped_column(BigInteger)


class AggStockOnHand(Base):
    """Doses on hand per warehouse x vaccine x lot."""

    __tablename__ = "agg_stock_on_hand"
    warehouse_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    vaccine_key: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    lot_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    doses: Mapped[int] = mapped_column(BigInteger)
