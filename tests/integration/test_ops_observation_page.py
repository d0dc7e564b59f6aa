"""The observation page through the real Dash endpoint, signed in, on each backend: the board
of the desk's facility with each countdown's end, a release (early only with a reason, told
beside the row), the reaction form pre-filled with the dose and its errors beside the fields,
the report recorded; a ministry leader gets the refusal."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from app import create_app
from callbacks.ops.observation import FORM_FIELDS
from callbacks.shared import ids
from data.auth.roles import SYSTEM, Role
from data.ops.commands.injection import record_injection
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, injection, write_csv
from tests.integration.ops_setup import PASSWORD, principal
from tests.webcalls import (
    ids_in,
    log_in,
    nav_links,
    ops_nav_call,
    outputs_of,
    page_call,
    payload,
    post,
    text_of,
)

LANGS = ("vi", "en")


def _ago(minutes: int) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).replace(microsecond=0)


@pytest.fixture
def given() -> dict[str, dt.datetime]:
    return {"LONG": _ago(41), "NEW": _ago(4)}


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path,
        given: dict[str, dt.datetime]) -> Iterator[dash.Dash]:
    rows = [FACILITY, facility("F00102")]
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows))
    names = {"LONG": "Nguyễn Văn An", "NEW": "Trần Thị Bình"}
    for n, (rid, at) in enumerate(given.items()):
        record_injection(engine, SYSTEM, injection(rid, person_id=f"00109001234{n}",
                                                   full_name=names[rid],
                                                   administered_at=at.isoformat()), "en")
    # Another facility's dose: never on this desk's board.
    record_injection(engine, SYSTEM, injection("ELSEWHERE", person_id="001090099999",
                                               facility_code="F00102",
                                               administered_at=_ago(2).isoformat()), "en")
    principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _key(app: dash.Dash, *fragments: str) -> str:
    """The callback map's key of the callback whose outputs name all `fragments`."""
    found = [k for k in app.callback_map if all(f in k for f in fragments)]
    assert len(found) == 1, found
    return found[0]


def _pid(kind: str, record_id: str) -> str:
    return json.dumps({"record": record_id, "type": kind}, separators=(",", ":"))


def _board(client: FlaskClient, token: str, lang: str) -> dict[str, Any]:
    body = payload([(ids.OPS_OBS_BOARD, "children"), (ids.OPS_OBS_ROWS, "data")],
                   [(ids.OPS_OBS_TICK, "n_intervals", 1), (ids.OPS_OBS_DONE, "data", 0),
                    (ids.SHELL_LANG, "data", lang)])
    return outputs_of(post(client, body, token))


def _release(app: dash.Dash, client: FlaskClient, token: str, record_id: str,
             records: list[str], reasons: dict[str, str], lang: str) -> dict[str, Any]:
    """The board's release callback as the browser sends it when `record_id`'s button is
    pressed (every row's button, reason box and error line matched by ALL)."""
    body = {
        "output": _key(app, ids.OPS_OBS_ROW_ERROR, ids.OPS_OBS_STATUS),
        "outputs": [[{"id": {"type": ids.OPS_OBS_ROW_ERROR, "record": r},
                      "property": "children"} for r in records],
                    {"id": ids.OPS_OBS_STATUS, "property": "children"},
                    {"id": ids.OPS_OBS_DONE, "property": "data"}],
        "inputs": [[{"id": {"type": ids.OPS_OBS_RELEASE, "record": r}, "property": "n_clicks",
                     "value": 1 if r == record_id else 0} for r in records],
                   [{"id": {"type": ids.OPS_OBS_REASON, "record": r}, "property": "n_submit",
                     "value": 0} for r in reasons]],
        "state": [[{"id": {"type": ids.OPS_OBS_REASON, "record": r}, "property": "value",
                    "value": v} for r, v in reasons.items()],
                  {"id": ids.OPS_OBS_ROWS, "property": "data", "value": {}},
                  {"id": ids.OPS_OBS_DONE, "property": "data", "value": 3},
                  {"id": ids.SHELL_LANG, "property": "data", "value": lang}],
        "changedPropIds": [f"{_pid(ids.OPS_OBS_RELEASE, record_id)}.n_clicks"],
    }
    return outputs_of(post(client, body, token))


