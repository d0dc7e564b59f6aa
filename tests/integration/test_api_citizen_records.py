"""A citizen's own records on each backend: the profile, the doses and their FHIR R4 export
(validated with fhir.resources and checked against the dose rows), and isolation between two
citizens."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from fhir.resources.R4B.bundle import Bundle
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from data.models.operational import Injection
from data.settings import Settings
from tests.integration.api_app import bearer
from tests.integration.citizen_api_setup import (
    AN,
    AN_DOSES,
    BINH,
    BINH_DOB,
    BINH_PHONE,
    aware,
    citizen_app,
    citizen_token,
)

EU = "https://ec.europa.eu/health/documents/community-register/html/"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from citizen_app(settings, engine, tmp_path)


def test_me_is_the_citizen_as_on_record_with_the_phone_masked(client: FlaskClient) -> None:
    an = client.get("/api/v1/citizen/me", headers=bearer(citizen_token(client)))
    assert an.status_code == 200
    assert an.get_json() == {"full_name": "Nguyễn Văn An", "birth_date": "1990-01-02",
                             "sex": "M", "province_code": "01", "district_code": "001",
                             "ward_code": "00001", "phone": "*******678"}
    binh = client.get("/api/v1/citizen/me", headers=bearer(
        citizen_token(client, BINH, BINH_DOB, BINH_PHONE)))
    assert binh.get_json() == {"full_name": "Trần Thị Bình", "birth_date": "1985-03-04",
                               "sex": "F", "province_code": "79", "district_code": "760",
                               "ward_code": None, "phone": "*******321"}


def test_my_doses_carry_product_lot_expiry_and_facility(client: FlaskClient) -> None:
    response = client.get("/api/v1/citizen/me/doses", headers=bearer(citizen_token(client)))
    assert response.status_code == 200
    doses = response.get_json()["doses"]
    assert [(d["record_id"], d["lot_number"], d["lot_expiry"], d["dose_number"])
            for d in doses] == [(r, lot, exp, n) for r, lot, exp, n, _a in AN_DOSES]
    assert {d["vaccine_code"] for d in doses} == {"AZ"}
    assert doses[0]["vaccine_name"] == "AstraZeneca AZD1222 / Vaxzevria / Covishield"
    assert doses[0]["facility_code"] == "F00101"
    assert doses[0]["facility_name"] == "Trạm Y tế Phường Phúc Xá"
    assert dt.datetime.fromisoformat(doses[1]["administered_at"]) == dt.datetime(
        2021, 9, 5, 14, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_the_fhir_export_is_a_valid_r4_bundle_matching_the_doses(
    client: FlaskClient, engine: Engine
) -> None:
    response = client.get("/api/v1/citizen/me/immunizations?format=fhir",
                          headers=bearer(citizen_token(client)))
    assert response.status_code == 200
    body = response.get_json()
    bundle = Bundle.model_validate(body)  # raises on anything R4B does not allow
    assert bundle.type == "collection"
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert sorted(kinds) == ["Immunization", "Immunization", "Organization", "Patient"]
    with engine.connect() as conn:
        stored = {r["record_id"]: r for r in conn.execute(
            select(Injection.__table__).where(Injection.__table__.c.person_id == AN))
            .mappings()}
    patient = next(e for e in bundle.entry if e.resource.get_resource_type() == "Patient")
    org = next(e for e in bundle.entry if e.resource.get_resource_type() == "Organization")
    immunizations = [e.resource for e in bundle.entry
                     if e.resource.get_resource_type() == "Immunization"]
    expiry = {lot: dt.date.fromisoformat(exp) for _r, lot, exp, _n, _a in AN_DOSES}
    for imm in immunizations:
        row = next(r for r in stored.values() if r["lot_number"] == imm.lotNumber)
        assert imm.status == "completed"
        assert imm.protocolApplied[0].doseNumberPositiveInt == row["dose_number"]
        assert imm.occurrenceDateTime == aware(row["administered_at"])
        assert imm.expirationDate == expiry[row["lot_number"]]
        eu = imm.vaccineCode.coding[0]
        assert (eu.system, eu.code) == (EU, "EU/1/21/1529")  # Vaxzevria
        assert imm.vaccineCode.coding[1].code == "AZ"
        assert imm.patient.reference == patient.fullUrl
        assert imm.performer[0].actor.reference == org.fullUrl
        assert imm.performer[0].actor.display == "Trạm Y tế Phường Phúc Xá"
        assert imm.location.display == "Trạm Y tế Phường Phúc Xá"
    assert sorted(i.protocolApplied[0].doseNumberPositiveInt for i in immunizations) == [1, 2]
    assert patient.resource.birthDate == dt.date(1990, 1, 2)
    assert patient.resource.gender == "male"
    # No identity number and no phone anywhere in the export.
    text = json.dumps(body)
    assert AN not in text and "0912345678" not in text
    # The same book exports the same ids.
    again = client.get("/api/v1/citizen/me/immunizations", headers=bearer(
        citizen_token(client))).get_json()
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in body["entry"]]


def test_an_unknown_format_is_a_400(client: FlaskClient) -> None:
    response = client.get("/api/v1/citizen/me/immunizations?format=xml",
                          headers=bearer(citizen_token(client)))
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "format"


def test_each_citizen_sees_only_their_own_records(client: FlaskClient) -> None:
    an = bearer(citizen_token(client))
    binh = bearer(citizen_token(client, BINH, BINH_DOB, BINH_PHONE))
    assert len(client.get("/api/v1/citizen/me/doses", headers=an).get_json()["doses"]) == 2
    assert client.get("/api/v1/citizen/me/doses", headers=binh).get_json() == {"doses": []}
    bundle = client.get("/api/v1/citizen/me/immunizations", headers=binh).get_json()
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    assert client.get("/api/v1/citizen/me/registrations", headers=an).get_json() == {
        "registrations": []}
    mine = client.get("/api/v1/citizen/me/registrations", headers=binh).get_json()
    assert [r["registration_id"] for r in mine["registrations"]] == ["REG-BINH"]
    # An cancelling Bình's registration: not found, as a registration that does not exist.
    for method, path in (("post", "/api/v1/citizen/me/registrations/REG-BINH/cancel"),
                         ("delete", "/api/v1/citizen/me/registrations/REG-BINH"),
                         ("post", "/api/v1/citizen/me/registrations/NO-SUCH/cancel")):
        refused = getattr(client, method)(path, headers=an | {"Accept-Language": "en"})
        assert refused.status_code == 404
        assert refused.get_json()["errors"][0]["code"] == "not_found"
    still = client.get("/api/v1/citizen/me/registrations", headers=binh).get_json()
    assert [r["status"] for r in still["registrations"]] == ["ACTIVE"]
