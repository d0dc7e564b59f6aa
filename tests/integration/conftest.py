"""The real app on the test database, for the tests that go through its web stack.

A module that needs another app (a loaded campaign, other settings) defines its own `app`;
`services` and `client` then follow it.
"""

from __future__ import annotations

from collections.abc import Iterator

import dash
import pytest
from flask.testing import FlaskClient

from app import create_app
from data.services import Services
from data.settings import Settings


@pytest.fixture
def app(settings: Settings) -> Iterator[dash.Dash]:
    """The app on an empty database of the parametrised backend."""
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


@pytest.fixture
def services(app: dash.Dash) -> Services:
    """The settings, engine and cache the app was built with."""
    return app.server.extensions["vx_services"]  # type: ignore[no-any-return]


@pytest.fixture
def client(app: dash.Dash) -> FlaskClient:
    """A Flask test client of the app, not signed in."""
    return app.server.test_client()
