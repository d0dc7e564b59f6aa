"""Response bodies of the public figures (GET /api/v1/public/figures, no token).

A figure under the small-cell threshold is null and named in its row's "suppressed".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PublicQuery(BaseModel):
    """The CSV's language (default: the configured one); other parameters are ignored, so a
    link with tracking parameters still opens."""

    model_config = ConfigDict(extra="ignore")
    lang: Literal["vi", "en"] | None = None


class Suppressed(BaseModel):
    suppressed: list[str] = Field(description="figures of this row under the threshold")


class NationalFigures(Suppressed):
    doses: int | None
    today_doses: int | None
    last_day_doses: int | None
    dose1: int | None
    fully: int | None
    booster: int | None
    registrations: int | None
    pct_dose1: float | None
    pct_fully: float | None
    pct_booster: float | None
    population: int
    today: str
    last_date: str | None


class ProvinceFigures(Suppressed):
    province_code: str
    province_name: str
    population: int | None
    doses: int | None
    dose1: int | None
    fully: int | None
    booster: int | None
    pct_dose1: float | None
    pct_fully: float | None
    pct_booster: float | None


class VaccineFigures(Suppressed):
    vaccine_code: str
    vaccine_name: str
    allocated: int | None
    received: int | None


class AefiFigures(Suppressed):
    doses: int | None
    cases: int | None
    serious: int | None
    rate_per_100k: float | None
    serious_per_100k: float | None


class AefiProvince(AefiFigures):
    province_code: str
    province_name: str


class AefiSection(BaseModel):
    national: AefiFigures
    provinces: list[AefiProvince]


class Licence(BaseModel):
    vi: str
    en: str


class PublicFigures(BaseModel):
    """Doses, coverage by province, vaccine allocated and received, registrations, AEFI rates
    per 100,000 doses: the command center's figures, small cells suppressed."""

    version: int
    as_of: str
    min_cell: int
    licence: Licence
    national: NationalFigures
    provinces: list[ProvinceFigures]
    vaccines: list[VaccineFigures]
    aefi: AefiSection
