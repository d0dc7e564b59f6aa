"""Signing in through the Flask test client and posting Dash callbacks built by hand.

The payloads are what dash-renderer sends to /_dash-update-component; tests forge them to
call a callback the way any client could, whatever the page showed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from callbacks.admin import admin_audit, admin_users
from callbacks.mcc.progress import KPI_OUTPUTS
from callbacks.shared import ids

Prop = tuple[str, str]
Value = tuple[str, str, Any]


def payload(outputs: Sequence[Prop], inputs: Iterable[Value], state: Iterable[Value] = (),
            changed: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON body dash-renderer posts for one callback."""
    outs = [{"id": i, "property": p} for i, p in outputs]
    key = (f"{outputs[0][0]}.{outputs[0][1]}" if len(outputs) == 1
           else ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..")
    return {
        "output": key,
        "outputs": outs[0] if len(outs) == 1 else outs,
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": list(changed),
    }


def payload_in(app: Any, outputs: Sequence[Prop], inputs: Iterable[Value],
               state: Iterable[Value] = (), changed: Iterable[str] = ()) -> dict[str, Any]:
    """payload(...) for the callback of `app` with these outputs, with the "@hash" marks
    Dash gives outputs declared allow_duplicate, as dash-renderer sends them."""
    body = payload(outputs, inputs, state, changed)
    wanted = [f"{i}.{p}" for i, p in outputs]
    for key in app.callback_map:
        parts = key.strip(".").split("...") if key.startswith("..") else [key]
        if [re.sub(r"@[0-9a-f]+$", "", part) for part in parts] == wanted:
            outs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
                    for part in parts]
            return body | {"output": key, "outputs": outs[0] if len(outs) == 1 else outs}
    raise KeyError(f"no callback of the app has the outputs {wanted}")


def log_in(client: FlaskClient, username: str, password: str) -> str:
    """Sign in through the real form; returns the CSRF token the callbacks must carry."""
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": found.group(1)})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get("/").status_code == 200
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return cookie.value


def post(client: FlaskClient, body: dict[str, Any], token: str) -> TestResponse:
    """POST one callback with the CSRF header."""
    return client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token})


def decoded(response: TestResponse) -> str:
    """A JSON response as text with every escape undone, for searching words in it.

    Dash may send non-ASCII as \\u escapes or as UTF-8 depending on its version; searching
    the raw body for 'Cán bộ' would then pass or fail by library version, not by behaviour.
    """
    return json.dumps(response.get_json(), ensure_ascii=False)


def outputs_of(response: TestResponse) -> dict[str, dict[str, Any]]:
    """{component id: {property: value}} of a successful callback response."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]  # type: ignore[no-any-return]


def overview_call(lang: str = "vi") -> dict[str, Any]:
    """The progress page's headline callback (national figures: every role)."""
    outs = [(i, "children") for i in KPI_OUTPUTS]
    outs += [(ids.PROGRESS_DAILY, "figure"), (ids.PROGRESS_UPDATED, "children")]
    return payload(outs, [(ids.SHELL_VERSION, "data", "1@2021-10-01"),
                          (ids.SHELL_LANG, "data", lang)])


def list_users_call(lang: str = "vi") -> dict[str, Any]:
    """The account list of the user management page."""
    return payload(
        [(ids.ADMIN_USERS_TABLE, "children"), (ids.ADMIN_MANAGE_USER, "options")],
        [(ids.SHELL_LANG, "data", lang), (ids.ADMIN_CREATE_DONE, "data", 0),
         (ids.ADMIN_MANAGE_DONE, "data", 0)])


def create_user_call(username: str, name: str, password: str, role: str | None,
                     scope: str = "", lang: str = "vi") -> dict[str, Any]:
    """The create form submitted with its button."""
    fields = admin_users.CREATE_ERRORS
    outs = [(ids.field_error(f), "children") for f in fields]
    outs += [(ids.ADMIN_CREATE_STATUS, "children"), (ids.ADMIN_CREATE_DONE, "data"),
             (ids.ADMIN_CREATE_PASSWORD, "value")]
    inputs = [(ids.ADMIN_CREATE_SUBMIT, "n_clicks", 1)]
    inputs += [(f, "n_submit", 0) for f in (ids.ADMIN_CREATE_USERNAME, ids.ADMIN_CREATE_NAME,
                                            ids.ADMIN_CREATE_PASSWORD, ids.ADMIN_CREATE_SCOPE)]
    values = (username, name, password, role, scope)
    state = [(f, "value", v) for f, v in zip(fields, values, strict=True)]
    state += [(ids.SHELL_LANG, "data", lang), (ids.ADMIN_CREATE_DONE, "data", 0)]
    return payload(outs, inputs, state, [f"{ids.ADMIN_CREATE_SUBMIT}.n_clicks"])


