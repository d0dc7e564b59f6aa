"""The portal's chained place dropdowns (province -> district -> ward / facility)."""

from __future__ import annotations

from typing import Any

from data.portal import places
from data.services import Services

Options = list[dict[str, str]]


def _options(pairs: list[tuple[str, str]]) -> Options:
    return [{"label": name, "value": code} for code, name in pairs]


def province_options() -> Options:
    """Every province."""
    return _options(places.provinces())


def district_options(province: Any) -> Options:
    """The districts of the chosen province ([] when none is chosen)."""
    return _options(places.districts_of(province)) if isinstance(province, str) else []


def ward_options(district: Any) -> Options:
    """The wards of the chosen district ([] when none is chosen)."""
    return _options(places.wards_of(district)) if isinstance(district, str) else []


def facility_options(services: Services, district: Any) -> Options:
    """The active facilities of the chosen district."""
    return _options(places.active_facilities(services.engine, district))
