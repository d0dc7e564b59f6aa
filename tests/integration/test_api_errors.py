"""The JSON API's one error shape on each backend: {"errors": [{"field", "code", "message"}]}
for validation, authentication, routing, size and server errors, never a Dash page or HTML,
messages in the language of Accept-Language (Vietnamese by default)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from callbacks.api import operations
from callbacks.shared.i18n import t
from data.settings import Settings
from tests.integration.api_app import api_app, bearer, token_for


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from api_app(settings, engine, tmp_path)


@pytest.mark.parametrize(("accept", "lang"), [
    (None, "vi"), ("en", "en"), ("en-GB,en;q=0.9", "en"), ("vi-VN,vi;q=0.9,en;q=0.5", "vi"),
    ("fr-FR", "vi"),
])
def test_messages_follow_accept_language(client: FlaskClient, accept: str | None,
                                         lang: str) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.get_json() == {"errors": [{
        "field": "authorization", "code": "unauthenticated",
        "message": t("api.error.unauthenticated", lang)}]}


def test_the_two_languages_differ(client: FlaskClient) -> None:
    vi = client.get("/api/v1/me").get_json()["errors"][0]["message"]
    en = client.get("/api/v1/me", headers={"Accept-Language": "en"}).get_json()
    assert vi.startswith("Cần mã truy cập")
    assert en["errors"][0]["message"].startswith("An access token is needed")


def test_validation_errors_name_each_field(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "", "role": "admin"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    errors = sorted(response.get_json()["errors"], key=lambda e: e["field"])
    assert errors == [
        {"field": "password", "code": "required", "message": "This field is required."},
        {"field": "role", "code": "unknown_field", "message": "This field is not accepted."},
        {"field": "username", "code": "invalid", "message": "The value is not valid."},
    ]


def test_a_body_that_is_no_object_is_malformed(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", json=["coso.760", "x"])
    assert response.status_code == 400
    assert response.get_json() == {"errors": [{
        "field": None, "code": "malformed", "message": t("api.error.malformed", "vi")}]}


def test_an_unknown_path_is_a_json_404_not_a_dash_page(client: FlaskClient) -> None:
    for method, path in (("GET", "/api/v1/nothing"), ("GET", "/api/v1"),
                         ("POST", "/api/v1/admin/tokens/2147483648/revoke"),
                         ("POST", "/api/v1/admin/tokens/abc/revoke")):
        response = client.open(path, method=method, headers={"Accept-Language": "en"})
        assert response.status_code == 404, path
        assert response.mimetype == "application/json"
        assert response.get_json() == {"errors": [{"field": None, "code": "not_found",
                                                   "message": "Not found."}]}
    assert client.get("/nothing").status_code == 302  # the website still sends to sign-in


def test_a_wrong_method_is_a_json_405_with_allow(client: FlaskClient) -> None:
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.get_json()["errors"][0]["code"] == "method_not_allowed"
    # Not the 405 of Dash's catch-all page route (GET only) either: the API's routes decide.
    response = client.get("/api/v1/auth/token")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_the_1_mib_body_cap_holds_with_a_json_413(client: FlaskClient) -> None:
    token = token_for(client, "coso.760")
    body = {"number": "0" * (1024 * 1024), "id_type": "CCCD", "birth_date": "1990-01-01",
            "sex": "M"}
    response = client.post("/api/v1/identity/check", json=body, headers=bearer(token, "en"))
    assert response.status_code == 413
    assert response.get_json() == {"errors": [{"field": None, "code": "too_large",
                                               "message": "The request body is over 1 MiB."}]}


def test_bearer_calls_need_no_csrf_token_nor_cookie(client: FlaskClient) -> None:
    token = token_for(client, "coso.760")
    client.delete_cookie("vx_session")
    response = client.post("/api/v1/identity/check", headers=bearer(token), json={
        "number": "C1234567", "id_type": "PASSPORT", "birth_date": "1990-01-01", "sex": "F"})
    assert response.status_code == 200


def test_a_server_error_is_json_too(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug (here a rule set that fails to load) must still answer in the API's shape.
    def broken() -> None:
        raise RuntimeError("rule sets unreadable")

    token = token_for(client, "coso.760")
    monkeypatch.setattr(operations, "rule_sets", broken)
    response = client.get("/api/v1/rules/screening", headers=bearer(token, "en"))
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert response.get_json()["errors"][0]["code"] == "server_error"
    assert "rule sets unreadable" not in response.get_data(as_text=True)
