"""An app with one facility (F760001, Quận 1) and an account per role, for the JSON API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import unit_of_work
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, write_csv

PASSWORD = "Mat-khau-2021"
FIXTURE = Actor(None, "fixture", "test")
# username -> (role, scope)
ACCOUNTS: dict[str, tuple[Role, str | None]] = {
    "coso.760": (Role.FACILITY_STAFF, "F760001"),
    "huyen.760": (Role.DISTRICT_OFFICER, "760"),
    "quan.tri": (Role.SYSTEM_ADMIN, None),
}


def api_app(settings: Settings, engine: Engine, tmp_path: Path,
            accounts: dict[str, tuple[Role, str | None]] = ACCOUNTS) -> Iterator[dash.Dash]:
    """The app over a database holding facility F760001 (Quận 1) and `accounts`."""
    facility = dict(FACILITY, facility_code="F760001", province_code="79", district_code="760",
                    ward_code="", latitude="10.776", longitude="106.700")
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [facility]))
    with unit_of_work(engine) as conn:
        for username, (role, scope) in accounts.items():
            create_user(conn, FIXTURE, username, f"Cán bộ {username}", PASSWORD,
                        [(role, scope)], must_change_password=False)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def token_for(client: FlaskClient, username: str, password: str = PASSWORD) -> str:
    """A bearer token of `username`, signed in through the API."""
    response = client.post("/api/v1/auth/token",
                           json={"username": username, "password": password})
    assert response.status_code == 200, response.get_data(as_text=True)
    return str(response.get_json()["access_token"])


def bearer(token: str, lang: str | None = None) -> dict[str, str]:
    """The Authorization header of `token` (and Accept-Language when given)."""
    return {"Authorization": f"Bearer {token}"} | ({"Accept-Language": lang} if lang else {})
