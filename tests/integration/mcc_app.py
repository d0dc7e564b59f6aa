"""The app over the small MCC campaign, with a ministry leader and a province-01 officer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from data.auth.roles import Role
from data.services import Services
from data.settings import Settings
from tests.integration.test_mcc_campaign import load_campaign
from tests.integration.test_web_security import add_user, csrf_cookie, log_in


def campaign_app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    """Body of an `app` fixture: load the campaign, build the app, add the two users."""
    load_campaign(settings, engine, tmp_path)
    application = create_app(settings)
    services: Services = application.server.extensions["vx_services"]
    add_user(services, "bo.yte")
    add_user(services, "tinh01", Role.PROVINCE_OFFICER, "01")
    yield application
    services.engine.dispose()


def client_for(app: dash.Dash, username: str, page: str) -> tuple[FlaskClient, str]:
    """A signed-in test client that has opened `page`, and its CSRF token."""
    client = app.server.test_client()
    assert log_in(client, username).status_code == 302
    client.get(page)
    return client, csrf_cookie(client)
