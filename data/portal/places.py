"""What the portal's place dropdowns offer: the GSO units (public) and a district's active
facilities (public: names and codes only)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from data import admin_units
from data.models.reference import Facility

FACILITIES = Facility.__table__
MAX_FACILITIES = 300


def provinces() -> list[tuple[str, str]]:
    """(code, name) of every province, by name."""
    return sorted(((u.code, u.label) for u in admin_units.provinces().values()),
                  key=lambda x: x[1])


def districts_of(province: object) -> list[tuple[str, str]]:
    """(code, name) of a province's districts, by name ([] for an unknown province)."""
    return sorted(((u.code, u.label) for u in admin_units.districts().values()
                   if u.parent_code == province), key=lambda x: x[1])


def wards_of(district: object) -> list[tuple[str, str]]:
    """(code, name) of a district's wards, by name ([] for an unknown district)."""
    return sorted(((u.code, u.label) for u in admin_units.wards().values()
                   if u.parent_code == district), key=lambda x: x[1])


def active_facilities(engine: Engine, district: object) -> list[tuple[str, str]]:
    """(code, name) of a district's ACTIVE facilities (the ones that hold sessions)."""
    if not isinstance(district, str) or not district.isdigit() or len(district) != 3:
        return []
    f = FACILITIES.c
    with engine.connect() as conn:
        return [(c, n) for c, n in conn.execute(
            select(f.code, f.name).where(f.district_code == district, f.status == "ACTIVE")
            .order_by(f.name).limit(MAX_FACILITIES)).all()]
