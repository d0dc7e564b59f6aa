"""The facilities page through the real Dash endpoint, signed in, on each backend: the
district officer sees the PENDING facilities of its district, opens one and approves it;
a refusal without a reason is told beside the reason; the new-facility and edit forms show
the contract's refusals beside their fields in the UI language and save; a warehouse is
added; facility staff get the refusal page, and a forged call of theirs writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from callbacks.ops.facilities import EDIT_FIELDS, NEW_FIELDS, STEP_BUTTONS, STEP_FIELDS, WH_FIELDS
from callbacks.shared import ids
from data.auth.roles import Role
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, scalar, write_csv
from tests.integration.ops_setup import PASSWORD, principal
from tests.webcalls import ids_in, log_in, outputs_of, page_call, payload_in, post, text_of


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [
        FACILITY, facility("F00102", status="PENDING", name="Phòng khám Đội Cấn"),
        facility("F00201", district_code="002", ward_code="", status="PENDING")]))
    principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _signed_in(app: dash.Dash, username: str) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    return client, log_in(client, username, PASSWORD)


def _words(node: Any) -> str:
    return " ".join(text_of(node).split())


def _errors(out: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    return {f: out[ids.field_error(f)]["children"] for f in fields
            if out[ids.field_error(f)]["children"]}


def _list(app: dash.Dash, who: tuple[FlaskClient, str], status: str, lang: str
          ) -> dict[str, Any]:
    body = payload_in(app, [(ids.OPS_FAC_LIST, "options"), (ids.OPS_FAC_LIST_INFO, "children")],
                      [(ids.SHELL_LANG, "data", lang), (ids.OPS_FAC_FILTER, "value", status),
                       (ids.OPS_FAC_DONE, "data", 0)])
    return outputs_of(post(who[0], body, who[1]))


def _open(app: dash.Dash, who: tuple[FlaskClient, str], code: str, lang: str
          ) -> dict[str, Any]:
    outs = [(ids.OPS_FAC_DETAIL, "children"), (ids.OPS_FAC_MANAGE, "hidden"),
            (ids.OPS_FAC_CODE, "data"), *[(b, "hidden") for b in STEP_BUTTONS.values()],
            *[(f, "value") for f in EDIT_FIELDS[:6]], (ids.OPS_FAC_WAREHOUSES, "children"),
            (ids.OPS_FAC_STEP_STATUS, "children")]
    body = payload_in(app, outs, [(ids.OPS_FAC_LIST, "value", code),
                                  (ids.OPS_FAC_DONE, "data", 0), (ids.SHELL_LANG, "data", lang)],
                      changed=[f"{ids.OPS_FAC_LIST}.value"])
    return outputs_of(post(who[0], body, who[1]))


def _step(app: dash.Dash, who: tuple[FlaskClient, str], button: str, code: str, reason: str,
          lang: str) -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in STEP_FIELDS]
    outs += [(ids.OPS_FAC_STEP_STATUS, "children"), (ids.OPS_FAC_REASON, "value"),
             (ids.OPS_FAC_DONE, "data")]
    body = payload_in(app, outs, [(b, "n_clicks", 1 if b == button else 0)
                                  for b in STEP_BUTTONS.values()],
                      [(ids.OPS_FAC_CODE, "data", code), (ids.OPS_FAC_REASON, "value", reason),
                       (ids.OPS_FAC_DONE, "data", 3), (ids.SHELL_LANG, "data", lang)],
                      [f"{button}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def _new(app: dash.Dash, who: tuple[FlaskClient, str], values: list[object], lang: str
         ) -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in NEW_FIELDS]
    outs += [(ids.OPS_FAC_NEW_STATUS, "children"), (ids.OPS_FAC_DONE, "data")]
    submits = (ids.OPS_FAC_NEW_CODE, ids.OPS_FAC_NEW_NAME, ids.OPS_FAC_NEW_ADDRESS,
               ids.OPS_FAC_NEW_CAPACITY)
    body = payload_in(app, outs, [(ids.OPS_FAC_NEW_SUBMIT, "n_clicks", 1),
                                  *[(f, "n_submit", 0) for f in submits]],
                      [*[(f, "value", v) for f, v in zip(NEW_FIELDS[:-1], values, strict=True)],
                       (ids.OPS_FAC_DONE, "data", 0), (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_FAC_NEW_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def _edit(app: dash.Dash, who: tuple[FlaskClient, str], code: str, values: list[object],
          lang: str) -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in EDIT_FIELDS]
    outs += [(ids.OPS_FAC_EDIT_STATUS, "children"), (ids.OPS_FAC_DONE, "data")]
    submits = (ids.OPS_FAC_EDIT_NAME, ids.OPS_FAC_EDIT_ADDRESS, ids.OPS_FAC_EDIT_CAPACITY)
    body = payload_in(app, outs, [(ids.OPS_FAC_EDIT_SUBMIT, "n_clicks", 1),
                                  *[(f, "n_submit", 0) for f in submits]],
                      [(ids.OPS_FAC_CODE, "data", code),
                       *[(f, "value", v) for f, v in zip(EDIT_FIELDS[:6], values, strict=True)],
                       (ids.OPS_FAC_DONE, "data", 0), (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_FAC_EDIT_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def _warehouse(app: dash.Dash, who: tuple[FlaskClient, str], code: str, values: list[object],
               lang: str) -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in WH_FIELDS]
    outs += [(ids.OPS_FAC_WH_STATUS, "children"), *[(f, "value") for f in WH_FIELDS[:3]],
             (ids.OPS_FAC_DONE, "data")]
    submits = (ids.OPS_FAC_WH_CODE, ids.OPS_FAC_WH_NAME, ids.OPS_FAC_WH_LITRES)
    body = payload_in(app, outs, [(ids.OPS_FAC_WH_SUBMIT, "n_clicks", 1),
                                  *[(f, "n_submit", 0) for f in submits]],
                      [(ids.OPS_FAC_CODE, "data", code),
                       *[(f, "value", v) for f, v in zip(WH_FIELDS[:3], values, strict=True)],
                       (ids.OPS_FAC_DONE, "data", 0), (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_FAC_WH_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def test_the_district_officer_approves_a_pending_facility(app: dash.Dash, engine: Engine
                                                         ) -> None:
    officer = _signed_in(app, "huyen.badinh")
    page = outputs_of(post(officer[0], page_call("/ops/facilities"), officer[1]))
    assert {ids.OPS_FAC_LIST, ids.OPS_FAC_APPROVE, ids.OPS_FAC_NEW_SUBMIT} <= ids_in(
        page["_pages_content"]["children"])
    listed = _list(app, officer, "PENDING", "vi")
    assert [o["value"] for o in listed[ids.OPS_FAC_LIST]["options"]] == ["F00102"]
    assert listed[ids.OPS_FAC_LIST_INFO]["children"] == "Số cơ sở: 1"
    assert _words(listed[ids.OPS_FAC_LIST]["options"][0]["label"]) == (
        "Chờ hoạt động F00102 · Phòng khám Đội Cấn Trạm y tế · 001 · 300 mũi/ngày · 0 kho")
    opened = _open(app, officer, "F00102", "en")
    assert _words(opened[ids.OPS_FAC_DETAIL]["children"]).startswith(
        "F00102 · Phòng khám Đội Cấn Pending Kind Health station "
        "Province · district · ward 01 · 001 · 00001")
    hidden = {b: opened[b]["hidden"] for b in STEP_BUTTONS.values()}
    assert hidden == {ids.OPS_FAC_APPROVE: False, ids.OPS_FAC_REFUSE: False,
                      ids.OPS_FAC_SUSPEND: True, ids.OPS_FAC_REACTIVATE: True}
    assert opened[ids.OPS_FAC_MANAGE]["hidden"] is False
    assert opened[ids.OPS_FAC_EDIT_CAPACITY]["value"] == "300"
    refused = _step(app, officer, ids.OPS_FAC_REFUSE, "F00102", " ", "vi")
    assert _errors(refused, STEP_FIELDS) == {ids.OPS_FAC_REASON: "Nhập lý do từ chối."}
    assert ids.OPS_FAC_DONE not in refused
    done = _step(app, officer, ids.OPS_FAC_APPROVE, "F00102", "", "en")
    assert _errors(done, STEP_FIELDS) == {}
    assert done[ids.OPS_FAC_STEP_STATUS]["children"] == "Facility F00102 approved."
    assert done[ids.OPS_FAC_DONE]["data"] == 4
    assert scalar(engine, "SELECT status FROM dim_facility WHERE facility_code = 'F00102'") \
        == "ACTIVE"
    again = _step(app, officer, ids.OPS_FAC_APPROVE, "F00102", "", "en")
    assert _errors(again, STEP_FIELDS) == {
        ids.OPS_FAC_APPROVE: "The facility is ACTIVE: this step does not apply."}
    # Hoàn Kiếm's facility is outside the district: opened or approved, it is refused.
    assert _words(_open(app, officer, "F00201", "en")[ids.OPS_FAC_DETAIL]["children"]) == (
        "This facility is outside your area.")
    forged = _step(app, officer, ids.OPS_FAC_APPROVE, "F00201", "", "vi")
    assert _errors(forged, STEP_FIELDS) == {
        ids.OPS_FAC_APPROVE: "Cơ sở này không thuộc địa bàn của bạn."}
    assert scalar(engine, "SELECT status FROM facility WHERE code = 'F00201'") == "PENDING"


def test_new_and_edit_forms_show_refusals_beside_their_fields(app: dash.Dash, engine: Engine
                                                               ) -> None:
    officer = _signed_in(app, "huyen.badinh")
    bad = _new(app, officer, ["F 9", "PENDING", "", "HOSPITAL", "001", None, "", "-3"], "en")
    assert _errors(bad, NEW_FIELDS) == {
        ids.OPS_FAC_NEW_CODE: "A facility code holds only unaccented letters, digits and "
                              "- _ . (F 9)."}
    bad = _new(app, officer, ["F00150", "PENDING", " ", "SPA", "001", None, "", "-3"], "vi")
    assert _errors(bad, NEW_FIELDS) == {
        ids.OPS_FAC_NEW_NAME: "Thiếu giá trị bắt buộc",
        ids.OPS_FAC_NEW_KIND: "Giá trị không hợp lệ; chỉ nhận: HOSPITAL, HEALTH_CENTRE, "
                              "HEALTH_STATION, PRIVATE_CLINIC, MOBILE_TEAM, FIELD_SITE",
        ids.OPS_FAC_NEW_CAPACITY: "Phải là số nguyên từ 0 đến 1000000"}
    assert bad[ids.OPS_FAC_NEW_STATUS]["children"] == "Chưa lưu: xem lỗi bên cạnh từng ô."
    outside = _new(app, officer, ["F00150", "ACTIVE", "Điểm tiêm", "FIELD_SITE", "002", None,
                                  "", "200"], "en")
    assert _errors(outside, NEW_FIELDS) == {
        ids.OPS_FAC_NEW_DISTRICT: "This facility is outside your area."}
    ok = _new(app, officer, ["F00150", "ACTIVE", "Điểm tiêm Phúc Xá", "FIELD_SITE", "001",
                             "00001", "12 Phúc Xá", "200"], "en")
    assert _errors(ok, NEW_FIELDS) == {}
    assert ok[ids.OPS_FAC_NEW_STATUS]["children"] == "Facility F00150 registered (Active)."
    assert scalar(engine, "SELECT daily_capacity FROM dim_facility "
                          "WHERE facility_code = 'F00150'") == 200
    edited = _edit(app, officer, "F00150", ["Điểm tiêm Phúc Xá 2", "FIELD_SITE", "001",
                                            "00001", "12 Phúc Xá", "1.5"], "en")
    assert _errors(edited, EDIT_FIELDS) == {
        ids.OPS_FAC_EDIT_CAPACITY: "Must be a whole number from 0 to 1000000"}
    edited = _edit(app, officer, "F00150", ["Điểm tiêm Phúc Xá 2", "FIELD_SITE", "001",
                                            "00001", "12 Phúc Xá", "250"], "vi")
    assert edited[ids.OPS_FAC_EDIT_STATUS]["children"] == "Đã lưu thông tin cơ sở F00150."
    assert scalar(engine, "SELECT name FROM dim_facility WHERE facility_code = 'F00150'") == (
        "Điểm tiêm Phúc Xá 2")
    wh = _warehouse(app, officer, "F00150", ["KHO-F00150", "Tủ lạnh", "nhiều"], "vi")
    assert _errors(wh, WH_FIELDS) == {
        ids.OPS_FAC_WH_LITRES: "Dung tích là số lít lớn hơn 0, tối đa 1.000.000 (nhiều)."}
    wh = _warehouse(app, officer, "F00150", ["KHO-F00150", "Tủ lạnh", "120,5"], "en")
    assert wh[ids.OPS_FAC_WH_STATUS]["children"] == "Warehouse KHO-F00150 added."
    assert wh[ids.OPS_FAC_WH_CODE]["value"] == ""
    shown = _open(app, officer, "F00150", "en")
    assert _words(shown[ids.OPS_FAC_WAREHOUSES]["children"]) == (
        "KHO-F00150 · Tủ lạnh · 120.5 litres")


def test_facility_staff_get_the_refusal_and_write_nothing(app: dash.Dash, engine: Engine
                                                          ) -> None:
    staff = _signed_in(app, "tram.phucxa")
    page = outputs_of(post(staff[0], page_call("/ops/facilities"), staff[1]))
    assert ids.OPS_DENIED in ids_in(page["_pages_content"]["children"])
    assert ids.OPS_FAC_LIST not in ids_in(page["_pages_content"]["children"])
    assert _list(app, staff, "ALL", "vi")[ids.OPS_FAC_LIST]["options"] == []
    forged = _step(app, staff, ids.OPS_FAC_SUSPEND, "F00101", "", "en")
    assert _errors(forged, STEP_FIELDS) == {
        ids.OPS_FAC_APPROVE: "This facility is outside your area."}
    assert scalar(engine, "SELECT status FROM facility WHERE code = 'F00101'") == "ACTIVE"
