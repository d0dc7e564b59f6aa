"""Recording arrivals on the check-in page through the real Dash endpoint, on each backend:
the desk's choice of today's sessions (by scope), a registered person checked in with one
button, a walk-in registered and checked in through the short form, each refusal beside its
field, and hostile requests answered without a 500."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from app import create_app
from callbacks.ops.arrival import SESSION_ERROR, parse_birth
from callbacks.ops.checkin import SEARCH_ERROR
from callbacks.shared import ids
from data.auth.roles import Role
from data.ops.commands.sessions import create_session
from data.settings import Settings
from tests.integration.ops_setup import (
    PASSWORD,
    PERSON,
    SOURCE,
    dose,
    plan,
    principal,
    registration,
    seed_places,
)
from tests.webcalls import log_in, outputs_of, payload_in, post, text_of

UNKNOWN = "079301234567"  # a CCCD of a woman born in 2001, registered nowhere
WALKIN = [ids.OPS_WALKIN_ID_TYPE, ids.OPS_WALKIN_PERSON_ID, ids.OPS_WALKIN_NAME,
          ids.OPS_WALKIN_BIRTH, ids.OPS_WALKIN_SEX, ids.OPS_WALKIN_PHONE,
          ids.OPS_WALKIN_PROVINCE, ids.OPS_WALKIN_DISTRICT, ids.OPS_WALKIN_GROUP]


@pytest.fixture
def desk(settings: Settings, engine: Engine) -> Iterator[tuple[dash.Dash, dict[str, str]]]:
    seed_places(engine)
    registration(engine, "REG000000001")
    dose(engine, "INJ-1")
    today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, "quan.badinh", Role.DISTRICT_OFFICER, "001")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    hcm = principal(engine, "tram.q1", Role.FACILITY_STAFF, "F76001")
    sessions = {
        "F00101": create_session(engine, staff, SOURCE, plan(day=today, lots=[])),
        "F00102": create_session(engine, principal(engine, "tram.b", Role.FACILITY_STAFF,
                                                   "F00102"), SOURCE,
                                 plan("F00102", day=today, lots=[])),
        "F76001": create_session(engine, hcm, SOURCE, plan("F76001", day=today, lots=[])),
        # Yesterday's session is not one the desk can check anyone in at.
        "old": create_session(engine, staff, SOURCE,
                              plan(day=today - dt.timedelta(days=1), lots=[])),
    }
    application = create_app(settings)
    yield application, sessions
    application.server.extensions["vx_services"].engine.dispose()


def _signed_in(app: dash.Dash, username: str) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    return client, log_in(client, username, PASSWORD)


def _sessions(app: dash.Dash, username: str) -> tuple[list[dict[str, str]], Any, str]:
    client, token = _signed_in(app, username)
    body = payload_in(app, [(ids.OPS_CHECKIN_SESSION, "options"),
                            (ids.OPS_CHECKIN_SESSION, "value"), (SESSION_ERROR, "children")],
                      [(ids.SHELL_LANG, "data", "en")],
                      [(ids.OPS_CHECKIN_SESSION, "value", None)])
    out = outputs_of(post(client, body, token))
    return (out[ids.OPS_CHECKIN_SESSION]["options"], out[ids.OPS_CHECKIN_SESSION]["value"],
            out[SESSION_ERROR]["children"])


def _search(app: dash.Dash, client: FlaskClient, token: str, value: str,
            session_id: str | None) -> dict[str, Any]:
    body = payload_in(app, [(ids.OPS_CHECKIN_RESULTS, "children"), (SEARCH_ERROR, "children"),
                            (ids.OPS_WALKIN_PANEL, "hidden"),
                            (ids.OPS_WALKIN_PERSON_ID, "value"),
                            (ids.OPS_CHECKIN_STATUS, "children")],
                      [(ids.OPS_CHECKIN_SEARCH, "n_submit", 1)],
                      [(ids.OPS_CHECKIN_SEARCH, "value", value),
                       (ids.OPS_CHECKIN_SESSION, "value", session_id),
                       (ids.SHELL_LANG, "data", "en")],
                      [f"{ids.OPS_CHECKIN_SEARCH}.n_submit"])
    return outputs_of(post(client, body, token))


def _arrive(app: dash.Dash, client: FlaskClient, token: str, person: object,
            session_id: object, lang: str = "en") -> tuple[str, str]:
    button = {"type": ids.OPS_CHECKIN_ARRIVE, "person": person}
    body = payload_in(app, [(ids.OPS_CHECKIN_STATUS, "children"), (SESSION_ERROR, "children"),
                            (ids.OPS_CHECKIN_RESULTS, "children"),
                            (ids.OPS_CHECKIN_SEARCH, "value")],
                      [], [(ids.OPS_CHECKIN_SESSION, "value", session_id),
                           (ids.SHELL_LANG, "data", lang)],
                      [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"])
    body["inputs"] = [[{"id": button, "property": "n_clicks", "value": 1}]]
    out = outputs_of(post(client, body, token))
    return (text_of(out[ids.OPS_CHECKIN_STATUS]["children"]),
            text_of(out.get(SESSION_ERROR, {}).get("children", "")))


def _walk_in(app: dash.Dash, client: FlaskClient, token: str, session_id: object,
             lang: str = "en", **values: object) -> dict[str, str]:
    """Send the walk-in form; {field id or 'status' or 'session': text shown}."""
    form: dict[str, object] = {
        ids.OPS_WALKIN_ID_TYPE: "CCCD", ids.OPS_WALKIN_PERSON_ID: UNKNOWN,
        ids.OPS_WALKIN_NAME: "Trần Thị Bình", ids.OPS_WALKIN_BIRTH: "14/02/2001",
        ids.OPS_WALKIN_SEX: "F", ids.OPS_WALKIN_PHONE: "0987654321",
        ids.OPS_WALKIN_PROVINCE: "01", ids.OPS_WALKIN_DISTRICT: "001",
        ids.OPS_WALKIN_GROUP: 0}
    form.update({getattr(ids, k): v for k, v in values.items()})
    errors = list(dict.fromkeys(ids.field_error(f) for f in WALKIN))
    body = payload_in(
        app, [(ids.OPS_CHECKIN_STATUS, "children"), (SESSION_ERROR, "children"),
              (ids.OPS_WALKIN_PANEL, "hidden"), (ids.OPS_CHECKIN_SEARCH, "value"),
              *[(e, "children") for e in errors]],
        [(ids.OPS_WALKIN_SUBMIT, "n_clicks", 1),
         *[(f, "n_submit", 0) for f in (ids.OPS_WALKIN_PERSON_ID, ids.OPS_WALKIN_NAME,
                                        ids.OPS_WALKIN_BIRTH, ids.OPS_WALKIN_PHONE)]],
        [*[(f, "value", form[f]) for f in WALKIN], (ids.OPS_CHECKIN_SESSION, "value",
                                                    session_id),
         (ids.SHELL_LANG, "data", lang)], [f"{ids.OPS_WALKIN_SUBMIT}.n_clicks"])
    out = outputs_of(post(client, body, token))
    shown = {e.removesuffix("-error"): text_of(out[e]["children"]) for e in errors}
    shown["status"] = text_of(out[ids.OPS_CHECKIN_STATUS]["children"])
    shown["session"] = text_of(out[SESSION_ERROR]["children"])
    return {k: v for k, v in shown.items() if v}


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_the_desk_offers_todays_open_sessions_it_works(
        desk: tuple[dash.Dash, dict[str, str]]) -> None:
    app, sessions = desk
    options, value, error = _sessions(app, "tram.phucxa")
    assert [o["value"] for o in options] == [sessions["F00101"]] and value == sessions["F00101"]
    assert "Cơ sở F00101 (F00101) · 0/5" in options[0]["label"] and error == ""
    # A district officer helps at either facility of Ba Đình, never at Quận 1's.
    options, _, _ = _sessions(app, "quan.badinh")
    assert {o["value"] for o in options} == {sessions["F00101"], sessions["F00102"]}
    assert _sessions(app, "bo.yte") == ([], None, "")


def test_a_registered_person_is_checked_in_with_one_button(
        desk: tuple[dash.Dash, dict[str, str]], engine: Engine) -> None:
    app, sessions = desk
    client, token = _signed_in(app, "tram.phucxa")
    found = _search(app, client, token, PERSON, sessions["F00101"])
    assert "Check in" in text_of(found[ids.OPS_CHECKIN_RESULTS]["children"])
    assert _arrive(app, client, token, f"CCCD:{PERSON}", sessions["F00101"]) == (
        f"Nguyễn Văn An ({PERSON}) is checked in. Next: screening.", "")
    assert _count(engine, f"SELECT COUNT(*) FROM vax_checkin WHERE person_id = '{PERSON}' "
                          f"AND session_id = '{sessions['F00101']}'") == 1
    # Pressed again: one arrival, and the desk is told why.
    status, _ = _arrive(app, client, token, f"CCCD:{PERSON}", sessions["F00101"], "vi")
    assert status == "Người này đã được đón tiếp."
    assert _count(engine, "SELECT COUNT(*) FROM vax_checkin") == 1


def test_an_unknown_number_opens_the_walk_in_form_which_registers_and_checks_in(
        desk: tuple[dash.Dash, dict[str, str]], engine: Engine) -> None:
    app, sessions = desk
    client, token = _signed_in(app, "tram.phucxa")
    found = _search(app, client, token, "079 301 234 567", sessions["F00101"])
    assert found[ids.OPS_WALKIN_PANEL]["hidden"] is False
    assert found[ids.OPS_WALKIN_PERSON_ID]["value"] == UNKNOWN
    shown = _walk_in(app, client, token, sessions["F00101"])
    assert shown == {"status": f"Trần Thị Bình ({UNKNOWN}) is registered and checked in. "
                               "Next: screening."}
    assert _count(engine, f"SELECT COUNT(*) FROM registration WHERE person_id = '{UNKNOWN}' "
                          "AND registration_id LIKE 'WALKIN-%'") == 1
    assert _count(engine, f"SELECT COUNT(*) FROM vax_checkin WHERE person_id = '{UNKNOWN}'") == 1
    assert _count(engine, "SELECT COUNT(*) FROM fct_registration "
                          "WHERE registration_id LIKE 'WALKIN-%'") == 1


def test_each_refusal_of_the_walk_in_form_is_told_beside_its_field(
        desk: tuple[dash.Dash, dict[str, str]], engine: Engine) -> None:
    app, sessions = desk
    client, token = _signed_in(app, "tram.phucxa")
    shown = _walk_in(app, client, token, sessions["F00101"], OPS_WALKIN_NAME=" ",
                     OPS_WALKIN_BIRTH="31/02/2001", OPS_WALKIN_PHONE="")
    assert shown == {ids.OPS_WALKIN_NAME: "Required.", ids.OPS_WALKIN_PHONE: "Required.",
                     ids.OPS_WALKIN_BIRTH: "Write the date of birth as dd/mm/yyyy, "
                                           "e.g. 05/09/1980.",
                     "status": "Correct the marked fields and send again."}
    # The CCCD says a woman born in 2001: the form's year and sex are contradicted, in vi.
    shown = _walk_in(app, client, token, sessions["F00101"], "vi", OPS_WALKIN_BIRTH="14/02/1999",
                     OPS_WALKIN_SEX="M")
    assert "2001" in shown[ids.OPS_WALKIN_BIRTH] and "1999" in shown[ids.OPS_WALKIN_BIRTH]
    assert ids.OPS_WALKIN_SEX in shown and "status" in shown
    shown = _walk_in(app, client, token, sessions["F00101"], OPS_WALKIN_PHONE="12345",
                     OPS_WALKIN_DISTRICT="760")
    assert set(shown) == {ids.OPS_WALKIN_PHONE, ids.OPS_WALKIN_DISTRICT, "status"}
    assert _count(engine, "SELECT COUNT(*) FROM vax_checkin") == 0
    assert _count(engine, "SELECT COUNT(*) FROM registration") == 1


def test_sessions_outside_the_desks_scope_or_day_are_refused_beside_the_session(
        desk: tuple[dash.Dash, dict[str, str]], engine: Engine) -> None:
    app, sessions = desk
    client, token = _signed_in(app, "tram.phucxa")
    choose = "Choose an open session before checking anyone in."
    for other in (sessions["F76001"], sessions["old"], None, 42, "x" * 1999):
        assert _arrive(app, client, token, f"CCCD:{PERSON}", other) == ("", choose)
        assert _walk_in(app, client, token, other) == {"session": choose}
    assert _count(engine, "SELECT COUNT(*) FROM vax_checkin") == 0


def test_hostile_values_get_an_answer_never_a_500(
        desk: tuple[dash.Dash, dict[str, str]], engine: Engine) -> None:
    app, sessions = desk
    client, token = _signed_in(app, "tram.phucxa")
    refused = "This could not be done with these values."
    for person in ("CCCD:' OR 1=1 --", 7, "XX:001090012345", "CCCD:" + "9" * 99):
        assert _arrive(app, client, token, person, sessions["F00101"]) == (refused, "")
    shown = _walk_in(app, client, token, sessions["F00101"], OPS_WALKIN_NAME=12,
                     OPS_WALKIN_BIRTH=True, OPS_WALKIN_ID_TYPE="X" * 300,
                     OPS_WALKIN_GROUP="1; DROP TABLE registration")
    assert shown[ids.OPS_WALKIN_NAME] == "Required."
    assert shown[ids.OPS_WALKIN_ID_TYPE].startswith("Too long")
    assert shown[ids.OPS_WALKIN_BIRTH] == "Required."
    # Objects and lists never reach the callbacks: the gate answers 400 in JSON.
    with pytest.raises(AssertionError, match="not_a_scalar"):
        _walk_in(app, client, token, sessions["F00101"], OPS_WALKIN_NAME={"$ne": 1})
    leader, leader_token = _signed_in(app, "bo.yte")
    denied = _walk_in(app, leader, leader_token, sessions["F00101"])
    assert denied["status"].startswith("Your role does not work vaccination sessions")
    assert _count(engine, "SELECT COUNT(*) FROM vax_checkin") == 0


def test_the_birth_date_is_read_as_the_desk_types_it() -> None:
    today = dt.date(2026, 12, 4)
    assert [parse_birth(v, today) for v in ("5/9/1980", "05.09.1980", "05091980",
                                             "1980-09-05")] == [dt.date(1980, 9, 5)] * 4
    assert [parse_birth(v, today) for v in ("", None, "1980", "31/02/1980", "05/09/2030",
                                             "01/01/1899")] == [
        "ops.walkin.required", "ops.walkin.required", "ops.walkin.birth_format",
        "ops.walkin.birth_format", "ops.walkin.birth_range", "ops.walkin.birth_range"]
