"""Drill-down below the province is limited to the caller's area, in the data layer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import text

from data import aggregates
from data.auth.roles import SYSTEM, Forbidden, Grant, Principal, Role
from data.services import Services, build_services
from data.settings import Settings

PROVINCE_79 = Principal(2, "tinh79", "Tỉnh 79", (Grant(Role.PROVINCE_OFFICER, "PROVINCE", "79",
                                                       province_code="79"),))
DISTRICT_760 = Principal(3, "q1", "Quận 1", (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "760",
                                                   province_code="79", district_code="760"),))


@pytest.fixture
def svc(settings: Settings) -> Iterator[Services]:
    services = build_services(settings, Flask("scoped"))
    with services.engine.begin() as conn:
        conn.execute(text("""INSERT INTO agg_doses_district
            (district_code, vaccine_key, dose_key, province_code, doses)
            VALUES ('760', 1, 1, '79', 50), ('761', 1, 1, '79', 70), ('001', 1, 1, '01', 9)"""))
    yield services
    services.engine.dispose()


def test_national_roles_see_every_district(svc: Services) -> None:
    df = aggregates.coverage_by_district(svc, "79", SYSTEM)
    assert df.set_index("district_code").loc[["760", "761"], "dose1"].tolist() == [50, 70]


def test_province_officer_sees_own_province_only(svc: Services) -> None:
    own = aggregates.coverage_by_district(svc, "79", PROVINCE_79)
    assert own["dose1"].sum() == 120
    with pytest.raises(Forbidden):
        aggregates.coverage_by_district(svc, "01", PROVINCE_79)


def test_district_officer_sees_own_district_even_from_cache(svc: Services) -> None:
    aggregates.coverage_by_district(svc, "79", SYSTEM)  # warms the shared cache entry
    mine = aggregates.coverage_by_district(svc, "79", DISTRICT_760)
    assert mine["district_code"].tolist() == ["760"] and mine["dose1"].tolist() == [50]
    with pytest.raises(Forbidden):
        aggregates.coverage_by_district(svc, "01", DISTRICT_760)
