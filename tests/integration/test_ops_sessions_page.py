"""The planning page through the real Dash endpoint, signed in, on each backend: the form's
refusals beside each field (vi/en), a session created and listed with its close link, the
lots and staff offered for the facility, the invitation list, invite selected, and its
Excel export read back with openpyxl; a ministry leader is refused."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import dash
import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from app import create_app
from callbacks.shared import ids
from data.auth.roles import Role
from data.settings import Settings
from tests.integration.ops_setup import (
    AZ_LOT,
    PASSWORD,
    PERSON,
    PFZ_LOT,
    principal,
    registration,
    seed_places,
    seed_stock,
)
from tests.webcalls import log_in, outputs_of, post, text_of

FORM = [(ids.OPS_SESSION_DAY, "2021-10-15"), (ids.OPS_SESSION_START, "07:30"),
        (ids.OPS_SESSION_END, "11:30"), (ids.OPS_SESSION_CAPACITY, 30),
        (ids.OPS_SESSION_VACCINES, ["AZ"]), (ids.OPS_SESSION_LOTS, [AZ_LOT]),
        (ids.OPS_SESSION_STAFF, [])]


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[dash.Dash]:
    seed_places(engine)
    seed_stock(engine)
    registration(engine, "REG1", priority_group=1, full_name="=HYPERLINK(\"http://x\",\"An\")")
    principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, "y.ta.lan", Role.FACILITY_STAFF, "F00101")
    principal(engine, "q1.staff", Role.FACILITY_STAFF, "F76001")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _call(app: dash.Dash, client: FlaskClient, token: str, output_id: str,
          inputs: dict[str, Any], changed: str) -> dict[str, dict[str, Any]]:
    """Post the callback whose outputs include `output_id`, with `inputs` (id.prop -> value)
    as its inputs and states (each unset one None); returns {id: {prop: value}}."""
    key, spec = next((k, v) for k, v in app.callback_map.items()
                     if f"{output_id}." in k and "allow_duplicate" not in k
                     and not k.startswith(f"..{output_id}@") and v["inputs"])
    outs = [o.rsplit(".", 1) for o in key.strip(".").split("...")]

    def values(items: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [{"id": i["id"], "property": i["property"],
                 "value": inputs.get(f"{i['id']}.{i['property']}")} for i in items]

    body = {"output": key,
            "outputs": [{"id": i, "property": p} for i, p in outs] if len(outs) > 1
            else {"id": outs[0][0], "property": outs[0][1]},
            "inputs": values(spec["inputs"]), "state": values(spec["state"]),
            "changedPropIds": [changed]}
    response = outputs_of(post(client, body, token))
    return {k.split("@")[0]: v for k, v in response.items()}


def _create(app: dash.Dash, client: FlaskClient, token: str, lang: str,
            **over: Any) -> dict[str, dict[str, Any]]:
    values = {f"{i}.value": v for i, v in FORM} | {f"{i}.value": v for i, v in over.items()}
    values |= {f"{ids.OPS_SESSIONS_FACILITY}.value": over.get("facility", "F00101"),
               f"{ids.SHELL_LANG}.data": lang, f"{ids.OPS_SESSION_CREATE}.n_clicks": 1,
               f"{ids.OPS_SESSIONS_VERSION}.data": 0}
    return _call(app, client, token, ids.OPS_SESSION_STATUS, values,
                 f"{ids.OPS_SESSION_CREATE}.n_clicks")


def _errors(out: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {k.removesuffix("-error"): v["children"] for k, v in out.items()
            if k.endswith("-error") and v["children"]}


def test_the_form_tells_each_problem_beside_its_field(app: dash.Dash, engine: Engine) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    out = _create(app, client, token, "en", **{
        ids.OPS_SESSION_DAY: "", ids.OPS_SESSION_START: "7h", ids.OPS_SESSION_CAPACITY: None,
        ids.OPS_SESSION_STAFF: ["1:BOSS"]})
    assert _errors(out) == {ids.OPS_SESSION_DAY: "This field is required.",
                            ids.OPS_SESSION_START: "The time is not valid.",
                            ids.OPS_SESSION_CAPACITY: "This field is required.",
                            ids.OPS_SESSION_STAFF: "A staff role is not valid."}
    # Read by the command: the window, the capacity, a lot of another vaccine (Vietnamese).
    out = _create(app, client, token, "vi", **{
        ids.OPS_SESSION_END: "07:00", ids.OPS_SESSION_CAPACITY: 0,
        ids.OPS_SESSION_LOTS: [PFZ_LOT], ids.OPS_SESSION_VACCINES: []})
    assert _errors(out) == {
        ids.OPS_SESSION_END: "Giờ kết thúc phải sau giờ bắt đầu.",
        ids.OPS_SESSION_CAPACITY: "Số chỗ phải từ 1 đến 5000.",
        ids.OPS_SESSION_VACCINES: "Cần chọn ít nhất một loại vắc xin.",
        ids.OPS_SESSION_LOTS: "Lô vắc xin không có trong kho của loại vắc xin đã chọn: FF2222."}
    out = _create(app, client, token, "en", facility="F76001")
    assert _errors(out) == {ids.OPS_SESSIONS_FACILITY: (
        "Your role does not work vaccination sessions, so this page is not available to you.")}
    assert out[ids.OPS_SESSION_STATUS]["children"] == ""
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM vax_session")).scalar() == 0


def test_a_session_is_created_listed_and_offers_the_facility_lots_and_staff(
        app: dash.Dash, engine: Engine) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    choices = _call(app, client, token, ids.OPS_SESSION_LOTS, {
        f"{ids.OPS_SESSIONS_FACILITY}.value": "F00101",
        f"{ids.OPS_SESSION_DAY}.value": "2021-10-15", f"{ids.SHELL_LANG}.data": "en"},
        f"{ids.OPS_SESSIONS_FACILITY}.value")
    assert choices[ids.OPS_SESSION_LOTS]["options"] == [
        {"label": f"{PFZ_LOT} · PFZ · expires 31 Mar 2022 · 120 doses", "value": PFZ_LOT},
        {"label": f"{AZ_LOT} · AZ · expires 30 Jun 2022 · 480 doses", "value": AZ_LOT}]
    staff = {o["label"] for o in choices[ids.OPS_SESSION_STAFF]["options"]}
    assert "y.ta.lan — Vaccinator" in staff and "tram.phucxa — Lead" in staff
    assert not any(s.startswith("q1.staff") for s in staff)
    with engine.connect() as conn:
        lan = conn.execute(text("SELECT id FROM app_user WHERE username = 'y.ta.lan'")).scalar()
    out = _create(app, client, token, "en", **{ids.OPS_SESSION_STAFF: [f"{lan}:VACCINATOR"]})
    assert _errors(out) == {}
    assert out[ids.OPS_SESSION_STATUS]["children"] == (
        "Session created for 15 Oct 2021, 07:30–11:30.")
    assert out[ids.OPS_SESSIONS_VERSION]["data"] == 1
    with engine.connect() as conn:
        sid, cap = conn.execute(text("SELECT session_id, capacity FROM vax_session")).one()
        assert conn.execute(text("SELECT user_id, role FROM vax_session_staff")).all() == [
            (lan, "VACCINATOR")]
    listed = _call(app, client, token, ids.OPS_SESSIONS_LIST, {
        f"{ids.OPS_SESSIONS_FACILITY}.value": "F00101",
        f"{ids.OPS_SESSIONS_FROM}.value": "2021-10-01", f"{ids.OPS_SESSIONS_TO}.value":
        "2021-10-31", f"{ids.SHELL_LANG}.data": "en"}, f"{ids.OPS_SESSIONS_FACILITY}.value")
    table = listed[ids.OPS_SESSIONS_LIST]["children"]
    assert cap == 30
    assert "15 Oct 2021 07:30–11:30 AZ 0/30 Open Invitation list Close session" in text_of(table)
    assert f"/ops/close?session={sid}" in str(table)
    # Dates at the ends of the calendar list nothing rather than fail.
    edge = _call(app, client, token, ids.OPS_SESSIONS_LIST, {
        f"{ids.OPS_SESSIONS_FACILITY}.value": "F00101",
        f"{ids.OPS_SESSIONS_FROM}.value": "01/01/0001", f"{ids.OPS_SESSIONS_TO}.value":
        "31/12/9999", f"{ids.SHELL_LANG}.data": "en"}, f"{ids.OPS_SESSIONS_FROM}.n_blur")
    assert text_of(edge[ids.OPS_SESSIONS_LIST]["children"]) == "No session in these dates."


def test_the_invitation_list_invites_and_exports_to_excel(app: dash.Dash,
                                                           engine: Engine) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    _create(app, client, token, "en")
    with engine.connect() as conn:
        sid = conn.execute(text("SELECT session_id FROM vax_session")).scalar()
    asked = {f"{ids.OPS_INVITE_SESSION}.data": sid, f"{ids.OPS_INVITE_GROUPS}.value": [1],
             f"{ids.OPS_INVITE_DUE_BY}.value": "2021-10-15", f"{ids.SHELL_LANG}.data": "vi",
             f"{ids.OPS_INVITE_GENERATE}.n_clicks": 1}
    listed = _call(app, client, token, ids.OPS_INVITE_GRID, asked,
                   f"{ids.OPS_INVITE_GENERATE}.n_clicks")
    rows = listed[ids.OPS_INVITE_GRID]["rowData"]
    assert [(r["full_name"], r["id"], r["phone"], r["group"], r["reason"]) for r in rows] == [
        ("=HYPERLINK(\"http://x\",\"An\")", f"CCCD {PERSON}", "0912345678",
         "1 · Nhân viên y tế", "Mũi đầu tiên (đã đăng ký): AZ Cơ bản 1, từ 08/03/2021")]
    assert [c["headerName"] for c in listed[ids.OPS_INVITE_GRID]["columnDefs"]] == [
        "Họ và tên", "Giấy tờ tùy thân", "Điện thoại", "Nhóm ưu tiên", "Lý do mời",
        "Đến hạn từ"]
    # Switching the language relabels the list and keeps the clerk's ticks.
    relabelled = _call(app, client, token, ids.OPS_INVITE_GRID, asked | {
        f"{ids.SHELL_LANG}.data": "en", f"{ids.OPS_INVITE_GRID}.selectedRows": rows},
        f"{ids.SHELL_LANG}.data")[ids.OPS_INVITE_GRID]
    assert [c["headerName"] for c in relabelled["columnDefs"]][:2] == [
        "Full name", "Identity document"]
    assert [r["group"] for r in relabelled["rowData"]] == ["1 · Health-care workers"]
    assert relabelled["selectedRows"] == relabelled["rowData"]
    assert _call(app, client, token, ids.OPS_INVITE_GRID, asked | {
        f"{ids.OPS_INVITE_GRID}.selectedRows": rows},
        f"{ids.OPS_INVITE_GENERATE}.n_clicks")[ids.OPS_INVITE_GRID]["selectedRows"] == []
    exported = _call(app, client, token, ids.OPS_INVITE_DOWNLOAD,
                     asked | {f"{ids.OPS_INVITE_EXPORT}.n_clicks": 1, f"{ids.SHELL_LANG}.data":
                              "en"}, f"{ids.OPS_INVITE_EXPORT}.n_clicks")
    download = exported[ids.OPS_INVITE_DOWNLOAD]["data"]
    assert download["filename"] == f"invitations-{sid}.xlsx" and download["base64"]
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
    assert sheet is not None and sheet.title == "Invitations"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Full name", "Identity document", "Phone", "Priority group", "Reason", "Due from"],
        ["'=HYPERLINK(\"http://x\",\"An\")", f"CCCD {PERSON}", "0912345678",
         "1 · Health-care workers", "First dose (registered): AZ Primary 1, from 8 Mar 2021",
         dt.datetime(2021, 7, 20)]]
    sent = _call(app, client, token, ids.OPS_INVITE_STATUS, {
        f"{ids.OPS_INVITE_GRID}.selectedRows": rows, f"{ids.OPS_INVITE_SESSION}.data": sid,
        f"{ids.SHELL_LANG}.data": "en", f"{ids.OPS_INVITE_SEND}.n_clicks": 1,
        f"{ids.OPS_SESSIONS_VERSION}.data": 1}, f"{ids.OPS_INVITE_SEND}.n_clicks")
    assert sent[ids.OPS_INVITE_STATUS]["children"] == "1 people invited to the session."
    with engine.connect() as conn:
        assert conn.execute(text("SELECT person_id, source, registration_id FROM vax_booking")
                            ).all() == [(PERSON, "INVITED", "REG1")]
    again = _call(app, client, token, ids.OPS_INVITE_STATUS, {
        f"{ids.OPS_INVITE_GRID}.selectedRows": rows, f"{ids.OPS_INVITE_SESSION}.data": sid,
        f"{ids.SHELL_LANG}.data": "en", f"{ids.OPS_INVITE_SEND}.n_clicks": 2},
        f"{ids.OPS_INVITE_SEND}.n_clicks")
    assert again[ids.field_error(ids.OPS_INVITE_SEND)]["children"] == (
        f"The person with document {PERSON} already has a place in this session. "
        "No one was invited.")


def test_a_ministry_leader_gets_the_refusal_and_no_list(app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "bo.yte", PASSWORD)
    page = _call(app, client, token, "_pages_content", {"_pages_location.pathname":
                                                        "/ops/sessions",
                                                        "_pages_location.search": ""},
                 "_pages_location.pathname")
    assert ids.OPS_DENIED in str(page) and ids.OPS_SESSION_CREATE not in str(page)
    listed = _call(app, client, token, ids.OPS_SESSIONS_LIST, {
        f"{ids.OPS_SESSIONS_FACILITY}.value": "F00101",
        f"{ids.OPS_SESSIONS_FROM}.value": "2021-10-01", f"{ids.OPS_SESSIONS_TO}.value":
        "2021-10-31", f"{ids.SHELL_LANG}.data": "en"}, f"{ids.OPS_SESSIONS_FACILITY}.value")
    assert listed[ids.field_error(ids.OPS_SESSIONS_FACILITY)]["children"].startswith(
        "Your role does not work")
