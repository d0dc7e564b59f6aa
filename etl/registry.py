"""The interchange kinds: required columns, prefetch, transform (pure) and loader."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from data.bulk import LoadCounts, Progress
from data.interchange.kinds import aefi, allocations, injections, reference, registrations, stock
from data.interchange.kinds.base import Parts, Transformed
from data.interchange.validate import Validator
from data.loaders.injections import apply_injections
from data.loaders.reference import apply_facilities, apply_population, apply_warehouses
from data.loaders.simple import apply_aefi, apply_allocations, apply_registrations
from data.loaders.stock import apply_stock_movements
from data.lookups import RefContext

Transform = Callable[[Validator, RefContext, Any], Transformed]
Prefetch = Callable[[Connection, pd.DataFrame, RefContext], Any]
Apply = Callable[[Connection, pd.DataFrame, int, Progress | None], LoadCounts]
Split = Callable[[pd.DataFrame, int], Parts]
ApplyParts = Callable[
    [Connection, Iterable[pd.DataFrame], tuple[str, str] | None, int, Progress | None],
    LoadCounts]


@dataclass(frozen=True)
class PartLoader:
    """How a kind loads a large file part by part: the next part is validated while the
    database takes the one before (etl.pipeline)."""

    split: Split
    apply: ApplyParts


@dataclass(frozen=True)
class Kind:
    """One interchange file kind: its rows load whole (`apply`) or part by part (`parts`)."""

    name: str
    required: list[str]
    transform: Transform
    apply: Apply | None = None
    prefetch: Prefetch | None = None
    parts: PartLoader | None = None

    def __post_init__(self) -> None:
        if (self.apply is None) == (self.parts is None):
            raise ValueError(f"{self.name}: give exactly one of apply and parts")


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("facilities", reference.FACILITY_REQUIRED, reference.transform_facilities,
             apply_facilities),
        Kind("warehouses", reference.WAREHOUSE_REQUIRED, reference.transform_warehouses,
             apply_warehouses),
        Kind("population", reference.POPULATION_REQUIRED, reference.transform_population,
             apply_population),
        Kind("allocations", allocations.REQUIRED, allocations.transform, apply_allocations),
        Kind("stock_movements", stock.REQUIRED, stock.transform, apply_stock_movements,
             stock.prefetch),
        Kind("registrations", registrations.REQUIRED, registrations.transform,
             apply_registrations, registrations.prefetch),
        Kind("injections", injections.REQUIRED, injections.transform,
             parts=PartLoader(injections.split, apply_injections)),
        Kind("aefi", aefi.REQUIRED, aefi.transform, apply_aefi, aefi.prefetch),
    )
}
