"""Facilities management on each backend (Operations II): province and district officers
create and edit facilities through the facilities kind's rules and loader (facility and
dim_facility in step, the data version bumped, audited), approve or refuse PENDING ones
(a reason on refusal), suspend and reactivate; a suspended facility is refused a new
session; a warehouse is attached; everything outside the officer's scope is Forbidden."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Forbidden, Grant, Principal, Role
from data.command_errors import OpsError
from data.ops.commands import sessions
from data.ops.commands.facilities import FacilityForm, create_facility, edit_facility
from data.ops.commands.facilities_status import change_status, steps_from
from data.ops.commands.facilities_warehouses import WarehouseForm, add_warehouse
from data.ops.queries.facilities import facility_detail, managed_districts, managed_facilities
from data.ops.queries.sessions import facilities_in_scope
from data.settings import Settings
from data.version import read_version
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, write_csv
from tests.integration.ops_setup import plan

PROVINCE = Principal(12, "hn", "Hà Nội officer",
                     (Grant(Role.PROVINCE_OFFICER, "PROVINCE", "01", "01"),))
DISTRICT = Principal(10, "bd", "Ba Đình officer",
                     (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "001", "01", "001"),))
OTHER_DISTRICT = Principal(11, "hk", "Hoàn Kiếm officer",
                           (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "002", "01", "002"),))
OTHER_PROVINCE = Principal(13, "hcm", "TP.HCM officer",
                           (Grant(Role.PROVINCE_OFFICER, "PROVINCE", "79", "79"),))
STAFF = Principal(7, "staff", "Y tá", (Grant(Role.FACILITY_STAFF, "FACILITY", "F00101", "01",
                                             "001"),))
LEADER = Principal(9, "bo", "Bộ Y tế", (Grant(Role.MINISTRY_LEADER, "NATIONAL", None),))
DIM = ("SELECT name, kind, province_code, district_code, daily_capacity, status "
       "FROM dim_facility WHERE facility_code = :c")
OPS = ("SELECT name, kind, province_code, district_code, daily_capacity, status "
       "FROM facility WHERE code = :c")


@pytest.fixture
def loaded(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """F00101 (Ba Đình, ACTIVE), F00102 (Ba Đình, PENDING), F00201 (Hoàn Kiếm, PENDING)."""
    rows = [FACILITY, facility("F00102", status="PENDING", name="Phòng khám Đội Cấn"),
            facility("F00201", district_code="002", ward_code="", status="PENDING")]
    assert load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows)
                     ).loaded == 3


def _one(engine: Engine, sql: str, **params: Any) -> tuple[Any, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(sql), params).one())


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_version(conn)


def _audit(engine: Engine, key: str) -> list[tuple[str, str, dict | None]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, username, after FROM audit_log "
                                 "WHERE table_name = 'facility' AND record_key = :k "
                                 "ORDER BY id"), {"k": key}).all()
    return [(a, u, json.loads(v) if isinstance(v, str) else v) for a, u, v in rows]


def _new(code: str = "F00150", **over: Any) -> FacilityForm:
    fields: dict[str, Any] = {"code": code, "name": "Điểm tiêm Trường THCS Phúc Xá",
                              "kind": "FIELD_SITE", "district_code": "001",
                              "ward_code": "00001", "address": "12 Phúc Xá",
                              "daily_capacity": "400", "status": "PENDING"}
    return FacilityForm(**(fields | over))


def test_create_and_edit_keep_the_dimension_in_step(engine: Engine, loaded: None) -> None:
    before = _version(engine)
    assert create_facility(engine, DISTRICT, "10.0.0.7", _new(), "vi") == "F00150"
    expected = ("Điểm tiêm Trường THCS Phúc Xá", "FIELD_SITE", "01", "001", 400, "PENDING")
    assert _one(engine, OPS, c="F00150") == expected
    assert _one(engine, DIM, c="F00150") == expected
    assert _version(engine) == before + 1
    # The province officer moves it to Hoàn Kiếm with a new capacity; code and status stay.
    assert edit_facility(engine, PROVINCE, None, _new(
        name="Điểm tiêm Hoàn Kiếm", district_code="002", ward_code="", daily_capacity="250",
        status="ACTIVE"), "en") is True
    moved = ("Điểm tiêm Hoàn Kiếm", "FIELD_SITE", "01", "002", 250, "PENDING")
    assert _one(engine, OPS, c="F00150") == moved
    assert _one(engine, DIM, c="F00150") == moved
    assert _version(engine) == before + 2
    # The same form again changes nothing: no audit entry, no new version.
    assert edit_facility(engine, PROVINCE, None, _new(
        name="Điểm tiêm Hoàn Kiếm", district_code="002", ward_code="", daily_capacity="250"),
        "en") is False
    assert _version(engine) == before + 2
    log = _audit(engine, "F00150")
    assert [(a, u) for a, u, _ in log] == [("CREATE", "bd"), ("UPDATE", "hn")]
    assert log[1][2]["district_code"] == "002" and log[1][2]["daily_capacity"] == 250
    # The district officer of Ba Đình no longer manages it.
    with pytest.raises(Forbidden):
        edit_facility(engine, DISTRICT, None, _new(district_code="001"), "vi")


def test_the_contract_rules_refuse_field_by_field(engine: Engine, loaded: None) -> None:
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new(
            name=" ", kind="SPA", ward_code="00037", daily_capacity="nhiều"), "en")
    assert err.value.codes() == {"name": "required", "kind": "bad_choice",
                                 "ward_code": "ward_not_in_district",
                                 "daily_capacity": "int_range"}
    reasons = {p.field: p.detail for p in err.value.problems}
    assert reasons["daily_capacity"] == "Must be a whole number from 0 to 1000000"
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new("F 1", address="x" * 301), "vi")
    assert err.value.codes() == {"address": "facility.too_long"}
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new("F 1"), "vi")
    assert err.value.codes() == {"facility_code": "facility.code_bad"}
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new("F00101"), "vi")
    assert err.value.codes() == {"facility_code": "facility.code_taken"}
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new(status="SUSPENDED"), "vi")
    assert err.value.codes() == {"status": "facility.create_status"}
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new(district_code="999"), "vi")
    assert err.value.codes() == {"district_code": "facility.district_unknown"}
    with pytest.raises(OpsError) as err:  # PostgreSQL refuses NUL in text: never sent
        create_facility(engine, PROVINCE, None, _new(address="a\x00"), "en")
    assert err.value.codes() == {"address": "bad_char"}
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new(ward_code="0\x000"), "en")
    assert err.value.codes() == {"ward_code": "bad_char"}
    with pytest.raises(OpsError) as err:
        change_status(engine, PROVINCE, None, "F0\x00", "approve", None, "en")
    assert err.value.codes() == {"facility_code": "facility.unknown"}
    with pytest.raises(OpsError) as err:
        create_facility(engine, PROVINCE, None, _new(district_code="\x00\x00\x00"), "vi")
    assert err.value.codes() == {"district_code": "facility.district_unknown"}
    assert _one(engine, "SELECT COUNT(*) FROM facility") == (3,)


def test_scope_refusals(engine: Engine, loaded: None) -> None:
    for who in (OTHER_DISTRICT, OTHER_PROVINCE, STAFF, LEADER):
        with pytest.raises(Forbidden):
            create_facility(engine, who, None, _new(), "vi")
    for who in (OTHER_DISTRICT, OTHER_PROVINCE, STAFF, LEADER):
        with pytest.raises(Forbidden):
            change_status(engine, who, None, "F00102", "approve", None, "vi")
        with pytest.raises(Forbidden):
            facility_detail(engine, who, "F00102")
        with pytest.raises(Forbidden):
            add_warehouse(engine, who, None, WarehouseForm("F00101", "KHO-X", "Kho"), "vi")
    assert _one(engine, "SELECT status FROM facility WHERE code = 'F00102'") == ("PENDING",)
    assert [f.code for f in managed_facilities(engine, DISTRICT)] == ["F00102", "F00101"]
    assert [f.code for f in managed_facilities(engine, PROVINCE)] == [
        "F00102", "F00201", "F00101"]
    assert managed_facilities(engine, OTHER_PROVINCE) == []
    assert managed_facilities(engine, STAFF) == []
    assert [c for c, _ in managed_districts(engine, DISTRICT)] == ["001"]
    assert len(managed_districts(engine, PROVINCE)) == 30  # Hà Nội's districts
    assert managed_districts(engine, STAFF) == []


def test_approve_refuse_suspend_reactivate(engine: Engine, loaded: None) -> None:
    before = _version(engine)
    assert steps_from("PENDING") == ["approve", "refuse"]
    assert change_status(engine, DISTRICT, None, "F00102", "approve", None, "vi") == "ACTIVE"
    assert _one(engine, DIM, c="F00102")[5] == "ACTIVE"
    with pytest.raises(OpsError) as err:  # approved once only
        change_status(engine, PROVINCE, None, "F00102", "approve", None, "vi")
    assert err.value.codes() == {"status": "facility.wrong_status"}
    with pytest.raises(OpsError) as err:
        change_status(engine, PROVINCE, None, "F00201", "refuse", "  ", "vi")
    assert err.value.codes() == {"reason": "facility.reason_required"}
    assert change_status(engine, PROVINCE, None, "F00201", "refuse",
                         " Không đủ điều kiện bảo quản lạnh ", "vi") == "REFUSED"
    assert _one(engine, "SELECT status, status_reason FROM facility WHERE code = 'F00201'") == (
        "REFUSED", "Không đủ điều kiện bảo quản lạnh")
    assert _one(engine, DIM, c="F00201")[5] == "REFUSED"
    assert facility_detail(engine, PROVINCE, "F00201").status_reason == \
        "Không đủ điều kiện bảo quản lạnh"
    assert change_status(engine, DISTRICT, None, "F00101", "suspend", "Tủ lạnh hỏng",
                         "vi") == "SUSPENDED"
    assert _one(engine, DIM, c="F00101")[5] == "SUSPENDED"
    assert change_status(engine, DISTRICT, None, "F00101", "reactivate", None,
                         "vi") == "ACTIVE"
    assert _one(engine, "SELECT status, status_reason FROM facility WHERE code = 'F00101'") == (
        "ACTIVE", None)
    assert _version(engine) == before + 4
    assert [a for a, _u, _ in _audit(engine, "F00201")] == ["REFUSE"]
    assert _audit(engine, "F00201")[0][2]["status_reason"] == "Không đủ điều kiện bảo quản lạnh"
    assert [a for a, _u, _ in _audit(engine, "F00101")] == ["SUSPEND", "REACTIVATE"]
    with pytest.raises(OpsError) as err:
        change_status(engine, DISTRICT, None, "F00101", "delete", None, "vi")
    assert err.value.codes() == {"step": "facility.wrong_status"}
    with pytest.raises(OpsError) as err:
        change_status(engine, DISTRICT, None, "F99999", "approve", None, "vi")
    assert err.value.codes() == {"facility_code": "facility.unknown"}


def test_a_suspended_facility_gets_no_new_session(engine: Engine, loaded: None) -> None:
    day = dt.date(2021, 10, 15)
    first = sessions.create_session(engine, STAFF, None, plan(day=day, lots=[]))
    change_status(engine, PROVINCE, None, "F00101", "suspend", None, "vi")
    with pytest.raises(OpsError) as err:
        sessions.create_session(engine, STAFF, None, plan(day=day, lots=[]))
    assert err.value.codes()["facility_code"] == "session.facility_not_active"
    assert err.value.problems[0].detail == "SUSPENDED"
    assert [f.code for f in facilities_in_scope(engine, DISTRICT)] == []
    # The session planned before goes on: a booking still takes a place.
    sessions.book(engine, STAFF, None, first, "001090012345", "CCCD", "WALK_IN")
    with pytest.raises(OpsError) as err:  # a PENDING facility is not approved yet
        sessions.create_session(engine, DISTRICT, None, plan("F00102", day=day, lots=[]))
    assert err.value.problems[0].detail == "PENDING"
    change_status(engine, PROVINCE, None, "F00101", "reactivate", None, "vi")
    assert sessions.create_session(engine, STAFF, None, plan(day=day, lots=[])) != first
    assert _one(engine, "SELECT COUNT(*) FROM vax_session") == (2,)


def test_a_warehouse_is_attached_as_a_file_row(engine: Engine, loaded: None) -> None:
    before = _version(engine)
    code = add_warehouse(engine, DISTRICT, "10.0.0.7",
                         WarehouseForm("F00101", " KHO-F00101 ", "Tủ lạnh trạm", 220.0), "vi")
    assert code == "KHO-F00101"
    row = ("Tủ lạnh trạm", "FACILITY", "01", "001", "F00101")
    assert _one(engine, "SELECT name, level, province_code, district_code, facility_code "
                        "FROM warehouse WHERE code = :c", c=code) == row
    assert _one(engine, "SELECT name, level, province_code, district_code, facility_code "
                        "FROM dim_warehouse WHERE warehouse_code = :c", c=code) == row
    assert _version(engine) == before + 1
    detail = facility_detail(engine, PROVINCE, "F00101")
    assert [(w.code, w.capacity_litres) for w in detail.warehouses] == [("KHO-F00101", 220.0)]
    assert [f.warehouses for f in managed_facilities(engine, DISTRICT)] == [0, 1]
    with pytest.raises(OpsError) as err:
        add_warehouse(engine, DISTRICT, None, WarehouseForm("F00101", "KHO-F00101", "Kho"),
                      "vi")
    assert err.value.codes() == {"warehouse_code": "warehouse.code_taken"}
    with pytest.raises(OpsError) as err:
        add_warehouse(engine, DISTRICT, None, WarehouseForm("F00101", "K 2", " ", -1.0), "en")
    assert err.value.codes() == {"warehouse_code": "warehouse.code_bad",
                                 "capacity_litres": "warehouse.litres_bad"}
    with pytest.raises(OpsError) as err:
        add_warehouse(engine, DISTRICT, None, WarehouseForm("F00101", "K2", " "), "en")
    assert err.value.codes() == {"name": "required"}
    with engine.connect() as conn:
        logged = conn.execute(text("SELECT action, record_key FROM audit_log "
                                   "WHERE table_name = 'warehouse'")).all()
    assert [tuple(r) for r in logged] == [("CREATE", "KHO-F00101")]
