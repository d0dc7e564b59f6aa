"""The reference rows a command's codes name (data.lookups.load_context_for) are exactly the
whole context's rows of those codes: one code a table, several, unknown ones, none."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, insert

from data.db import unit_of_work
from data.lookups import RefContext, load_context, load_context_for
from data.models.star import DimFacility

FACILITIES = ["F00101", "F00102", "F76001"]


def _restricted(full: RefContext, provinces: list[str], districts: list[str],
                wards: list[str], facilities: list[str]) -> RefContext:
    return RefContext(
        provinces=full.provinces & frozenset(provinces),
        district_province={c: p for c, p in full.district_province.items() if c in districts},
        ward_district={c: d for c, d in full.ward_district.items() if c in wards},
        facility_keys={c: k for c, k in full.facility_keys.items() if c in facilities},
        warehouse_keys={})


@pytest.mark.parametrize(("provinces", "districts", "wards"), [
    (["01"], ["001"], ["00001"]),                         # a command's row
    (["01", "79", "99"], ["001", "760"], ["00001", "00004", "26734"]),  # several, one unknown
    (["01"], [], []),
    ([], ["002", "no such"], ["00004"]),
    ([], [], []),
])
def test_the_codes_asked_find_what_the_whole_context_holds(
        engine: Engine, provinces: list[str], districts: list[str], wards: list[str]) -> None:
    with unit_of_work(engine) as conn:
        conn.execute(insert(DimFacility.__table__), [
            {"facility_key": 70 + i, "facility_code": code, "name": code, "kind": "HOSPITAL",
             "province_code": code[1:3], "district_code": code[3:6], "latitude": None,
             "longitude": None, "daily_capacity": None, "status": "ACTIVE"}
            for i, code in enumerate(FACILITIES)])
    with engine.connect() as conn:
        full = load_context(conn)
        assert full.facility_keys == {"F00101": 70, "F00102": 71, "F76001": 72}
        for asked_facilities in ([], ["F00102"], ["F76001", "F00101", "nowhere"]):
            got = load_context_for(conn, provinces, districts, wards, asked_facilities)
            assert got == _restricted(full, provinces, districts, wards, asked_facilities)
    assert "01" in full.provinces and full.district_province["001"] == "01"
    if provinces == ["01"] and districts:
        assert got.provinces == {"01"} and got.ward_district == {"00001": "001"}
