"""Signing out, a password change or a reset ends the user's other sessions, copied ones too."""

from __future__ import annotations

from collections.abc import Iterator

import dash
import pytest
from flask.testing import FlaskClient

from app import create_app
from data.audit import Actor
from data.auth.users import reset_password
from data.db import unit_of_work
from data.services import Services
from data.settings import Settings
from tests.integration.test_web_security import PASSWORD, add_user, form_token, log_in, signed_in


@pytest.fixture
def app(settings: Settings) -> Iterator[dash.Dash]:
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _two_browsers(app: dash.Dash) -> tuple[FlaskClient, FlaskClient]:
    first, second = app.server.test_client(), app.server.test_client()
    for client in (first, second):
        assert log_in(client, "can.bo").status_code == 302
        assert signed_in(client)
    return first, second


def test_sign_out_ends_the_copied_session(app: dash.Dash) -> None:
    add_user(app.server.extensions["vx_services"], "can.bo")
    first, second = _two_browsers(app)
    stolen = app.server.test_client()
    cookie = first.get_cookie("vx_session")
    assert cookie is not None
    stolen.set_cookie("vx_session", cookie.value)
    assert signed_in(stolen)
    token = form_token(first, "/account/password")
    assert first.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not signed_in(first) and not signed_in(stolen) and not signed_in(second)


def test_password_change_keeps_this_session_and_ends_the_others(app: dash.Dash) -> None:
    add_user(app.server.extensions["vx_services"], "can.bo")
    first, second = _two_browsers(app)
    token = form_token(first, "/account/password")
    new = "Mat-khau-moi-2022"
    response = first.post("/account/password", data={
        "current": PASSWORD, "new": new, "confirm": new, "csrf_token": token})
    assert response.status_code == 302
    assert signed_in(first) and not signed_in(second)


def test_administrator_reset_ends_every_session(app: dash.Dash) -> None:
    services: Services = app.server.extensions["vx_services"]
    uid = add_user(services, "can.bo")
    first, second = _two_browsers(app)
    with unit_of_work(services.engine) as conn:
        reset_password(conn, Actor(None, "admin", "test"), uid, "Tam-thoi-2022-x")
    assert not signed_in(first) and not signed_in(second)
