"""A citizen's own registrations on each backend: created through the registrations
contract's rules (a file row's reasons), the CCCD checked against birth date and sex, one at a
time; cancelled (out of the registry, kept in the history, audited) and made again; hostile
bodies are 400s, never 500s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from data import audit
from data.models.citizen_auth import VaxRegistrationCancel
from data.models.operational import Registration
from data.models.star import FctRegistration
from data.portal.registration import AlreadyRegistered, SelfRegistration, register_self
from data.settings import Settings
from tests.integration.api_app import bearer
from tests.integration.citizen_api_setup import (
    AN,
    BINH,
    BINH_DOB,
    BINH_PHONE,
    citizen_app,
    citizen_token,
)

URL = "/api/v1/citizen/me/registrations"
REGISTRATIONS = Registration.__table__
AN_FORM: dict[str, Any] = {
    "full_name": "Nguyễn Văn An", "birth_date": "1990-01-02", "sex": "M",
    "phone": "0912345678", "priority_group": 7, "province_code": "01", "district_code": "001",
    "ward_code": "00001", "address": "12 Phúc Xá", "organisation": "Công ty A"}


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from citizen_app(settings, engine, tmp_path)


@pytest.fixture
def an(client: FlaskClient) -> dict[str, str]:
    return bearer(citizen_token(client), "en")


def _registry(engine: Engine, person: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(REGISTRATIONS).where(
            REGISTRATIONS.c.person_id == person)).mappings()]


def _facts(engine: Engine, registration_id: str) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(FctRegistration.__table__).where(
            FctRegistration.__table__.c.registration_id == registration_id)).all())


def test_a_registration_is_stored_as_a_file_row_would_be_and_audited(
    client: FlaskClient, engine: Engine, an: dict[str, str]
) -> None:
    response = client.post(URL, json=AN_FORM, headers=an)
    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.get_json()
    assert made["status"] == "ACTIVE" and made["cancelled_at"] is None
    assert made["registration_id"].startswith("C-")
    rows = _registry(engine, AN)
    assert len(rows) == 1
    row = rows[0]
    assert (row["registration_id"], row["id_type"], row["full_name"], row["priority_group"],
            row["ward_code"], row["address"]) == (made["registration_id"], "CCCD",
                                                  "Nguyễn Văn An", 7, "00001", "12 Phúc Xá")
    assert _facts(engine, made["registration_id"]) == 1
    with engine.connect() as conn:
        entry = audit.search(conn, table="registration")
    assert list(entry["action"]) == ["CREATE"]
    assert entry.iloc[0]["record_key"] == made["registration_id"]
    assert AN not in str(entry.iloc[0]["after"]) + str(entry.iloc[0]["detail"])
    listed = client.get(URL, headers=an).get_json()["registrations"]
    assert [(r["registration_id"], r["status"]) for r in listed] == [
        (made["registration_id"], "ACTIVE")]


def test_a_second_registration_of_the_same_person_is_refused(
    client: FlaskClient, engine: Engine, an: dict[str, str]
) -> None:
    first = client.post(URL, json=AN_FORM, headers=an).get_json()["registration_id"]
    again = client.post(URL, json=AN_FORM | {"priority_group": 3}, headers=an)
    assert again.status_code == 422
    assert again.get_json()["errors"] == [{
        "field": "person_id", "code": "registration.duplicate",
        "message": f"This identity number is already registered ({first}); cancel that "
                   "registration before registering again."}]
    assert len(_registry(engine, AN)) == 1
    # Bình, registered by a file, is refused too.
    binh = bearer(citizen_token(client, BINH, BINH_DOB, BINH_PHONE))
    refused = client.post(URL, json=AN_FORM | {"full_name": "Trần Thị Bình", "sex": "F",
                                               "birth_date": BINH_DOB}, headers=binh)
    assert refused.get_json()["errors"][0]["code"] == "registration.duplicate"


def test_the_cccd_must_agree_with_birth_date_and_sex_and_the_records(
    client: FlaskClient, engine: Engine, an: dict[str, str]
) -> None:
    sex = client.post(URL, json=AN_FORM | {"sex": "F"}, headers=an)
    assert sex.status_code == 422
    assert sex.get_json()["errors"] == [{
        "field": "sex", "code": "cccd.sex_mismatch", "message": sex.get_json()["errors"][0][
            "message"]}]
    assert "M" in sex.get_json()["errors"][0]["message"]
    year = client.post(URL, json=AN_FORM | {"birth_date": "1991-01-02"}, headers=an)
    codes = {(e["field"], e["code"]) for e in year.get_json()["errors"]}
    assert codes == {("birth_date", "cccd.year_mismatch"),
                     ("birth_date", "registration.birth_date")}
    day = client.post(URL, json=AN_FORM | {"birth_date": "1990-01-03"}, headers=an)
    assert [(e["field"], e["code"]) for e in day.get_json()["errors"]] == [
        ("birth_date", "registration.birth_date")]
    assert _registry(engine, AN) == []


def test_the_contracts_rules_refuse_as_in_a_reject_report(
    client: FlaskClient, engine: Engine, an: dict[str, str]
) -> None:
    response = client.post(URL, json=AN_FORM | {"phone": "12345", "district_code": "760",
                                                "ward_code": None},
                           headers=an)
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.get_json()["errors"]}
    assert set(errors) == {"phone", "district_code"}
    assert errors["phone"]["code"] == "bad_phone"
    assert errors["phone"]["message"]  # worded as the reject report words it
    vi = client.post(URL, json=AN_FORM | {"phone": "12345"},
                     headers=an | {"Accept-Language": "vi"}).get_json()["errors"][0]
    assert vi["code"] == "bad_phone" and vi["message"] != errors["phone"]["message"]
    assert _registry(engine, AN) == []


def test_cancel_takes_it_out_of_the_registry_keeps_it_and_allows_a_new_one(
    client: FlaskClient, engine: Engine, an: dict[str, str]
) -> None:
    rid = client.post(URL, json=AN_FORM, headers=an).get_json()["registration_id"]
    done = client.post(f"{URL}/{rid}/cancel", headers=an)
    assert done.status_code == 200
    assert done.get_json()["status"] == "CANCELLED" and done.get_json()["cancelled_at"]
    assert _registry(engine, AN) == [] and _facts(engine, rid) == 0
    with engine.connect() as conn:
        kept = conn.execute(select(VaxRegistrationCancel.__table__)).mappings().one()
        entries = audit.search(conn, table="registration")
    assert kept["registration_id"] == rid and kept["row"]["priority_group"] == 7
    assert list(entries["action"]) == ["CANCEL", "CREATE"]
    # Cancelling again (either route) changes nothing.
    assert client.delete(f"{URL}/{rid}", headers=an).get_json()["status"] == "CANCELLED"
    again = client.post(URL, json=AN_FORM, headers=an)
    assert again.status_code == 201
    listed = client.get(URL, headers=an).get_json()["registrations"]
    assert [(r["registration_id"], r["status"]) for r in listed] == [
        (again.get_json()["registration_id"], "ACTIVE"), (rid, "CANCELLED")]


def test_a_portal_registration_cancelled_in_the_app_can_be_made_again_on_the_portal(
    client: FlaskClient, engine: Engine, an: dict[str, str], settings: Settings
) -> None:
    form = SelfRegistration(person_id=AN, id_type="CCCD", full_name="Nguyễn Văn An",
                            birth_date="1990-01-02", sex="M", phone="0912345678",
                            priority_group="0", province_code="01", district_code="001")
    first = register_self(engine, form, "en", settings.timezone, "10.0.0.9")
    with pytest.raises(AlreadyRegistered):
        register_self(engine, form, "en", settings.timezone, "10.0.0.9")
    assert client.post(f"{URL}/{first}/cancel", headers=an).status_code == 200
    again = register_self(engine, form, "en", settings.timezone, "10.0.0.9")
    assert again != first
    assert [r["registration_id"] for r in _registry(engine, AN)] == [again]


HOSTILE = [
    AN_FORM | {"full_name": "An\x00"},
    AN_FORM | {"full_name": "x" * 5000},
    AN_FORM | {"priority_group": "seven"},
    AN_FORM | {"priority_group": 2**40},
    AN_FORM | {"birth_date": "1990-02-30"},
    AN_FORM | {"person_id": BINH},  # the identity number is the token's, never the body's
    AN_FORM | {"sex": "X"},
    {k: v for k, v in AN_FORM.items() if k != "full_name"},
    ["not", "an", "object"],
    "\ud800",
    AN_FORM | {"phone": "0" * 21},
]


def test_hostile_bodies_are_400s(client: FlaskClient, an: dict[str, str]) -> None:
    for body in HOSTILE:
        response = client.post(URL, json=body, headers=an)
        assert response.status_code == 400, (body, response.get_data(as_text=True))
        assert response.get_json()["errors"][0]["code"]


def test_hostile_paths_and_sign_in_bodies_are_never_500s(
    client: FlaskClient, an: dict[str, str]
) -> None:
    for rid in ("%00", "a" * 300, "%F0%9F%92%89", "..%2F..", "1%0A2"):
        assert client.post(f"{URL}/{rid}/cancel", headers=an).status_code == 404
    for body in ({"identity_number": "\x00", "date_of_birth": "1990-01-02"},
                 {"identity_number": "a" * 33, "date_of_birth": "1990-01-02"},
                 {"identity_number": AN, "date_of_birth": "0000-01-01"},
                 {"identity_number": AN, "date_of_birth": "1990-01-02", "code": "12345a"},
                 {"identity_number": [], "date_of_birth": None}):
        for url in ("/api/v1/citizen/auth/code", "/api/v1/citizen/auth/token"):
            assert client.post(url, json=body).status_code == 400, (url, body)
    raw = client.post("/api/v1/citizen/auth/code", data=b"\xff\xfe{",
                      content_type="application/json")
    assert raw.status_code == 400
