"""The injection step through the JSON API on each backend: the session's lots FEFO, a dose
given to a screened person (201) and the same record_id again stored once (200), refusals
as 422 in the API's error shape in vi and en, out of schema 400, out of scope 403."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from data.auth.roles import Principal, Role
from data.auth.users import load_principal
from data.db import unit_of_work
from data.settings import Settings
from tests.integration.api_app import api_app, bearer, token_for
from tests.integration.injection_setup import AT, open_session, screened, seed_stock
from tests.integration.ops_setup import principal, registration
from tests.integration.test_rollups_recompute import _assert_rollups_match, _doses


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    for application in api_app(settings, engine, tmp_path, {}):
        seed_stock(settings, engine, tmp_path)  # the facilities, then their staff
        principal(engine, "coso.101", Role.FACILITY_STAFF, "F00101")
        principal(engine, "coso.102", Role.FACILITY_STAFF, "F00102")
        registration(engine, "REG000000001")
        yield application


def _principal(engine: Engine, username: str) -> Principal:
    with unit_of_work(engine) as conn:
        uid = conn.execute(text("SELECT id FROM app_user WHERE username = :u"),
                           {"u": username}).scalar_one()
        found = load_principal(conn, uid)
    assert found is not None
    return found


def _body(checkin_id: str, **over: Any) -> dict[str, Any]:
    body = {"record_id": "F-API-1", "checkin_id": checkin_id, "vaccine_code": "AZ",
            "lot_number": "AZ2110B", "dose_kind": "PRIMARY", "dose_number": 1,
            "injection_site": "RIGHT_ARM", "administered_at": AT.isoformat()}
    return body | over


def test_lots_then_a_dose_given_then_the_retry_stored_once(
        app: dash.Dash, client: FlaskClient, engine: Engine) -> None:
    staff = _principal(engine, "coso.101")
    sid = open_session(engine, staff)
    cid = screened(engine, staff, sid)
    token = token_for(client, "coso.101")
    lots = client.get(f"/api/v1/sessions/{sid}/lots", headers=bearer(token))
    assert lots.status_code == 200, lots.get_data(as_text=True)
    assert [(lot["lot_number"], lot["expiry_date"], lot["doses"])
            for lot in lots.get_json()["lots"]] == [
        ("AZ2110B", "2022-01-31", 200), ("FF2222", "2022-03-31", 100),
        ("AZ2108A", "2022-06-30", 500)]
    doses = _doses(engine)
    first = client.post("/api/v1/doses", json=_body(cid), headers=bearer(token))
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json() == {"record_id": "F-API-1", "outcome": "loaded",
                                "proposed_dose_kind": "PRIMARY", "proposed_dose_number": 1,
                                "overridden": False}
    again = client.post("/api/v1/doses", json=_body(cid), headers=bearer(token))
    assert (again.status_code, again.get_json()["outcome"]) == (200, "unchanged")
    assert _doses(engine) == doses + 1
    _assert_rollups_match(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT injection_site FROM vax_injection")).all() == [
            ("RIGHT_ARM",)]


@pytest.mark.parametrize(("lang", "expired", "override"), [
    ("en", "This lot expired on 01/10/2021; it may not be given.",
     "The schedule proposes PRIMARY 1; give a reason to choose another dose."),
    ("vi", "Lô này đã hết hạn ngày 01/10/2021, không được tiêm.",
     "Lịch tiêm đề xuất PRIMARY 1; cần ghi lý do để chọn mũi khác."),
])
def test_refusals_are_422_with_a_message_in_the_language(
        app: dash.Dash, client: FlaskClient, engine: Engine, lang: str, expired: str,
        override: str) -> None:
    staff = _principal(engine, "coso.101")
    cid = screened(engine, staff, open_session(engine, staff))
    token = token_for(client, "coso.101")
    response = client.post("/api/v1/doses", json=_body(cid, lot_number="AZ2104X"),
                           headers=bearer(token, lang))
    assert response.status_code == 422
    assert response.get_json() == {"errors": [{"field": "lot_number",
                                                "code": "injection.lot_expired",
                                                "message": expired}]}
    response = client.post("/api/v1/doses", json=_body(cid, dose_number=2),
                           headers=bearer(token, lang))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("override_reason", "injection.override_required"), ("dose_number", "schedule.kind")]
    assert errors[0]["message"] == override
    # A contract reason (the same record_id as a file's dose) is worded by the contract.
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM vax_injection")).scalar_one() == 0


def test_out_of_schema_is_400_and_out_of_scope_403(
        app: dash.Dash, client: FlaskClient, engine: Engine) -> None:
    staff = _principal(engine, "coso.101")
    sid = open_session(engine, staff)
    cid = screened(engine, staff, sid)
    token = token_for(client, "coso.101")
    for bad in ({"injection_site": "NOSE"}, {"dose_number": 9}, {"extra": 1},
                {"override_reason": "a\x00b"}):
        response = client.post("/api/v1/doses", json=_body(cid, **bad), headers=bearer(token))
        assert response.status_code == 400, bad
        assert response.get_json()["errors"][0]["code"]
    other = token_for(client, "coso.102")
    assert client.post("/api/v1/doses", json=_body(cid), headers=bearer(other)
                       ).status_code == 403
    assert client.get(f"/api/v1/sessions/{sid}/lots", headers=bearer(other)).status_code == 403
    assert client.get("/api/v1/sessions/nope/lots", headers=bearer(token)).status_code == 422
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM vax_injection")).scalar_one() == 0
