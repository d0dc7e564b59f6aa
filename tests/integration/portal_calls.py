"""Posting the portal's callbacks as an anonymous visitor (the registration pages' tests)."""

from __future__ import annotations

from typing import Any

import dash
from flask.testing import FlaskClient

from callbacks.portal.register import ERROR_FIELDS, FIELDS
from callbacks.shared import ids
from callbacks.shared import ids_portal as pid
from data.portal import challenge
from tests.webcalls import outputs_of, payload_in

PORTAL_CALLBACKS = "/portal/_dash-update-component"

# A valid self-registration: a man born 1990 in Hà Nội (CCCD 001 0 90 ...), Ba Đình.
GOOD = {pid.REG_ID_TYPE: "CCCD", pid.REG_PERSON_ID: "001090012345",
        pid.REG_FULL_NAME: "Nguyễn Văn An", pid.REG_BIRTH_DATE: "02/01/1990",
        pid.REG_SEX: "M", pid.REG_PHONE: "0912345678", pid.REG_PRIORITY: "0",
        pid.REG_PROVINCE: "01", pid.REG_DISTRICT: "001", pid.REG_WARD: None,
        pid.REG_ADDRESS: "12 Phố Kim Mã", pid.REG_FACILITY: None}


def portal_of(app: dash.Dash) -> dash.Dash:
    """The portal's Dash app on the same server."""
    return app.server.extensions["vx_portal"]  # type: ignore[no-any-return]


def token_of(client: FlaskClient) -> str:
    """Open the portal anonymously; the CSRF token its callbacks carry."""
    assert client.get("/portal/register").status_code == 200
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return cookie.value


def fresh_challenge(app: dash.Dash) -> tuple[str, int]:
    """(a challenge token signed with the app's secret, its answer)."""
    secret = str(app.server.config["SECRET_KEY"])
    made = challenge.new_challenge(secret)
    return made.token, made.a + made.b


def submit_body(app: dash.Dash, values: dict[str, Any], token: str, answer: Any,
                lang: str = "vi") -> dict[str, Any]:
    """The registration form's submit, as dash-renderer posts it."""
    outputs = [*[(ids.field_error(f), "children") for f in ERROR_FIELDS],
               (pid.REG_STATUS, "children"), (pid.REG_RESULT, "children"),
               (f"{pid.REG_RESULT}-block", "hidden"), (pid.REG_CHALLENGE_TOKEN, "data"),
               (pid.REG_CHALLENGE_ANSWER, "value"), (pid.REG_FORM, "hidden")]
    return payload_in(
        portal_of(app), outputs,
        [(pid.REG_SUBMIT, "n_clicks", 1), (pid.REG_CHALLENGE_ANSWER, "n_submit", 0)],
        [*[(f, "value", values.get(f)) for f in FIELDS], (pid.REG_CHALLENGE_TOKEN, "data", token),
         (pid.REG_CHALLENGE_ANSWER, "value", answer), (ids.SHELL_LANG, "data", lang)],
        [f"{pid.REG_SUBMIT}.n_clicks"])


def submit(client: FlaskClient, csrf: str, app: dash.Dash, values: dict[str, Any],
           lang: str = "vi", answer: Any = None, token: str | None = None
           ) -> dict[str, dict[str, Any]]:
    """Submit the form with a fresh, solved challenge (or the token/answer given)."""
    made, right = fresh_challenge(app)
    body = submit_body(app, values, token or made, right if answer is None else answer, lang)
    response = client.post(PORTAL_CALLBACKS, json=body, headers={"X-CSRFToken": csrf})
    assert response.status_code == 200, response.get_data(as_text=True)
    return outputs_of(response)


def error(out: dict[str, dict[str, Any]], field: str) -> str:
    """The error shown beside a field."""
    return str(out[ids.field_error(field)]["children"])


def code_of(out: dict[str, dict[str, Any]]) -> str | None:
    """The registration code in the result block, None when there is none."""
    block = out.get(pid.REG_RESULT, {}).get("children")
    if not block:
        return None
    return next(p["props"]["children"] for p in block
                if p["props"].get("id") == f"{pid.REG_RESULT}-code")
