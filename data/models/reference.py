"""Reference data: administrative units, catalogue, facilities, warehouses, denominators."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class Province(Base):
    __tablename__ = "ref_province"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_with_type: Mapped[str] = mapped_column(String(100))


class District(Base):
    __tablename__ = "ref_district"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("ref_province.code"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_with_type: Mapped[str] = mapped_column(String(100))


class Ward(Base):
    __tablename__ = "ref_ward"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("ref_district.code"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_with_type: Mapped[str] = mapped_column(String(100))


class VaccineProduct(Base):
    __tablename__ = "ref_vaccine"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    platform: Mapped[str] = mapped_column(String(40))
    series_doses: Mapped[int] = mapped_column(Integer)
    min_interval_days: Mapped[int] = mapped_column(Integer)


class Facility(Base):
    __tablename__ = "facility"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    district_code: Mapped[str] = mapped_column(String(3), index=True)
    ward_code: Mapped[str | None] = mapped_column(String(5))
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    daily_capacity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    row_hash: Mapped[int] = mapped_column(BigInteger)
    # Why the facility was refused or suspended (/ops/facilities); not a column of the
    # facilities file, so a file's row leaves it empty.
    status_reason: Mapped[str | None] = mapped_column(String(300))


class Warehouse(Base):
    __tablename__ = "warehouse"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[str | None] = mapped_column(String(2))
    district_code: Mapped[str | None] = mapped_column(String(3))
    facility_code: Mapped[str | None] = mapped_column(String(32))
    capacity_litres: Mapped[float | None] = mapped_column(Float)
    row_hash: Mapped[int] = mapped_column(BigInteger)


class Population(Base):
    """Denominators of every coverage figure, per province or district and year."""

    __tablename__ = "population"
    area_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger)
    age_18_plus: Mapped[int | None] = mapped_column(BigInteger)
    age_12_17: Mapped[int | None] = mapped_column(BigInteger)
    age_5_11: Mapped[int | None] = mapped_column(BigInteger)
    age_65_plus: Mapped[int | None] = mapped_column(BigInteger)
    row_hash: Mapped[int] = mapped_column(BigInteger)
