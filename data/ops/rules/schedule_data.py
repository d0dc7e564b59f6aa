"""The schedule rules as data (sets/schedule.yaml): pydantic models and look-ups by date."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from data.ops.rules.sets_io import read_set

# The codes of docs/interchange.md, "Vaccine products".
PRODUCT_CODES = frozenset({"AZ", "SPV", "VRC", "PFZ", "MOD", "JNJ", "HYT", "ABD", "CVX"})


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def add_months(day: date, months: int) -> date:
    """`day` plus calendar months; the 31st becomes the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The date `years` after `day` (a 29 February birthday falls on 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


class Span(_Data):
    """A waiting time: days, or calendar months."""

    days: int = Field(default=0, ge=0)
    months: int = Field(default=0, ge=0)

    def after(self, day: date) -> date:
        """The first date this span after `day`."""
        return date.fromordinal(add_months(day, self.months).toordinal() + self.days)


class Gap(_Data):
    """The interval before one dose of a primary series."""

    min: Span
    recommended: Span
    max: Span | None = None


class _Dated(_Data):
    effective_from: date
    source: str = Field(min_length=1)


class ProductVersion(_Dated):
    """A product's primary series, as in force from `effective_from`."""

    doses: int = Field(ge=1)
    gaps: list[Gap]
    min_age_years: int = Field(ge=0)
    max_age_years: int | None = None

    @model_validator(mode="after")
    def _gap_count(self) -> ProductVersion:
        if len(self.gaps) != self.doses - 1:
            raise ValueError(f"{self.doses} doses need {self.doses - 1} gaps")
        return self


class Product(_Data):
    code: str
    name: str
    platform: str
    versions: list[ProductVersion] = Field(min_length=1)


class Mixing(_Dated):
    next_dose: dict[str, list[str]]  # previous dose's product -> products allowed next


class AdditionalVersion(_Dated):
    after: Span
    min_age_years: int = Field(ge=0)
    products: list[str] = Field(min_length=1)
    for_primary_products: list[str]  # a primary series wholly of these needs the dose
    for_immunocompromised: bool


class Additional(_Data):
    versions: list[AdditionalVersion] = Field(min_length=1)


class BoosterVersion(_Dated):
    after: Span
    min_age_years: int = Field(ge=0)
    products: list[str] = Field(min_length=1)


class Booster(_Data):
    number: int = Field(ge=1)
    versions: list[BoosterVersion] = Field(min_length=1)


class Schedule(_Data):
    """All schedule rules, every version of each."""

    id: str
    description: dict[str, str]
    to_check: list[str]
    campaign_start: date
    products: list[Product]
    mixing: list[Mixing] = Field(min_length=1)
    additional: Additional
    boosters: list[Booster]

    @model_validator(mode="after")
    def _codes(self) -> Schedule:
        codes = [p.code for p in self.products]
        if set(codes) != PRODUCT_CODES or len(codes) != len(PRODUCT_CODES):
            raise ValueError(f"products {sorted(codes)} are not the interchange catalogue")
        named = [c for m in self.mixing for k, v in m.next_dose.items() for c in [k, *v]]
        named += [c for v in self.additional.versions for c in v.products + v.for_primary_products]
        named += [c for b in self.boosters for v in b.versions for c in v.products]
        if unknown := set(named) - PRODUCT_CODES:
            raise ValueError(f"unknown product codes {sorted(unknown)}")
        if [b.number for b in self.boosters] != list(range(1, len(self.boosters) + 1)):
            raise ValueError("boosters are numbered 1, 2, ... in order")
        return self

    def product(self, code: str) -> Product:
        """The product with this code."""
        return next(p for p in self.products if p.code == code)

    def breakpoints(self) -> list[date]:
        """Every date on which some rule changes, sorted."""
        days = {self.campaign_start}
        days |= {v.effective_from for p in self.products for v in p.versions}
        days |= {m.effective_from for m in self.mixing}
        days |= {v.effective_from for v in self.additional.versions}
        days |= {v.effective_from for b in self.boosters for v in b.versions}
        return sorted(days)


class _HasStart(Protocol):
    @property
    def effective_from(self) -> date: ...


V = TypeVar("V", bound=_HasStart)


def in_force(versions: Sequence[V], day: date) -> V | None:
    """The version in force on `day`: the latest that started on or before it."""
    started = [v for v in versions if v.effective_from <= day]
    return max(started, key=lambda v: v.effective_from) if started else None


@lru_cache(maxsize=1)
def schedule() -> Schedule:
    """The schedule rules shipped in sets/schedule.yaml."""
    return Schedule.model_validate(read_set("schedule.yaml"))