def manage_call(trigger: str, user_id: int | None, role: str | None = None, scope: str = "",
                password: str = "", lang: str = "vi") -> dict[str, Any]:
    """The update form, `trigger` being the button pressed."""
    fields = admin_users.MANAGE_ERRORS
    outs = [(ids.field_error(f), "children") for f in fields]
    outs += [(ids.ADMIN_MANAGE_STATUS, "children"), (ids.ADMIN_MANAGE_DONE, "data"),
             (ids.ADMIN_MANAGE_PASSWORD, "value")]
    triggers = [(ids.ADMIN_MANAGE_ROLES_SUBMIT, "n_clicks"), (ids.ADMIN_MANAGE_SCOPE, "n_submit"),
                (ids.ADMIN_MANAGE_RESET_SUBMIT, "n_clicks"),
                (ids.ADMIN_MANAGE_PASSWORD, "n_submit"),
                (ids.ADMIN_MANAGE_DEACTIVATE, "n_clicks"), (ids.ADMIN_MANAGE_ACTIVATE, "n_clicks")]
    inputs = [(i, p, 1 if i == trigger else 0) for i, p in triggers]
    state = [(f, "value", v) for f, v in zip(fields, (user_id, role, scope, password),
                                             strict=True)]
    state += [(ids.SHELL_LANG, "data", lang), (ids.ADMIN_MANAGE_DONE, "data", 0)]
    prop = next(p for i, p in triggers if i == trigger)
    return payload(outs, inputs, state, [f"{trigger}.{prop}"])


def audit_call(username: str | None = None, table: str | None = None,
               start: str | None = None, end: str | None = None,
               lang: str = "vi", action: str | None = None) -> dict[str, Any]:
    """The audit page's callback with its filters."""
    values = (lang, username, action, table, start, end, 0)
    return payload(admin_audit.OUTPUTS,
                   [(i, p, v) for (i, p), v in zip(admin_audit.INPUTS, values, strict=True)])


def page_call(path: str, search: str = "") -> dict[str, Any]:
    """Dash Pages' router callback: the layout of the page at `path` (with `search`)."""
    return payload([("_pages_content", "children"), ("_pages_store", "data")],
                   [("_pages_location", "pathname", path), ("_pages_location", "search", search)])


def ids_in(node: Any) -> set[str]:
    """Every string id in a serialised Dash component tree."""
    found: set[str] = set()
    if isinstance(node, dict):
        props = node.get("props", {})
        if isinstance(props.get("id"), str):
            found.add(props["id"])
        for value in props.values():
            found |= ids_in(value)
    elif isinstance(node, list):
        for item in node:
            found |= ids_in(item)
    return found


def text_of(node: Any) -> str:
    """All the text of a Dash component tree (objects or serialised), space-joined."""
    if hasattr(node, "to_plotly_json"):
        return text_of(getattr(node, "children", None))
    if isinstance(node, dict):
        return text_of(node.get("props", {}).get("children"))
    if isinstance(node, list):
        return " ".join(text_of(n) for n in node)
    return "" if node is None else str(node)


def ops_nav_call(lang: str, path: str) -> dict[str, Any]:
    """The operations navigation's callback (callbacks.ops.nav) on the page at `path`."""
    return payload([(ids.SHELL_OPS_NAV, "children"), (ids.SHELL_OPS_TABS, "children")],
                   [(ids.SHELL_LANG, "data", lang), (ids.SHELL_URL, "pathname", path)])


def nav_links(out: dict[str, dict[str, Any]]) -> tuple[list[tuple[str, str]],
                                                       list[tuple[str, str]]]:
    """(href, text) of the top bar's operations areas and of the tabs, from its response."""
    def pairs(key: str) -> list[tuple[str, str]]:
        return [(a["props"]["href"], a["props"]["children"]) for a in out[key]["children"]]
    return pairs(ids.SHELL_OPS_NAV), pairs(ids.SHELL_OPS_TABS)
