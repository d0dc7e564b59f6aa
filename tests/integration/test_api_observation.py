"""Observation through the JSON API on each backend: the facility's board, a release (early
only with a reason, once), a reaction opening an AEFI report; 400, 401, 403 and 422 in the
API's error shape, messages in vi and en."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from callbacks.shared.i18n import t
from data.auth.roles import SYSTEM
from data.interchange.messages import message
from data.ops.commands.injection import record_injection
from data.settings import Settings
from tests.factories import injection
from tests.integration.api_app import api_app, bearer, token_for
from tests.integration.ops_setup import seed_places


def _ago(minutes: int) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).replace(microsecond=0)


@pytest.fixture
def given(settings: Settings, engine: Engine) -> dict[str, dt.datetime]:
    return {"LONG": _ago(45), "NEW": _ago(3)}


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path,
        given: dict[str, dt.datetime]) -> Iterator[dash.Dash]:
    for application in api_app(settings, engine, tmp_path):
        seed_places(engine)  # F00101 in Hà Nội: outside every test account
        for n, (rid, at) in enumerate(given.items()):
            record_injection(engine, SYSTEM, injection(
                rid, person_id=f"07930123456{n}", full_name=f"Người {rid}",
                province_code="79", district_code="760", ward_code="",
                facility_code="F760001", administered_at=at.isoformat()), "en")
        yield application


@pytest.fixture
def staff(client: FlaskClient) -> str:
    return token_for(client, "coso.760")


def _post(client: FlaskClient, path: str, token: str, body: Any, lang: str = "en") -> Any:
    return client.post(path, json=body, headers=bearer(token, lang))


def _errors(response: Any, status: int) -> list[tuple[str | None, str, str]]:
    assert response.status_code == status, response.get_data(as_text=True)
    return [(e["field"], e["code"], e["message"]) for e in response.get_json()["errors"]]


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_the_board_lists_the_facilitys_people_with_their_release_time(
        client: FlaskClient, staff: str, given: dict[str, dt.datetime]) -> None:
    response = client.get("/api/v1/observation?facility_code=F760001", headers=bearer(staff))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["facility_code"] == "F760001"
    got = [(p["record_id"], p["full_name"], p["vaccine_code"], p["dose_number"],
            dt.datetime.fromisoformat(p["release_at"])) for p in body["people"]]
    assert got == [(rid, f"Người {rid}", "AZ", 1, at + dt.timedelta(minutes=30))
                   for rid, at in given.items()]
    # Unsigned: 401; a facility outside the account's scope: 403; no facility: 400.
    assert _errors(client.get("/api/v1/observation?facility_code=F760001"), 401)[0][1] == \
        "unauthenticated"
    assert _errors(client.get("/api/v1/observation?facility_code=F00101",
                              headers=bearer(staff)), 403)[0][1] == "forbidden"
    assert _errors(client.get("/api/v1/observation", headers=bearer(staff)), 400)[0][:2] == (
        "facility_code", "required")


def test_release_early_needs_a_reason_and_happens_once(
        client: FlaskClient, engine: Engine, staff: str) -> None:
    for lang in ("vi", "en"):
        assert _errors(_post(client, "/api/v1/observation/NEW/release", staff, {}, lang),
                       422) == [("early_reason", "observation.early_reason",
                                 t("observation.early_reason", lang))]
    done = _post(client, "/api/v1/observation/NEW/release", staff,
                 {"early_reason": "Người nhà đón, đã dặn theo dõi tại nhà"})
    assert done.status_code == 201, done.get_data(as_text=True)
    assert done.get_json()["outcome"] == "RELEASED" and done.get_json()["aefi_report_id"] is None
    ok = _post(client, "/api/v1/observation/LONG/release", staff, {})
    assert ok.status_code == 201
    assert _errors(_post(client, "/api/v1/observation/LONG/release", staff, {}, "vi"), 422) == [
        ("record_id", "observation.already_closed", t("observation.already_closed", "vi"))]
    assert _errors(_post(client, "/api/v1/observation/NOPE/release", staff, {}), 422)[0][:2] \
        == ("record_id", "observation.unknown_dose")
    assert _errors(_post(client, "/api/v1/observation/LONG/release", staff,
                         {"reason": "typo"}), 400)[0][:2] == ("reason", "unknown_field")
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation") == 2
    board = client.get("/api/v1/observation?facility_code=F760001", headers=bearer(staff))
    assert board.get_json()["people"] == []


def test_a_reaction_opens_an_aefi_report(client: FlaskClient, engine: Engine,
                                         staff: str) -> None:
    refused = _post(client, "/api/v1/observation/NEW/reaction", staff,
                    {"severity": "SERIOUS", "symptoms": "Khó thở"}, "vi")
    assert _errors(refused, 422) == [
        ("seriousness", "seriousness_required", message(
            "seriousness_required", "vi", choices=", ".join(
                ["DEATH", "LIFE_THREATENING", "HOSPITALISATION", "DISABILITY",
                 "CONGENITAL_ANOMALY", "MEDICALLY_IMPORTANT"])))]
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation") == 0
    done = _post(client, "/api/v1/observation/NEW/reaction", staff, {
        "severity": "SERIOUS", "seriousness": "HOSPITALISATION", "symptoms": "Khó thở",
        "outcome": "RECOVERING", "onset_at": _ago(1).isoformat()})
    assert done.status_code == 201, done.get_data(as_text=True)
    body = done.get_json()
    assert body["outcome"] == "REACTION" and body["record_id"] == "NEW"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT a.record_id, f.severity, a.facility_code FROM fct_aefi f "
                                 "JOIN aefi_report a USING (report_id) WHERE report_id = :r"),
                            {"r": body["aefi_report_id"]}).one() == \
            ("NEW", "SERIOUS", "F760001")
    again = _post(client, "/api/v1/observation/NEW/reaction", staff,
                  {"severity": "MILD", "symptoms": "Sốt"})
    assert _errors(again, 422)[0][:2] == ("record_id", "observation.already_closed")
    # The district officer of Quận 1 may too; the administrator, who serves no one, may not.
    assert _post(client, "/api/v1/observation/LONG/reaction", token_for(client, "quan.tri"),
                 {"severity": "MILD", "symptoms": "Sốt"}).status_code == 403
    officer = _post(client, "/api/v1/observation/LONG/reaction", token_for(client, "huyen.760"),
                    {"severity": "MILD", "symptoms": "Sốt"})
    assert officer.status_code == 201
    assert _count(engine, "SELECT COUNT(*) FROM fct_aefi") == 2
