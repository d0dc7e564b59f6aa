"""The registrations page through the real Dash endpoint, signed in, on each backend: the grid
asks the server for a block and gets the district's rows and count (a forged district outside
the user's area gets none); an organisation's file uploaded with bad rows loads its valid rows
and shows the exact reject lines in the UI language, downloadable as CSV; a file of another
kind, or too large, is refused beside the upload; assignment and merge through the page's
functions, with refusals in words."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from callbacks.ops import registrations as page
from callbacks.ops import registrations_upload as up
from callbacks.shared import ids
from callbacks.shared.i18n import t
from data.auth.roles import Role
from data.interchange.messages import message
from data.ops.commands import sessions
from data.services import Services
from data.settings import Settings
from tests.factories import scalar
from tests.integration.ops_setup import (
    PASSWORD,
    PERSON,
    SOURCE,
    plan,
    principal,
    registration,
    seed_places,
)
from tests.webcalls import ids_in, log_in, outputs_of, page_call, payload_in, post, text_of

HEADER = ("registration_id,person_id,id_type,full_name,birth_date,sex,phone,priority_group,"
          "province_code,district_code,ward_code,address,organisation,registered_at")
ORG_FILE = "\n".join([
    HEADER,
    "ORG-1,001090099999,CCCD,Đỗ Văn Em,1990-05-06,M,0912000000,7,01,001,,,Điện lực,"
    "2021-07-10T08:00:00+07:00",
    "ORG-2,001090099998,CCCD,Hà Thị Gấm,1990-05-06,F,12345,7,01,001,,,Điện lực,"
    "2021-07-10T08:00:00+07:00",
    "ORG-3,001090099997,CCCD,Vũ Văn Hải,1990-05-06,M,0912000001,7,01,002,,,Điện lực,"
    "2021-07-10T08:00:00+07:00",
    "ORG-4,001090099996,CCCD,Lý Văn Khoa,31/02/1990,M,0912000002,7,01,001,,,Điện lực,"
    "2021-07-10T08:00:00+07:00",
]) + "\n"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    seed_places(engine)
    registration(engine, "R1", PERSON)
    registration(engine, "R2", PERSON, phone="0987654321")
    registration(engine, "R3", "001085000002", full_name="Trần Thị Bình")
    principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _signed_in(app: dash.Dash, username: str) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    return client, log_in(client, username, PASSWORD)


def _rows(app: dash.Dash, who: tuple[FlaskClient, str], district: str, search: str = "",
          lang: str = "vi") -> dict[str, Any]:
    body = payload_in(app, [(ids.OPS_REG_GRID, "getRowsResponse"),
                            (ids.OPS_REG_COUNT, "children")],
                      [(ids.OPS_REG_GRID, "getRowsRequest", {"startRow": 0, "endRow": 50})],
                      [(ids.OPS_REG_QUERY, "data", {"district": district, "search": search,
                                                    "facility": None}),
                       (ids.SHELL_LANG, "data", lang)])
    return outputs_of(post(who[0], body, who[1]))


def _upload(app: dash.Dash, who: tuple[FlaskClient, str], name: str, data: bytes,
            lang: str) -> dict[str, Any]:
    url = "data:text/csv;base64," + base64.b64encode(data).decode()
    outs = [(ids.field_error(ids.OPS_REG_UPLOAD), "children"),
            (ids.OPS_REG_UPLOAD_STATUS, "children"), (ids.OPS_REG_REJECTS, "children"),
            (ids.OPS_REG_REJECTS_CSV, "data"), (ids.OPS_REG_REJECTS_DOWNLOAD, "hidden"),
            (ids.OPS_REG_VERSION, "data"), (ids.OPS_REG_UPLOAD, "contents")]
    body = payload_in(app, outs, [(ids.OPS_REG_UPLOAD, "contents", url)],
                      [(ids.OPS_REG_UPLOAD, "filename", name), (ids.SHELL_LANG, "data", lang),
                       (ids.OPS_REG_VERSION, "data", 0)])
    return outputs_of(post(who[0], body, who[1]))


def _cells(node: Any) -> list[list[str]]:
    """The body rows of the reject table, cell by cell."""
    found: list[list[str]] = []

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            if n.get("type") == "Tr" and n["props"]["children"] and \
                    n["props"]["children"][0].get("type") == "Td":
                found.append([text_of(td) for td in n["props"]["children"]])
            for v in n.get("props", {}).values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(node)
    return found


def test_the_page_lays_out_for_operations_and_refuses_the_ministry(app: dash.Dash) -> None:
    officer = _signed_in(app, "huyen.badinh")
    out = outputs_of(post(officer[0], page_call("/ops/registrations"), officer[1]))
    shown = ids_in(out["_pages_content"]["children"])
    assert {ids.OPS_REG_GRID, ids.OPS_REG_UPLOAD, ids.OPS_REG_DUPLICATES} <= shown
    leader = _signed_in(app, "bo.yte")
    out = outputs_of(post(leader[0], page_call("/ops/registrations"), leader[1]))
    shown = ids_in(out["_pages_content"]["children"])
    assert ids.OPS_DENIED in shown and ids.OPS_REG_GRID not in shown


def test_the_grid_reads_blocks_of_the_area_only(app: dash.Dash) -> None:
    officer = _signed_in(app, "huyen.badinh")
    out = _rows(app, officer, "01/001")
    block = out[ids.OPS_REG_GRID]["getRowsResponse"]
    assert [r["registration_id"] for r in block["rowData"]] == ["R3", "R2", "R1"]
    assert block["rowCount"] == 3
    assert out[ids.OPS_REG_COUNT]["children"] == "3 đăng ký."
    found = _rows(app, officer, "01/001", "0987 654 321", "en")
    assert [r["registration_id"] for r in found[ids.OPS_REG_GRID]["getRowsResponse"]
            ["rowData"]] == ["R2"]
    assert found[ids.OPS_REG_COUNT]["children"] == "1 registrations match the search."
    forged = _rows(app, officer, "79/760")
    assert forged[ids.OPS_REG_GRID]["getRowsResponse"] == {"rowData": [], "rowCount": 0}
    assert forged[ids.OPS_REG_COUNT]["children"] == t("ops.denied", "vi")


def test_an_uploaded_list_loads_valid_rows_and_shows_the_exact_rejects(
        app: dash.Dash, engine: Engine) -> None:
    officer = _signed_in(app, "huyen.badinh")
    out = _upload(app, officer, "Danh sach cong ty.csv", ORG_FILE.encode(), "vi")
    assert out[ids.field_error(ids.OPS_REG_UPLOAD)]["children"] == ""
    assert out[ids.OPS_REG_UPLOAD_STATUS]["children"] == (
        "Danh_sach_cong_ty.csv: đọc 4 dòng, nạp mới 1, cập nhật 0, không đổi 0, lỗi 3.")
    assert _cells(out[ids.OPS_REG_REJECTS]["children"]) == [
        ["3", "phone", "12345", message("bad_phone", "vi")],
        ["4", "district_code", "002", message("outside_scope", "vi")],
        ["5", "birth_date", "31/02/1990", message("bad_date", "vi")],
    ]
    assert out[ids.OPS_REG_REJECTS_DOWNLOAD]["hidden"] is False
    report = out[ids.OPS_REG_REJECTS_CSV]["data"]
    assert report["name"] == "Danh_sach_cong_ty.csv.rejects.csv"
    lines = list(csv.reader(io.StringIO(report["csv"].lstrip("\ufeff"))))
    assert [r[0] for r in lines] == ["line", "3", "4", "5"]
    assert scalar(engine, "SELECT count(*) FROM registration WHERE registration_id LIKE "
                  "'ORG-%'") == 1
    assert scalar(engine, "SELECT count(*) FROM audit_log WHERE action = 'ETL_LOAD' AND "
                  "username = 'huyen.badinh'") == 1


def test_a_hostile_upload_is_refused_beside_the_field(app: dash.Dash, engine: Engine) -> None:
    officer = _signed_in(app, "huyen.badinh")
    out = _upload(app, officer, "../../etc/passwd", b"root:x:0:0", "en")
    assert out[ids.field_error(ids.OPS_REG_UPLOAD)]["children"] == t("ops.reg.upload_kind",
                                                                      "en")
    big = b"x" * (up.MAX_BYTES + 1)
    out = _upload(app, officer, "big.csv", big, "en")
    assert out[ids.field_error(ids.OPS_REG_UPLOAD)]["children"] == t(
        "ops.reg.upload_size", "en", size="700")
    out = _upload(app, officer, "empty.csv", b"\x00\x01garbage", "vi")
    assert "không nạp dòng nào" in out[ids.OPS_REG_UPLOAD_STATUS]["children"]
    assert scalar(engine, "SELECT count(*) FROM etl_load") == 0
    assert up.safe_name("a/b\\c<script>.XLSX") == ("c_script.xlsx", ".xlsx")


def test_assignment_and_merge_through_the_page(app: dash.Dash, engine: Engine) -> None:
    services: Services = app.server.extensions["vx_services"]
    staff = principal(engine, "tram.hai", Role.FACILITY_STAFF, "F00101")
    officer = principal(engine, "huyen.hai", Role.DISTRICT_OFFICER, "001")
    sid = sessions.create_session(engine, staff, SOURCE, plan(capacity=1))
    chosen = [{"registration_id": "R2"}, {"registration_id": "R3"}]
    error, _, done = page.assign(services, staff, SOURCE, "en", sid, chosen)
    assert (error, done) == (t("invite.places_left", "en", detail="1"), False)
    error, outcome, done = page.assign(services, staff, SOURCE, "vi", sid, chosen[:1])
    assert (error, outcome, done) == ("", "Đã xếp 1 người vào buổi tiêm.", True)
    assert scalar(engine, "SELECT booked FROM vax_session") == 1
    outcome, done = page.merge(services, staff, SOURCE, "en", PERSON, "R2")
    assert (outcome, done) == (t("ops.reg.merge_denied", "en"), False)
    outcome, done = page.merge(services, officer, SOURCE, "en", PERSON, "R2")
    assert (outcome, done) == ("1 registrations merged into R2.", True)
    assert scalar(engine, "SELECT registration_id FROM vax_booking") == "R2"
    groups, history = page.duplicates_view(services, officer, "en", {"district": "01/001"})
    assert groups == t("ops.reg.no_duplicates", "en")
    assert "huyen.hai merged R1 into R2; 1 bookings moved" not in text_of(history)
    assert "huyen.hai merged R1 into R2; 0 bookings moved" in text_of(history)


def test_the_choices_arrive_in_the_ui_language(app: dash.Dash, engine: Engine) -> None:
    officer = _signed_in(app, "huyen.badinh")
    outs = [(ids.OPS_REG_DISTRICT, "options"), (ids.OPS_REG_DISTRICT, "value"),
            (ids.OPS_REG_FACILITY, "options"), (ids.OPS_REG_SESSION, "options"),
            (ids.OPS_REG_GRID, "columnDefs")]
    body = payload_in(app, outs, [(ids.SHELL_LANG, "data", "en"), (ids.OPS_REG_VERSION, "data", 0)],
                      [(ids.OPS_REG_DISTRICT, "value", None)])
    out = outputs_of(post(officer[0], body, officer[1]))
    assert [o["value"] for o in out[ids.OPS_REG_DISTRICT]["options"]] == ["01/001"]
    assert out[ids.OPS_REG_DISTRICT]["value"] == "01/001"
    assert [o["value"] for o in out[ids.OPS_REG_FACILITY]["options"]] == ["F00101", "F00102"]
    assert [c["headerName"] for c in out[ids.OPS_REG_GRID]["columnDefs"]][:3] == [
        "Registration", "Name", "ID document"]
