"""The web gate: sign-in, sessions and their timeouts, CSRF, rate limits and security headers.

Flask's test client against the real app on each backend (and Redis for the rate limiter when
the environment names one).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import time
from typing import Any

import dash
import pytest
from dash import Input, Output
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import create_app
from callbacks.shared import ids
from callbacks.shared.security import current_principal
from callbacks.shared.security.session import LOGIN_AT, MUST_CHANGE, SEEN_AT
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user, set_active
from data.db import unit_of_work
from data.mcc import aggregates
from data.services import Services
from data.settings import Settings
from tests.conftest import redis_url
from tests.webcalls import decoded

PASSWORD = "Mat-khau-2021"
ADMIN = Actor(None, "test-admin", "test")
# The coverage map callback, as dash-renderer posts it on a first visit.
MAP_CALL: dict[str, Any] = {
    "output": f"..{ids.PROGRESS_MAP}.figure...{ids.PROGRESS_MAP_BUILT}.data..",
    "outputs": [{"id": ids.PROGRESS_MAP, "property": "figure"},
                {"id": ids.PROGRESS_MAP_BUILT, "property": "data"}],
    "inputs": [{"id": ids.SHELL_VERSION, "property": "data", "value": "1@2021-10-01"},
               {"id": ids.SHELL_LANG, "property": "data", "value": "vi"},
               {"id": ids.PROGRESS_MAP_METRIC, "property": "value", "value": "pct_dose1"}],
    "state": [{"id": ids.PROGRESS_MAP_BUILT, "property": "data", "value": False}],
    "changedPropIds": [],
}
# The live-refresh timer's poll: background traffic, not user activity.
POLL_CALL: dict[str, Any] = {
    "output": f"{ids.SHELL_VERSION}.data",
    "outputs": {"id": ids.SHELL_VERSION, "property": "data"},
    "inputs": [{"id": ids.SHELL_REFRESH, "property": "n_intervals", "value": 7}],
    "state": [{"id": ids.SHELL_VERSION, "property": "data", "value": None}],
    "changedPropIds": [f"{ids.SHELL_REFRESH}.n_intervals"],
}


def add_user(services: Services, username: str, role: Role = Role.MINISTRY_LEADER,
             scope: str | None = None, must_change: bool = False) -> int:
    with unit_of_work(services.engine) as conn:
        return create_user(conn, ADMIN, username, f"Cán bộ {username}", PASSWORD,
                           [(role, scope)], must_change_password=must_change)


@pytest.fixture
def user(services: Services) -> int:
    return add_user(services, "lanh.dao")


def form_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def log_in(client: FlaskClient, username: str = "lanh.dao", password: str = PASSWORD,
           query: str = "") -> TestResponse:
    token = form_token(client)
    return client.post(f"/login{query}", data={"username": username, "password": password,
                                               "csrf_token": token})


def signed_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def csrf_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return cookie.value


def call(client: FlaskClient, body: dict[str, Any], token: str | None = None) -> TestResponse:
    headers = {"X-CSRFToken": token} if token else {}
    return client.post("/_dash-update-component", json=body, headers=headers)


def test_anonymous_pages_go_to_the_login_form(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2F"
    response = client.get("/progress?province=79")
    assert response.headers["Location"] == "/login?next=%2Fprogress%3Fprovince%3D79"
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    assert client.get("/assets/app.css").status_code == 200
    assert client.get("/_favicon.ico").status_code == 200


def test_anonymous_callbacks_get_401_and_no_data(client: FlaskClient) -> None:
    response = call(client, MAP_CALL)
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"] == "unauthenticated"
    body = response.get_data(as_text=True)
    assert "choroplethmap" not in body and "figure" not in body and "geojson" not in body
    for path in ("/_dash-layout", "/_dash-dependencies"):
        response = client.get(path)
        assert response.status_code == 401 and "progress-map" not in response.get_data(True)


def test_wrong_password_is_told_beside_the_field_and_five_lock(
    client: FlaskClient, user: int
) -> None:
    page = log_in(client, password="wrong-password-1").get_data(as_text=True)
    assert 'id="password-error"' in page and "Sai tên đăng nhập hoặc mật khẩu" in page
    assert 'value="lanh.dao"' in page and not signed_in(client)
    page = log_in(client, password="wrong-password-1", query="?lang=en").get_data(as_text=True)
    assert "Wrong username or password" in page
    for _ in range(3):
        log_in(client, password="wrong-password-1")
    # Five failures: the data layer locks the account for this address, even the right
    # password is refused, with the same answer as a wrong one.
    page = log_in(client).get_data(as_text=True)
    assert "Sai tên đăng nhập hoặc mật khẩu" in page and 'id="password-error"' in page
    assert not signed_in(client)


def test_login_lands_on_the_page_with_secure_cookies(
    client: FlaskClient, user: int
) -> None:
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    session_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    cookie = next(c for c in page.headers.getlist("Set-Cookie") if c.startswith("_csrf_token="))
    assert "SameSite=Strict" in cookie and "HttpOnly" not in cookie
    layout = decoded(client.get("/_dash-layout"))
    assert "Cán bộ lanh.dao" in layout and ids.SHELL_LOGOUT in layout


def test_next_is_followed_only_within_the_site(client: FlaskClient, user: int) -> None:
    assert log_in(client, query="?next=%2Fprogress").headers["Location"] == "/progress"
    client.post("/logout", data={"csrf_token": csrf_cookie_or_form(client)})
    evil = log_in(client, query="?next=https%3A%2F%2Fevil.example%2F")
    assert evil.headers["Location"] == "/"


def csrf_cookie_or_form(client: FlaskClient) -> str:
    client.get("/")
    return csrf_cookie(client)


def test_callbacks_need_the_csrf_token(client: FlaskClient, user: int) -> None:
    log_in(client)
    client.get("/")
    refused = call(client, MAP_CALL)
    assert refused.status_code in (400, 403)
    assert "choroplethmap" not in refused.get_data(as_text=True)
    assert call(client, MAP_CALL, token="forged-token").status_code in (400, 403)
    accepted = call(client, MAP_CALL, token=csrf_cookie(client))
    assert accepted.status_code == 200
    assert "choroplethmap" in decoded(accepted)


def test_login_form_needs_the_csrf_token(client: FlaskClient, user: int) -> None:
    response = client.post("/login", data={"username": "lanh.dao", "password": PASSWORD})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    assert not signed_in(client)


def test_idle_timeout(client: FlaskClient, user: int) -> None:
    log_in(client)
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - 31 * 60
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2F&reason=expired")
    assert not signed_in(client)  # the session is gone, not just refused once


def test_idle_timeout_refuses_callbacks_too(client: FlaskClient, user: int) -> None:
    log_in(client)
    client.get("/")
    token = csrf_cookie(client)
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - 31 * 60
    assert call(client, MAP_CALL, token=token).status_code == 401


def test_absolute_timeout(client: FlaskClient, user: int) -> None:
    log_in(client)
    with client.session_transaction() as session:
        session[LOGIN_AT] = time.time() - 12 * 3600 - 1
        session[SEEN_AT] = time.time()
    assert client.get("/").status_code == 302


def test_timeouts_are_overridable(app: dash.Dash, client: FlaskClient, user: int) -> None:
    app.server.config["VX_IDLE_TIMEOUT"] = dt.timedelta(minutes=5)
    log_in(client)
    with client.session_transaction() as session:
        session[SEEN_AT] = time.time() - 6 * 60
    assert client.get("/").status_code == 302


def test_live_refresh_does_not_count_as_activity(client: FlaskClient, user: int) -> None:
    log_in(client)
    client.get("/")
    token = csrf_cookie(client)
    idle_since = time.time() - 20 * 60
    with client.session_transaction() as session:
        session[SEEN_AT] = idle_since
    assert call(client, POLL_CALL, token=token).status_code == 200
    with client.session_transaction() as session:
        assert session[SEEN_AT] == idle_since
    assert call(client, MAP_CALL, token=token).status_code == 200  # a page visit
    with client.session_transaction() as session:
        assert session[SEEN_AT] > idle_since


def test_deactivated_user_is_out_at_once(
    client: FlaskClient, services: Services, user: int
) -> None:
    log_in(client)
    assert signed_in(client)
    with unit_of_work(services.engine) as conn:
        set_active(conn, ADMIN, user, False)
    assert client.get("/").status_code == 302


def test_rate_limit_on_login(settings: Settings, user: int) -> None:
    # On Redis when the environment has one (shared by several workers), else in memory.
    application = create_app(settings.with_(redis_url=redis_url()))
    client = application.server.test_client()
    try:
        token = form_token(client)
        for _ in range(10):
            response = client.post("/login", data={"username": "nobody", "password": "x",
                                                   "csrf_token": token})
            assert response.status_code == 200
        response = client.post("/login", data={"username": "nobody", "password": "x",
                                               "csrf_token": token})
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "60"
        assert "Quá nhiều lần thử" in response.get_data(as_text=True)
        assert client.get("/login").status_code == 200  # the form itself stays readable
    finally:
        application.server.extensions["vx_services"].engine.dispose()


def test_security_headers(client: FlaskClient, user: int) -> None:
    responses = [client.get("/login"), client.get("/"), call(client, MAP_CALL)]
    log_in(client)
    page = client.get("/")
    responses.append(page)
    for response in responses:
        h = response.headers
        csp = h["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert "base-uri 'self'" in csp and "form-action 'self'" in csp
        script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["X-Frame-Options"] == "DENY"
        assert h["Referrer-Policy"] == "same-origin"
        assert "camera=()" in h["Permissions-Policy"]
    # Every inline script of Dash's page is allowed by its hash, and nothing else is.
    html = re.sub(r"<!--.*?-->", "", page.get_data(as_text=True), flags=re.S)  # IE-only notes
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
              + "'" for attrs, body in inline if "application/json" not in attrs}
    allowed = set(re.findall(r"'sha256-[^']+'", page.headers["Content-Security-Policy"]))
    assert hashes and hashes == allowed
    # A callback's JSON runs no script: its policy allows this origin's files only.
    answer = responses[2].headers["Content-Security-Policy"]
    assert "script-src 'self';" in answer and "sha256" not in answer


def test_logout_clears_the_session(client: FlaskClient, user: int) -> None:
    log_in(client)
    client.get("/")
    token = csrf_cookie(client)
    assert client.get("/logout").headers["Location"] == "/"  # GET changes nothing
    assert client.post("/logout").status_code == 400  # no token: refused, still signed in
    assert signed_in(client)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?reason=signed_out")
    with client.session_transaction() as session:
        assert dict(session) == {}
    assert client.get_cookie("_csrf_token") is None
    assert client.get("/").status_code == 302
    assert call(client, MAP_CALL, token=token).status_code == 401


def test_temporary_password_must_be_changed_first(
    client: FlaskClient, services: Services
) -> None:
    add_user(services, "moi.cap", must_change=True)
    response = log_in(client, "moi.cap")
    assert response.headers["Location"].startswith("/account/password")
    assert client.get("/").headers["Location"].startswith("/account/password")
    client.get("/account/password")
    assert call(client, MAP_CALL, token="x").status_code == 403
    token = form_token(client, "/account/password")
    page = client.post("/account/password", data={
        "current": "wrong-current-1", "new": "Mat-khau-moi-2022", "confirm": "Mat-khau-moi-2022",
        "csrf_token": token}).get_data(as_text=True)
    assert 'id="current-error"' in page and "Mật khẩu hiện tại không đúng" in page
    page = client.post("/account/password", data={
        "current": PASSWORD, "new": "short1", "confirm": "short1", "csrf_token": token,
    }).get_data(as_text=True)
    assert 'id="new-error"' in page and "ít nhất 12 ký tự" in page
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "Mat-khau-moi-2022", "confirm": "Mat-khau-moi-2022",
        "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session[MUST_CHANGE] is False
    assert signed_in(client)


def test_forbidden_in_a_callback_is_a_403_without_data(
    app: dash.Dash, client: FlaskClient, services: Services
) -> None:
    add_user(services, "quan.mot", Role.DISTRICT_OFFICER, "760")

    @app.callback(Output("test-out", "children"), Input("test-province", "value"))
    def _district_table(province: str) -> str:
        df = aggregates.coverage_by_district(services, province, current_principal())
        return json.dumps(df.to_dict("records"))

    log_in(client, "quan.mot")
    client.get("/")
    body = {"output": "test-out.children", "outputs": {"id": "test-out", "property": "children"},
            "inputs": [{"id": "test-province", "property": "value", "value": "01"}],
            "changedPropIds": ["test-province.value"], "state": []}
    response = call(client, body, token=csrf_cookie(client))
    assert response.status_code == 403
    assert response.get_json() == {"error": "forbidden"}
    body["inputs"][0]["value"] = "79"
    assert call(client, body, token=csrf_cookie(client)).status_code == 200
