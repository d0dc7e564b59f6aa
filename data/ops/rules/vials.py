"""Doses per vial by product (sets/vials.yaml): what an opened vial holds, for the open-vial
wastage of a session's tally."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from data.ops.rules.errors import RuleError
from data.ops.rules.schedule_data import PRODUCT_CODES
from data.ops.rules.sets_io import read_set

FILE = "vials.yaml"


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Vial(_Data):
    """One product's vials: the usual size, every size it comes in, and where that is read."""

    doses_per_vial: int = Field(ge=1, le=50)
    presentations: tuple[int, ...] = Field(min_length=1)
    source: str = Field(min_length=10)

    @model_validator(mode="after")
    def _usual_is_a_presentation(self) -> Vial:
        if self.doses_per_vial not in self.presentations:
            raise ValueError("doses_per_vial must be one of the presentations")
        return self


class VialSet(_Data):
    """The whole file: a version, what to check, and a vial per product of the catalogue."""

    id: str
    version: dt.date  # the day this version of the data was written
    description: dict[str, str]
    to_check: tuple[str, ...] = ()
    products: dict[str, Vial]

    @model_validator(mode="after")
    def _every_product(self) -> VialSet:
        if set(self.products) != PRODUCT_CODES:
            raise ValueError(f"products must be exactly {sorted(PRODUCT_CODES)}")
        return self


@lru_cache(maxsize=1)
def vial_set() -> VialSet:
    """The shipped vial data, read and checked once."""
    return VialSet.model_validate(read_set(FILE))


def doses_per_vial(vaccine_code: str, asked: int | None = None) -> int:
    """What one vial of the product holds: `asked` when it is one of the product's
    presentations (a lot of 8-dose AZ vials), else the product's usual vial.

    RuleError("vials.product") for a code outside the catalogue, ("vials.presentation") for a
    size the product does not come in."""
    vial = vial_set().products.get(vaccine_code)
    if vial is None:
        raise RuleError("vials.product", "vaccine_code", vaccine_code)
    if asked is None:
        return vial.doses_per_vial
    if asked not in vial.presentations:
        raise RuleError("vials.presentation", "doses_per_vial",
                        ", ".join(map(str, vial.presentations)))
    return asked


def wasted(vials_opened: int, per_vial: int, given: int) -> int:
    """Open-vial wastage: the doses the opened vials held that nobody received.

    RuleError("close.too_many_given") when more doses were given than the vials held: the
    count of vials (or of doses) is wrong, and wastage would be negative."""
    held = vials_opened * per_vial
    if given > held:
        raise RuleError("close.too_many_given", "vials_opened",
                        f"{given} > {vials_opened} × {per_vial}")
    return held - given
