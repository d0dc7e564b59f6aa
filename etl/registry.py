"""The interchange kinds: required columns, transform (pure) and loader (write side)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from data.bulk import LoadCounts, Progress
from data.loaders.injections import apply_injections
from data.loaders.reference import apply_facilities, apply_population, apply_warehouses
from data.lookups import RefContext
from etl.kinds import injections, reference
from etl.kinds.base import Transformed
from etl.validate import Validator

Transform = Callable[[Validator, RefContext], Transformed]
Apply = Callable[[Connection, pd.DataFrame, int, Progress | None], LoadCounts]


@dataclass(frozen=True)
class Kind:
    """One interchange file kind."""

    name: str
    required: list[str]
    transform: Transform
    apply: Apply


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("facilities", reference.FACILITY_REQUIRED, reference.transform_facilities,
             apply_facilities),
        Kind("warehouses", reference.WAREHOUSE_REQUIRED, reference.transform_warehouses,
             apply_warehouses),
        Kind("population", reference.POPULATION_REQUIRED, reference.transform_population,
             apply_population),
        Kind("injections", injections.REQUIRED, injections.transform, apply_injections),
    )
}
