"""What a citizen reports through the API, on each backend: reactions after one of their own
doses (an AEFI report marked self-reported, channel APP) and the daily health declaration
(a second one the same day replaces the first), through data.citizen's commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from data.models.citizen import VaxAefiSelfReport, VaxHealthDeclaration
from data.models.operational import AefiReport
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import injection, write_csv
from tests.integration.api_app import bearer, token_for
from tests.integration.citizen_api_setup import (
    AN,
    BINH,
    BINH_DOB,
    BINH_PHONE,
    citizen_app,
    citizen_settings,
    citizen_token,
)

SELF_REPORTS = "/api/v1/citizen/me/self-reports"
DECLARATIONS = "/api/v1/citizen/me/declarations"
RECENT = "R-AN-BOOST"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    # An's booster three days ago: within the self-report window.
    given = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).replace(microsecond=0)
    for application in citizen_app(settings, engine, tmp_path):
        booster = injection(RECENT, person_id=AN, dose_kind="BOOSTER", dose_number=1,
                            administered_at=given.isoformat())
        assert load_file(citizen_settings(settings), engine, "injections",
                         write_csv(tmp_path / "boost.csv", [booster])).loaded == 1
        yield application


def _report(onset: dt.date | None = None, **over: object) -> dict[str, object]:
    onset = onset or dt.date.today() - dt.timedelta(days=2)
    return {"record_id": RECENT, "onset_date": onset.isoformat(),
            "reactions": ["FEVER", "HEADACHE"], "text": "Sốt nhẹ\nđau đầu"} | over


def test_a_self_report_on_my_dose_becomes_a_self_reported_aefi_report(
    client: FlaskClient, engine: Engine
) -> None:
    an = bearer(citizen_token(client), "en")
    response = client.post(SELF_REPORTS, json=_report(), headers=an)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["record_id"] == RECENT and body["severity"] == "MILD"
    with engine.connect() as conn:
        report = conn.execute(select(AefiReport.__table__)).mappings().one()
        marker = conn.execute(select(VaxAefiSelfReport.__table__)).mappings().one()
    assert report["report_id"] == body["report_id"] and report["record_id"] == RECENT
    assert report["severity"] == "MILD" and report["facility_code"] == "F00101"
    assert (marker["person_id"], marker["channel"], marker["reaction_codes"]) == (
        AN, "APP", "FEVER;HEADACHE")
    serious = client.post(SELF_REPORTS, json=_report(hospitalised=True), headers=an)
    assert serious.status_code == 201 and serious.get_json()["severity"] == "SERIOUS"


def test_another_persons_dose_is_refused_as_an_unknown_one(client: FlaskClient) -> None:
    binh = bearer(citizen_token(client, BINH, BINH_DOB, BINH_PHONE), "en")
    theirs = client.post(SELF_REPORTS, json=_report(), headers=binh)
    unknown = client.post(SELF_REPORTS, json=_report(record_id="NO-SUCH"), headers=binh)
    assert theirs.status_code == unknown.status_code == 422
    assert theirs.get_json() == unknown.get_json() == {"errors": [{
        "field": "record_id", "code": "self_report.unknown_dose",
        "message": "This dose of yours was not found."}]}


def test_self_report_refusals_name_each_field(client: FlaskClient, engine: Engine) -> None:
    an = bearer(citizen_token(client), "en")
    response = client.post(SELF_REPORTS, json=_report(
        reactions=["NOT_A_REACTION"], onset=dt.date.today() + dt.timedelta(days=2)),
        headers=an)
    assert response.status_code == 422
    codes = {(e["field"], e["code"]) for e in response.get_json()["errors"]}
    assert codes == {("reactions", "self_report.reaction_unknown"),
                     ("onset_date", "self_report.onset_future")}
    old = client.post(SELF_REPORTS, json=_report(record_id="R-AN-1"), headers=an)
    assert old.get_json()["errors"][0]["code"] == "self_report.too_late"
    with engine.connect() as conn:
        assert conn.execute(select(AefiReport.__table__)).first() is None


def test_a_declaration_counts_once_a_day_and_is_the_callers_own(
    client: FlaskClient, engine: Engine
) -> None:
    an = bearer(citizen_token(client), "en")
    first = client.post(DECLARATIONS, json={"symptoms": ["FEVER"], "contact": False,
                                            "travel": False}, headers=an)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json()["province_code"] == "01" and not first.get_json()["replaced"]
    again = client.post(DECLARATIONS, json={"symptoms": [], "contact": True, "travel": True,
                                            "travel_province": "79"}, headers=an)
    assert again.status_code == 200 and again.get_json()["replaced"]
    with engine.connect() as conn:
        rows = conn.execute(select(VaxHealthDeclaration.__table__)).mappings().all()
    assert [(r["person_id"], r["travel_province"], r["channel"]) for r in rows] == [
        (AN, "79", "APP")]
    refused = client.post(DECLARATIONS, json={"contact": False, "travel": True}, headers=an)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [{
        "field": "travel_province", "code": "declaration.province_required",
        "message": "Choose the province you travelled to."}]


def test_reports_need_a_citizen_token(client: FlaskClient) -> None:
    staff = bearer(token_for(client, "coso.760"))
    for url, body in ((SELF_REPORTS, _report()),
                      (DECLARATIONS, {"contact": False, "travel": False})):
        assert client.post(url, json=body, headers=staff).status_code == 401
        assert client.post(url, json=body).status_code == 401
        assert client.post(url, json=body | {"extra": 1}, headers=bearer(
            citizen_token(client))).status_code == 400
