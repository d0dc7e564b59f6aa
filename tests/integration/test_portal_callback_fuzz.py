"""Every callback of the public portal, forged by an anonymous visitor with hostile values.

Built from the portal's own /portal/_dash-dependencies, so the next portal callback is covered
with no new test code. Asserts: no answer is a 500; without the CSRF token nothing is done;
no answer carries the personal data of the campaign's vaccinated people (names 'Nguyễn Văn
<n>', their identity numbers): only the three factors of one person may open their record, and
hostile values are never those.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from data.settings import Settings
from tests import fuzzcalls
from tests.integration.mcc_app import campaign_app
from tests.webcalls import decoded

PORTAL = "/portal/"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    for application in campaign_app(settings, engine, tmp_path):
        # The rate limits would answer most hostile calls "too many" before their checks.
        application.server.config["RATELIMIT_ENABLED"] = False
        yield application


def _visitor(app: dash.Dash) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    assert client.get(PORTAL).status_code == 200
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return client, cookie.value


def _deps(client: FlaskClient) -> list[fuzzcalls.Callback]:
    response = client.get(PORTAL + "_dash-dependencies")
    assert response.status_code == 200
    found = fuzzcalls.callbacks(response.get_json())
    assert len(found) >= 20  # the portal's pages, at the least
    return found


def _post(client: FlaskClient, token: str | None, body: dict[str, Any]) -> Any:
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(PORTAL + "_dash-update-component", json=body, headers=headers)


def _personal(engine: Engine) -> list[str]:
    """Names and identity numbers of the vaccinated people (a few are enough to look for)."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT DISTINCT person_id, full_name FROM injection ORDER BY person_id LIMIT 20"))
        return ["Nguyễn Văn", *[r.person_id for r in rows]]


def test_without_the_csrf_token_no_portal_callback_runs(app: dash.Dash) -> None:
    client, _ = _visitor(app)
    wrong = [(cb.output[:60], response.status_code) for cb in _deps(client)
             if (response := _post(client, None, fuzzcalls.body(cb))).status_code != 400]
    assert wrong == []


def test_hostile_values_never_give_a_500_or_personal_data(app: dash.Dash,
                                                          engine: Engine) -> None:
    client, token = _visitor(app)
    personal = _personal(engine)
    assert len(personal) > 5
    errors, leaks, answered = [], [], 0
    for cb in _deps(client):
        for label, body in fuzzcalls.hostile_bodies(cb, fuzzcalls.HOSTILE):
            response = _post(client, token, body)
            if response.status_code >= 500 or response.status_code not in (200, 204, 400):
                errors.append((label, response.status_code))
                continue
            if response.status_code == 200:
                answered += 1
                text_ = decoded(response)
                leaks += [(label, p) for p in personal if p in text_]
    assert errors == [], f"{len(errors)} answers of 500: {errors[:20]}"
    assert leaks == [], leaks[:20]
    assert answered > 100  # the hostile values reached the callbacks, not only the gate
