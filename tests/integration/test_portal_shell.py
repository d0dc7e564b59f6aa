"""The public portal's boundary: its own Dash app at /portal/, open to anyone, with CSRF and
input checks on its callbacks, and no way from it to a staff callback or staff data."""

from __future__ import annotations

from typing import Any

import dash
from flask.testing import FlaskClient

from callbacks.portal.router import link_classes
from callbacks.shared import ids, portal_paths
from callbacks.shared.ids_portal import PORTAL_PAGE, PORTAL_URL
from tests.integration.test_web_security import MAP_CALL
from tests.webcalls import decoded

PORTAL_CALLBACKS = "/portal/_dash-update-component"


def route_call(path: str, lang: str | None = "vi") -> dict[str, Any]:
    """The portal router's callback as dash-renderer posts it on a page load."""
    return {
        "output": f"{PORTAL_PAGE}.children",
        "outputs": {"id": PORTAL_PAGE, "property": "children"},
        "inputs": [{"id": PORTAL_URL, "property": "pathname", "value": path}],
        "state": [{"id": ids.SHELL_LANG, "property": "data", "value": lang}],
        "changedPropIds": [f"{PORTAL_URL}.pathname"],
    }


def portal_token(client: FlaskClient) -> str:
    """Open the portal as an anonymous visitor; the CSRF cookie its callbacks send back."""
    page = client.get("/portal/")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None, "the portal page sets the CSRF cookie for anonymous visitors"
    return cookie.value


def test_anonymous_visitor_opens_the_portal_and_its_pages(client: FlaskClient) -> None:
    token = portal_token(client)
    answer = client.post(PORTAL_CALLBACKS, json=route_call(portal_paths.HOME),
                         headers={"X-CSRFToken": token})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    text = decoded(answer)
    assert "Dịch vụ công về tiêm chủng COVID-19" in text
    assert portal_paths.CERTIFICATE in text
    english = decoded(client.post(PORTAL_CALLBACKS, json=route_call(portal_paths.HOME, "en"),
                                  headers={"X-CSRFToken": token}))
    assert "COVID-19 vaccination services" in english
    assert "Dịch vụ công" not in english
    missing = decoded(client.post(PORTAL_CALLBACKS, json=route_call("/portal/nope", "en"),
                                  headers={"X-CSRFToken": token}))
    assert "There is no such page." in missing


def test_portal_callbacks_need_the_csrf_token_and_a_well_formed_body(
    client: FlaskClient,
) -> None:
    token = portal_token(client)
    refused = client.post(PORTAL_CALLBACKS, json=route_call(portal_paths.HOME))
    assert refused.status_code in (400, 403)
    assert "Dịch vụ công" not in refused.get_data(as_text=True)
    malformed = client.post(PORTAL_CALLBACKS, data="[1, 2", content_type="application/json",
                            headers={"X-CSRFToken": token})
    assert malformed.status_code == 400
    hostile = route_call("x" * 5000)
    answer = client.post(PORTAL_CALLBACKS, json=hostile, headers={"X-CSRFToken": token})
    assert answer.status_code in (200, 400)
    assert answer.status_code != 500


def test_no_staff_callback_is_reachable_from_the_portal(client: FlaskClient,
                                                       app: dash.Dash) -> None:
    token = portal_token(client)
    # The staff map callback, posted to the portal's endpoint: not part of its graph.
    answer = client.post(PORTAL_CALLBACKS, json=MAP_CALL, headers={"X-CSRFToken": token})
    assert answer.status_code != 200
    assert "choropleth" not in answer.get_data(as_text=True)
    # ... and to the staff endpoint, with the portal's cookie and token: still anonymous.
    staff = client.post("/_dash-update-component", json=MAP_CALL,
                        headers={"X-CSRFToken": token})
    assert staff.status_code == 401
    graph = client.get("/portal/_dash-dependencies").get_json()
    outputs = " ".join(str(c.get("output")) for c in graph)
    assert PORTAL_PAGE in outputs
    assert not any(o.startswith(("progress-", "ops-", "admin-", "shell-version"))
                   for c in graph for o in str(c.get("output")).strip(".").split("..."))
    # The staff pages still need a session.
    assert client.get("/").status_code == 302


def test_portal_pages_carry_the_security_headers(client: FlaskClient) -> None:
    page = client.get("/portal/figures")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "'unsafe-eval'" not in policy
    assert page.headers["X-Frame-Options"] == "DENY"


def test_the_header_marks_the_current_page() -> None:
    links = [{"type": "portal-link", "path": p}
             for p in (portal_paths.FIGURES, portal_paths.REGISTER)]
    assert link_classes("/portal/register/", links) == [
        "portal-link", "portal-link portal-link-current"]
    assert link_classes("/portal/", links) == ["portal-link", "portal-link"]
    assert link_classes(None, links) == ["portal-link", "portal-link"]


def test_the_portal_loads_its_own_scripts_and_no_staff_one(client: FlaskClient) -> None:
    page = client.get("/portal/").get_data(as_text=True)
    assert "portal_register.js" in page and "portal_verify.js" in page
    for staff in ("session.js", "grid_lang.js", "ops_screening.js", "kpi_fit.js"):
        assert staff not in page