def test_the_board_shows_the_desks_people_with_their_countdown(
        app: dash.Dash, given: dict[str, dt.datetime]) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    page = outputs_of(post(client, page_call("/ops/observation"), token))
    assert {ids.OPS_OBS_BOARD, ids.OPS_OBS_TICK, ids.OPS_OBS_FORM} <= ids_in(
        page["_pages_content"]["children"])
    out = _board(client, token, "en")
    board = out[ids.OPS_OBS_BOARD]["children"]
    shown = text_of(board)
    assert "Nguyễn Văn An" in shown and "Trần Thị Bình" in shown and "ELSEWHERE" not in shown
    assert "Release" in shown and "Reaction" in shown
    rows = board["props"]["children"][1]["props"]["children"]
    assert [r["props"]["key"] for r in rows] == ["LONG", "NEW"]
    # Each countdown ends 30 minutes after its injection (ms since the epoch, for the browser).
    ends = [r["props"]["children"][3]["props"]["children"]["props"]["data-release-at"]
            for r in rows]
    assert ends == [str(int((given[k] + dt.timedelta(minutes=30)).timestamp() * 1000))
                    for k in ("LONG", "NEW")]
    # The one past its 30 minutes is highlighted and needs no reason box.
    assert ["ops-obs-overdue" in r["props"]["className"] for r in rows] == [True, False]
    assert out[ids.OPS_OBS_ROWS]["data"]["NEW"].startswith("Trần Thị Bình · AZ Primary 1 · ")
    vi = text_of(_board(client, token, "vi")[ids.OPS_OBS_BOARD]["children"])
    assert "Cho về" in vi and "Phản ứng" in vi
    assert "Lý do cho Trần Thị Bình về sớm" in vi and "cho Nguyễn Văn An về sớm" not in vi


def test_release_from_the_board(app: dash.Dash, engine: Engine) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    records = ["LONG", "NEW"]
    early = _release(app, client, token, "NEW", records, {"NEW": ""}, "en")
    assert early[_pid(ids.OPS_OBS_ROW_ERROR, "NEW")]["children"] == (
        "The 30 minutes are not over: give the reason for an early release.")
    assert early[_pid(ids.OPS_OBS_ROW_ERROR, "LONG")]["children"] == ""
    assert ids.OPS_OBS_DONE not in early  # nothing changed: the board is not redrawn
    done = _release(app, client, token, "LONG", records, {"NEW": ""}, "vi")
    assert done[ids.OPS_OBS_STATUS]["children"] == "Đã cho về: LONG"
    assert done[ids.OPS_OBS_DONE]["data"] == 4
    with_reason = _release(app, client, token, "NEW", records,
                           {"NEW": "Người nhà đón sớm"}, "en")
    assert with_reason[ids.OPS_OBS_STATUS]["children"] == "Released: NEW"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT record_id, note FROM vax_observation "
                                 "ORDER BY record_id")).all() == [
            ("LONG", None), ("NEW", "Người nhà đón sớm")]
    again = _release(app, client, token, "LONG", records, {}, "en")
    assert again[_pid(ids.OPS_OBS_ROW_ERROR, "LONG")]["children"].startswith(
        "This person's observation has already ended")
    assert text_of(_board(client, token, "en")[ids.OPS_OBS_BOARD]["children"]) == \
        "No one is under observation."


def _submit(app: dash.Dash, client: FlaskClient, token: str, record_id: str,
            symptoms: str, severity: str, seriousness: list[str], onset: str,
            lang: str) -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in FORM_FIELDS]
    outs += [(ids.OPS_OBS_STATUS, "children"), (ids.OPS_OBS_DONE, "data"),
             (ids.OPS_OBS_FORM, "hidden")]
    body = payload(outs, [(ids.OPS_OBS_SUBMIT, "n_clicks", 1),
                          (ids.OPS_OBS_SYMPTOMS, "n_submit", 0)],
                   [(ids.OPS_OBS_DOSE, "data", record_id),
                    (ids.OPS_OBS_SYMPTOMS, "value", symptoms),
                    (ids.OPS_OBS_SEVERITY, "value", severity),
                    (ids.OPS_OBS_SERIOUSNESS, "value", seriousness),
                    (ids.OPS_OBS_ONSET, "value", onset), (ids.OPS_OBS_OUTCOME, "value",
                                                          "RECOVERING"),
                    (ids.OPS_OBS_DONE, "data", 1), (ids.SHELL_LANG, "data", lang)],
                   [f"{ids.OPS_OBS_SUBMIT}.n_clicks"])
    body["output"] = _key(app, ids.field_error(ids.OPS_OBS_SYMPTOMS))
    return outputs_of(post(client, body, token))


