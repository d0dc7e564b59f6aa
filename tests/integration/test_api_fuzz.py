"""The callback-fuzzing harness, for the JSON API: schemathesis generates requests from the
OpenAPI document (valid and invalid bodies, paths, headers) and runs every operation as an
anonymous caller, as facility staff, as an administrator and as a citizen, on each backend.
Never a 5xx, every answer as documented (status, content type, body schema; 401 without a
token), and never data beyond the caller's role: staff are refused every administrator route,
staff tokens every citizen route past sign-in, citizen tokens every staff route."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
import schemathesis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from sqlalchemy import Engine

from data.certificates.keys import KeyStore
from data.settings import Settings
from tests.integration.api_app import bearer, token_for
from tests.integration.citizen_api_setup import citizen_app, citizen_token

# Who calls: no token, facility staff, an administrator (and a citizen: CITIZEN).
CALLERS = (None, "coso.760", "quan.tri")
CITIZEN = "citizen"
CITIZEN_ME = "/api/v1/citizen/me"
# Examples per operation (each sent by every caller): well under a minute per backend.
EXAMPLES = 25
# A schema-valid request may be refused by a vaccination-day command (422: an unknown session,
# a full one, a dose the rules refuse); schemathesis' own list besides.
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}}})


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    # A signing key, as a configured service has: without one the certificate route answers
    # 503 (its own test), which the fuzzer counts as a server error.
    KeyStore(settings.certificate_key_dir).create()
    for application in citizen_app(settings, engine, tmp_path):
        # The sign-in limit would answer 429 before the token route reads its body; the
        # limit has its own test (test_api_tokens).
        application.server.config["VX_LOGIN_RATE_LIMIT"] = "10000 per minute"
        yield application


@pytest.fixture
def callers(client: FlaskClient) -> dict[str | None, dict[str, str]]:
    """The headers of each caller: a bearer token signed in through the API, or none."""
    callers = {who: bearer(token_for(client, who)) if who else {} for who in CALLERS}
    return callers | {CITIZEN: bearer(citizen_token(client))}


def _public(case: Any) -> bool:
    """Whether the operation is documented as needing no token (sign-in, the trust list)."""
    return case.operation.definition.raw.get("security") == []


def _fuzz(operation: Any, callers: dict[str | None, dict[str, str]]) -> None:
    # Valid and invalid requests alike (schemathesis' positive and negative modes).
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        for who, headers in callers.items():
            response = case.call_and_validate(headers=headers)
            assert response.status_code < 500
            if who == "coso.760" and case.path.startswith("/api/v1/admin/"):
                # Staff hold no SYSTEM_ADMIN grant: an administrator route gives them nothing.
                assert response.status_code in (400, 401, 403, 404, 405, 413), response.text
            if who in ("coso.760", "quan.tri") and case.path.startswith(CITIZEN_ME):
                # A staff token is no citizen token.
                assert response.status_code in (400, 401, 404, 405, 413), response.text
            if who == CITIZEN and not case.path.startswith("/api/v1/citizen/") \
                    and not _public(case):
                # A citizen token opens no staff route.
                assert response.status_code in (400, 401, 404, 405, 413), response.text

    run()


def test_every_operation_answers_as_documented(
    app: dash.Dash, callers: dict[str | None, dict[str, str]]
) -> None:
    # The app is built per test and backend, so the schema is loaded here rather than through
    # schemathesis.pytest.from_fixture (whose lazy loader breaks on pytest 9.2: it reads a
    # private attribute of the test node that pytest no longer has).
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.server, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 34  # staff 19, trust list 1, citizen 12, public figures 2
    for operation in operations:
        _fuzz(operation, callers)
