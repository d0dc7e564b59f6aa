"""The closing page through the real Dash endpoint, signed in, on each backend: the session and
its lots with the doses given, the wastage as the vials are typed, a refused tally told beside
its lot in vi and en with nothing written, the confirmation closing the session, and the
refusals (a role that does not operate, a session id that is none, no session)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from app import create_app
from callbacks.shared import ids
from data.auth.roles import Role
from data.settings import Settings
from tests.integration.close_setup import WAREHOUSE, open_session, seed_close, staff
from tests.integration.ops_setup import AZ_LOT, PASSWORD, principal
from tests.webcalls import log_in, outputs_of, post, text_of

VIALS = {"type": ids.OPS_CLOSE_VIALS, "lot": AZ_LOT}


@pytest.fixture
def session_id(settings: Settings, engine: Engine, tmp_path: Path) -> str:
    seed_close(settings, engine, tmp_path)
    sid = open_session(engine, staff(engine))
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    return sid


@pytest.fixture
def app(settings: Settings, session_id: str) -> Iterator[dash.Dash]:
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _callback(client: FlaskClient, output_id: str) -> str:
    """The `output` key of the callback writing `output_id` (with its @hash parts, if any)."""
    deps = client.get("/_dash-dependencies").get_json()
    [found] = [d["output"] for d in deps if f'"{output_id}"' in d["output"].split("...")[0]
               or d["output"].lstrip(".").startswith(f"{output_id}.")]
    return str(found)


def _call(client: FlaskClient, token: str, first_output: str, inputs: list[Any],
          state: list[Any], changed: list[str]) -> dict[str, Any]:
    """Post one callback, its outputs read from its key; a wildcard output lists AZ_LOT's."""
    key = _callback(client, first_output)
    outputs = []
    for part in key.strip(".").split("..."):
        name, prop = part.rsplit(".", 1)
        if name.startswith("{"):
            concrete = {k: (AZ_LOT if v == ["ALL"] else v) for k, v in json.loads(name).items()}
            outputs.append([{"id": concrete, "property": prop}])
        else:
            outputs.append({"id": name, "property": prop})
    body = {"output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": inputs, "state": state, "changedPropIds": changed}
    response = outputs_of(post(client, body, token))
    return {k: v for k, v in response.items()}


def _load(client: FlaskClient, token: str, sid: object, lang: str) -> dict[str, Any]:
    return _call(client, token, ids.OPS_CLOSE_HEAD,
                 [{"id": ids.OPS_CLOSE_SESSION, "property": "data", "value": sid},
                  {"id": ids.SHELL_LANG, "property": "data", "value": lang}],
                 [[], []], [f"{ids.OPS_CLOSE_SESSION}.data"])


def _live(client: FlaskClient, token: str, value: object, lang: str) -> tuple[str, str]:
    out = _call(client, token, ids.OPS_CLOSE_WASTED,
                [[{"id": VIALS, "property": "value", "value": value}]],
                [{"id": ids.OPS_CLOSE_LOT_DATA, "property": "data",
                  "value": [{"lot": AZ_LOT, "given": 13, "per_vial": 10}]},
                 {"id": ids.SHELL_LANG, "property": "data", "value": lang}],
                [json.dumps(VIALS, separators=(",", ":"), sort_keys=True) + ".value"])
    key = json.dumps(VIALS | {"type": ids.OPS_CLOSE_WASTED}, separators=(",", ":"),
                     sort_keys=True)
    error = json.dumps(VIALS | {"type": ids.OPS_CLOSE_VIALS_ERROR}, separators=(",", ":"),
                       sort_keys=True)
    return out[key]["children"], out[error]["children"]


def _confirm(client: FlaskClient, token: str, sid: str, value: object,
             lang: str) -> tuple[str, str, str, bool]:  # result, session error, lot error
    out = _call(client, token, ids.OPS_CLOSE_RESULT,
                [{"id": ids.OPS_CLOSE_CONFIRM, "property": "n_clicks", "value": 1},
                 [{"id": VIALS, "property": "n_submit", "value": 0}]],
                [[{"id": VIALS, "property": "value", "value": value}],
                 [{"id": VIALS, "property": "id", "value": VIALS}],
                 {"id": ids.OPS_CLOSE_SESSION, "property": "data", "value": sid},
                 {"id": ids.SHELL_LANG, "property": "data", "value": lang}],
                [f"{ids.OPS_CLOSE_CONFIRM}.n_clicks"])
    error = json.dumps(VIALS | {"type": ids.OPS_CLOSE_VIALS_ERROR}, separators=(",", ":"),
                       sort_keys=True)
    return (text_of(out[ids.OPS_CLOSE_RESULT]["children"]),
            text_of(out[ids.field_error(ids.OPS_CLOSE_SESSION)]["children"]),
            out[error]["children"], out[ids.OPS_CLOSE_CONFIRM]["disabled"])