def test_a_reaction_from_the_board_opens_an_aefi_report(app: dash.Dash, engine: Engine,
                                                       settings: Settings) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    rows = _board(client, token, "vi")[ids.OPS_OBS_ROWS]["data"]
    opened = outputs_of(post(client, {
        "output": _key(app, ids.OPS_OBS_FORM, ids.OPS_OBS_DOSE),
        "outputs": [{"id": ids.OPS_OBS_FORM, "property": "children"},
                    {"id": ids.OPS_OBS_FORM, "property": "hidden"},
                    {"id": ids.OPS_OBS_DOSE, "property": "data"}],
        "inputs": [[{"id": {"type": ids.OPS_OBS_REACT, "record": r}, "property": "n_clicks",
                     "value": 1 if r == "NEW" else 0} for r in rows]],
        "state": [{"id": ids.OPS_OBS_ROWS, "property": "data", "value": rows},
                  {"id": ids.SHELL_LANG, "property": "data", "value": "vi"}],
        "changedPropIds": [f"{_pid(ids.OPS_OBS_REACT, 'NEW')}.n_clicks"]}, token))
    assert opened[ids.OPS_OBS_FORM]["hidden"] is False
    assert opened[ids.OPS_OBS_DOSE]["data"] == "NEW"
    form = text_of(opened[ids.OPS_OBS_FORM]["children"])
    assert "Trần Thị Bình · AZ Cơ bản 1 · tiêm lúc" in form and "Triệu chứng" in form
    assert set(FORM_FIELDS) <= ids_in(opened[ids.OPS_OBS_FORM]["children"])
    # Errors beside their fields: a serious case without its criterion, a bad time.
    now = dt.datetime.now(ZoneInfo(settings.timezone)).strftime("%H:%M")
    bad = _submit(app, client, token, "NEW", "Khó thở", "SERIOUS", [], now, "en")
    assert bad[ids.field_error(ids.OPS_OBS_SERIOUSNESS)]["children"].startswith(
        "A serious case needs its seriousness")
    assert bad[ids.field_error(ids.OPS_OBS_SYMPTOMS)]["children"] == ""
    assert bad[ids.OPS_OBS_STATUS]["children"] == ""
    late = _submit(app, client, token, "NEW", "Khó thở", "MILD", [], "25:99", "vi")
    assert late[ids.field_error(ids.OPS_OBS_ONSET)]["children"] == "Nhập giờ dạng HH:MM."
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM vax_observation")).scalar_one() == 0
    ok = _submit(app, client, token, "NEW", "Khó thở; nổi mề đay", "SERIOUS",
                 ["HOSPITALISATION"], now, "vi")
    assert ok[ids.OPS_OBS_STATUS]["children"] == "Đã ghi nhận phản ứng và mở báo cáo AEFI."
    assert ok[ids.OPS_OBS_FORM]["hidden"] is True and ok[ids.OPS_OBS_DONE]["data"] == 2
    with engine.connect() as conn:
        assert conn.execute(text(
            "SELECT a.record_id, a.severity, a.seriousness, a.symptoms, o.outcome "
            "FROM aefi_report a JOIN vax_observation o ON o.aefi_report_id = a.report_id"
        )).all() == [("NEW", "SERIOUS", "HOSPITALISATION", "Khó thở; nổi mề đay", "REACTION")]


def test_a_ministry_leader_is_refused_and_the_nav_links_the_page(app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "bo.yte", PASSWORD)
    page = outputs_of(post(client, page_call("/ops/observation"), token))
    assert ids.OPS_DENIED in ids_in(page["_pages_content"]["children"])
    assert ids.OPS_OBS_BOARD not in ids_in(page["_pages_content"]["children"])
    refused = text_of(_board(client, token, "en")[ids.OPS_OBS_BOARD]["children"])
    assert refused.startswith("Your role does not work vaccination sessions")
    desk = app.server.test_client()
    desk_token = log_in(desk, "tram.phucxa", PASSWORD)
    tabs = nav_links(outputs_of(post(desk, ops_nav_call("vi", "/ops/observation"),
                                     desk_token)))[1]
    # The whole list is test_ops_checkin_page's; this page's tab is in it.
    assert ("/ops/observation", "Theo dõi sau tiêm") in tabs
