"""Bearer tokens of the JSON API on each backend: issued by signing in (OAuth 2's shape), stored
hashed, ended by expiry, revocation, a removed role or a password reset; the sign-in's lock-out
and rate limit hold here too; administrators alone list and revoke."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update

from data import audit
from data.auth.roles import Role
from data.auth.users import reset_password, set_roles
from data.db import unit_of_work
from data.models.auth import ApiToken, AppUser
from data.settings import Settings
from tests.conftest import redis_url
from tests.integration.api_app import FIXTURE, PASSWORD, api_app, bearer, token_for

TOKENS = ApiToken.__table__
TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from api_app(settings, engine, tmp_path)


def _user_id(engine: Engine, username: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(AppUser.__table__.c.id)
                                .where(AppUser.__table__.c.username == username)).scalar_one())


def test_a_token_is_issued_in_oauth_shape_stored_hashed_and_opens_me(
    client: FlaskClient, engine: Engine
) -> None:
    response = client.post(TOKEN_URL, json={"username": "coso.760", "password": PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 8 * 3600
    assert response.headers["Cache-Control"] == "no-store"
    token = body["access_token"]
    assert len(token) == 43  # secrets.token_urlsafe(32)
    with engine.connect() as conn:
        row = conn.execute(select(TOKENS)).mappings().one()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(dict(row))
    created = row["created_at"].replace(tzinfo=dt.UTC) if row["created_at"].tzinfo is None \
        else row["created_at"]
    expires = row["expires_at"].replace(tzinfo=dt.UTC) if row["expires_at"].tzinfo is None \
        else row["expires_at"]
    assert expires - created == dt.timedelta(hours=8)

    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.get_json() == {
        "username": "coso.760", "display_name": "Cán bộ coso.760",
        "roles": [{"role": "FACILITY_STAFF", "scope_level": "FACILITY", "scope_code": "F760001",
                   "province_code": "79", "district_code": "760"}],
        "scope": {"national": False, "provinces": ["79"], "districts": [],
                  "facilities": ["F760001"]},
    }


def test_the_token_lifetime_comes_from_the_settings(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    for application in api_app(settings.with_(api_token_ttl_s=600), engine, tmp_path):
        response = application.server.test_client().post(
            TOKEN_URL, json={"username": "huyen.760", "password": PASSWORD})
        assert response.get_json()["expires_in"] == 600


def test_wrong_password_unknown_user_and_lockout_get_one_answer(
    client: FlaskClient, engine: Engine
) -> None:
    answers = [client.post(TOKEN_URL, json={"username": "coso.760", "password": "sai-roi-2021"},
                           headers={"Accept-Language": "en"}) for _ in range(5)]
    # Five wrong passwords lock the account for this address: the right one is refused too.
    answers.append(client.post(TOKEN_URL, json={"username": "coso.760", "password": PASSWORD},
                               headers={"Accept-Language": "en"}))
    answers.append(client.post(TOKEN_URL, json={"username": "khong.co", "password": PASSWORD},
                               headers={"Accept-Language": "en"}))
    assert {a.status_code for a in answers} == {401}
    bodies = [a.get_json() for a in answers]
    assert all(b == bodies[0] for b in bodies)
    assert bodies[0]["error"] == "invalid_grant"
    assert bodies[0]["errors"] == [{"field": "password", "code": "invalid_grant",
                                    "message": bodies[0]["error_description"]}]
    assert bodies[0]["error_description"].startswith("Wrong username or password")
    with engine.connect() as conn:
        assert conn.execute(select(TOKENS)).first() is None
        assert audit.count(conn, username="coso.760", action="LOGIN_LOCKED") == 1


def test_the_sign_in_rate_limit_answers_429_in_json(settings: Settings, engine: Engine,
                                                    tmp_path: Path) -> None:
    # On Redis when the environment names one (shared by workers), else in memory.
    for application in api_app(settings.with_(redis_url=redis_url()), engine, tmp_path):
        client = application.server.test_client()
        for _ in range(10):
            response = client.post(TOKEN_URL, json={"username": "ai.do", "password": "x"})
            assert response.status_code == 401
        response = client.post(TOKEN_URL, json={"username": "coso.760", "password": PASSWORD},
                               headers={"Accept-Language": "en"})
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "60"
        assert response.get_json() == {"errors": [{
            "field": None, "code": "rate_limited",
            "message": "Too many attempts from this address. Please try again in a minute."}]}
        assert client.get("/api/v1/me").status_code == 401  # other routes are not limited


def test_an_expired_token_is_refused(client: FlaskClient, engine: Engine) -> None:
    token = token_for(client, "coso.760")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with unit_of_work(engine) as conn:
        conn.execute(update(TOKENS).values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    response = client.get("/api/v1/me", headers=bearer(token, "en"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api", error="invalid_token"'
    assert response.get_json()["errors"][0]["code"] == "invalid_token"


def test_an_administrator_lists_and_revokes_tokens(client: FlaskClient, engine: Engine) -> None:
    staff = token_for(client, "coso.760")
    admin = token_for(client, "quan.tri")
    assert client.get("/api/v1/me", headers=bearer(staff)).status_code == 200
    listed = client.get("/api/v1/admin/tokens", headers=bearer(admin))
    assert listed.status_code == 200
    tokens = listed.get_json()["tokens"]
    assert [(t["username"], t["status"]) for t in tokens] == [("quan.tri", "active"),
                                                              ("coso.760", "active")]
    assert all(t["last_used_at"] is not None and t["source"] == "127.0.0.1" for t in tokens)
    assert staff not in listed.get_data(as_text=True)
    staff_id = tokens[1]["id"]
    revoked = client.post(f"/api/v1/admin/tokens/{staff_id}/revoke", headers=bearer(admin))
    assert revoked.status_code == 200
    assert revoked.get_json()["status"] == "revoked"
    assert client.get("/api/v1/me", headers=bearer(staff)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(admin)).status_code == 200
    again = client.post(f"/api/v1/admin/tokens/{staff_id}/revoke", headers=bearer(admin))
    assert again.get_json()["revoked_at"] == revoked.get_json()["revoked_at"]
    missing = client.post("/api/v1/admin/tokens/999999/revoke", headers=bearer(admin))
    assert missing.status_code == 404
    assert missing.get_json()["errors"][0]["code"] == "not_found"
    with engine.connect() as conn:
        assert audit.count(conn, username="quan.tri", action="TOKEN_REVOKE") == 1
        assert audit.count(conn, action="TOKEN_ISSUE") == 2


@pytest.mark.parametrize("username", ["coso.760", "huyen.760"])
def test_staff_get_403_on_the_administrator_routes(client: FlaskClient, engine: Engine,
                                                   username: str) -> None:
    token = token_for(client, username)
    listed = client.get("/api/v1/admin/tokens", headers=bearer(token, "en"))
    assert listed.status_code == 403
    assert listed.get_json() == {"errors": [{"field": None, "code": "forbidden",
                                             "message": "Your role or scope does not allow "
                                                        "this."}]}
    with engine.connect() as conn:
        own_id = conn.execute(select(TOKENS.c.id)).scalar_one()
    refused = client.post(f"/api/v1/admin/tokens/{own_id}/revoke", headers=bearer(token))
    assert refused.status_code == 403
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200  # not revoked


def test_a_removed_role_and_a_password_reset_take_effect_at_once(
    client: FlaskClient, engine: Engine
) -> None:
    admin = token_for(client, "quan.tri")
    staff = token_for(client, "coso.760")
    with unit_of_work(engine) as conn:  # another administrator first: the last one stays
        set_roles(conn, FIXTURE, _user_id(engine, "huyen.760"), [(Role.SYSTEM_ADMIN, None)])
        set_roles(conn, FIXTURE, _user_id(engine, "quan.tri"), [(Role.MINISTRY_LEADER, None)])
    assert client.get("/api/v1/admin/tokens", headers=bearer(admin)).status_code == 403
    assert client.get("/api/v1/me", headers=bearer(admin)).get_json()["roles"][0]["role"] \
        == "MINISTRY_LEADER"
    with unit_of_work(engine) as conn:
        reset_password(conn, FIXTURE, _user_id(engine, "coso.760"), "Mat-khau-moi-2022")
    assert client.get("/api/v1/me", headers=bearer(staff)).status_code == 401
    # A temporary password opens no token until it is changed on the website.
    refused = client.post(TOKEN_URL, json={"username": "coso.760",
                                           "password": "Mat-khau-moi-2022"})
    assert refused.status_code == 403
    assert refused.get_json()["errors"][0]["code"] == "password_change_required"


def test_the_dash_session_does_not_open_the_api(client: FlaskClient) -> None:
    login = client.get("/login").get_data(as_text=True)
    csrf = login.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "coso.760", "password": PASSWORD,
                                "csrf_token": csrf})
    assert client.get("/").status_code == 200  # signed in on the website
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["errors"][0]["code"] == "unauthenticated"