def _status(engine: Engine) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [(str(s), int(n)) for s, n in conn.execute(text(
            "SELECT status, (SELECT COUNT(*) FROM vax_session_tally) FROM vax_session"))]


def test_the_page_shows_the_session_and_its_lots(app: dash.Dash, session_id: str) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    out = _load(client, token, session_id, "en")
    head = text_of(out[ids.OPS_CLOSE_HEAD]["children"])
    assert "Facility F00101 · 15 Oct 2021 · 07:30–11:30" in head
    assert f"Stock leaves: {WAREHOUSE}" in head
    assert text_of(out[ids.OPS_CLOSE_LOTS]["children"]).startswith(
        f"Lot Vaccine Doses given Doses per vial Vials opened Open-vial wastage {AZ_LOT} AZ 13 10")
    assert out[ids.OPS_CLOSE_LOT_DATA]["data"] == [{"lot": AZ_LOT, "given": 13, "per_vial": 10}]
    assert out[ids.OPS_CLOSE_CONFIRM]["disabled"] is False
    vi = _load(client, token, session_id, "vi")
    assert "Cơ sở F00101 · 15/10/2021 · 07:30–11:30" in text_of(vi[ids.OPS_CLOSE_HEAD]["children"])


def test_the_wastage_shows_as_the_vials_are_typed(app: dash.Dash, session_id: str) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    assert _live(client, token, 2, "en") == ("7", "")
    assert _live(client, token, 3, "en") == ("17", "")
    assert _live(client, token, None, "en") == ("—", "")
    assert _live(client, token, 1, "en") == (
        "—", "More doses were given than the opened vials hold (13 > 1 × 10).")
    assert _live(client, token, 1, "vi") == (
        "—", "Số liều đã tiêm nhiều hơn số liều trong các lọ đã mở (13 > 1 × 10).")
    assert _live(client, token, "1; DROP TABLE x", "en") == (
        "—", "Enter a whole number of vials from 0 to 10,000.")
    assert _live(client, token, -2, "en")[1] == (
        "Enter a whole number of vials from 0 to 10,000.")


def test_a_refused_tally_is_told_beside_the_lot_and_writes_nothing(
        app: dash.Dash, engine: Engine, session_id: str) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    assert _confirm(client, token, session_id, 1, "en") == (
        "", "", "More doses were given than the opened vials hold (13 > 1 × 10).", False)
    assert _confirm(client, token, session_id, 12, "vi") == (
        "", "", f"Tồn kho lô {AZ_LOT} tại kho {WAREHOUSE} sẽ âm (-20 liều)", False)
    assert _confirm(client, token, session_id, 2.5, "en")[2] == (
        "Enter a whole number of vials from 0 to 10,000.")
    assert _status(engine) == [("OPEN", 0)]


def test_the_confirmation_closes_the_session(app: dash.Dash, engine: Engine,
                                             session_id: str) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    assert _confirm(client, token, session_id, 2, "en") == (
        "Session closed: 13 doses given, 7 doses of open-vial wastage, written to warehouse "
        f"{WAREHOUSE}.", "", "", True)
    assert _status(engine) == [("CLOSED", 1)]
    again = _load(client, token, session_id, "vi")
    assert text_of(again[ids.OPS_CLOSE_LOTS]["children"]) == "Buổi tiêm này đã kết thúc."
    assert again[ids.OPS_CLOSE_CONFIRM]["disabled"] is True


def test_refusals_of_the_page(app: dash.Dash, engine: Engine, session_id: str) -> None:
    leader = app.server.test_client()
    token = log_in(leader, "bo.yte", PASSWORD)
    denied = ("Your role does not work vaccination sessions, so this page is not available "
              "to you.")
    assert text_of(_load(leader, token, session_id, "en")[
        ids.field_error(ids.OPS_CLOSE_SESSION)]["children"]) == denied
    assert _confirm(leader, token, session_id, 2, "en")[:2] == ("", denied)
    assert _status(engine) == [("OPEN", 0)]
    desk = app.server.test_client()
    desk_token = log_in(desk, "tram.phucxa", PASSWORD)
    for sid, said in [("", "Open this page from the list of sessions: no session was given."),
                      ("../x' OR '1'='1", "Session ../x' OR '1'='1 was not found."),
                      ("f" * 32, f"Session {'f' * 32} was not found.")]:
        out = _load(desk, desk_token, sid, "en")
        assert out[ids.field_error(ids.OPS_CLOSE_SESSION)]["children"] == said
        assert out[ids.OPS_CLOSE_CONFIRM]["disabled"] is True
