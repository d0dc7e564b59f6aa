"""The vaccination day through the JSON API on each backend: a session planned, a person
booked, found, checked in, screened and vaccinated, the dose counted nationally; a retried
dose stored once; 401, 403 and 422 in the API's error shape, messages in vi and en."""

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
from data.mcc import aggregates
from data.ops.rules.screening import rule_set_for
from data.settings import Settings
from tests.factories import injection
from tests.integration.api_app import api_app, bearer, token_for
from tests.integration.ops_setup import AZ_LOT, WOMAN, registration, seed_places

DAY = dt.date(2021, 10, 15)
BORN = dt.date(2001, 3, 4)  # WOMAN's CCCD: 079 TP. Hồ Chí Minh, 3 = a woman of the 2000s, 01
SESSION = {"facility_code": "F760001", "day": DAY.isoformat(), "starts_at": "07:30:00",
           "ends_at": "11:30:00", "capacity": 1, "vaccines": ["AZ"], "lots": [AZ_LOT]}
DOSE = injection("API-DOSE-1", person_id=WOMAN, full_name="Trần Thị Bình",
                 birth_date=BORN.isoformat(), sex="F", phone="0987654321",
                 province_code="79", district_code="760", ward_code="",
                 facility_code="F760001", administered_at=f"{DAY.isoformat()}T09:15:00+07:00")


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    for application in api_app(settings, engine, tmp_path):
        seed_places(engine)  # the lots, and F00101 in Hà Nội: outside every test account
        registration(engine, "REG-BINH", WOMAN, full_name="Trần Thị Bình",
                     birth_date=BORN, sex="F", phone="0987654321", province_code="79",
                     district_code="760", ward_code=None)
        yield application


@pytest.fixture
def staff(client: FlaskClient) -> str:
    return token_for(client, "coso.760")


def _post(client: FlaskClient, path: str, token: str | None, body: Any,
          lang: str = "en") -> Any:
    headers = bearer(token, lang) if token else {"Accept-Language": lang}
    return client.post(path, json=body, headers=headers)


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_a_vaccination_day_from_session_to_national_count(
    app: dash.Dash, client: FlaskClient, engine: Engine, staff: str
) -> None:
    session = _created(_post(client, "/api/v1/sessions", staff, SESSION))
    sid = session["session_id"]
    assert session["status"] == "OPEN" and len(sid) == 32
    booking = _created(_post(client, f"/api/v1/sessions/{sid}/bookings", staff, {
        "person_id": WOMAN, "id_type": "CCCD", "registration_id": "REG-BINH"}))
    assert booking["session_id"] == sid

    found = client.get("/api/v1/people?facility_code=F760001&by=phone&q=0987 654 321",
                       headers=bearer(staff))
    assert found.status_code == 200, found.get_data(as_text=True)
    people = found.get_json()["people"]
    assert [(p["person_id"], p["full_name"], p["birth_date"], p["registration_id"],
             p["bookings"], p["doses"]) for p in people] == [
        (WOMAN, "Trần Thị Bình", BORN.isoformat(), "REG-BINH", [booking["booking_id"]], [])]

    checkin = _created(_post(client, "/api/v1/checkins", staff, {
        "session_id": sid, "booking_id": booking["booking_id"], "id_type": "CCCD",
        "person_id": WOMAN, "birth_date": BORN.isoformat(), "sex": "F"}))
    assert checkin | {"checkin_id": ""} == {
        "checkin_id": "", "booking_id": booking["booking_id"], "registration_id": "REG-BINH",
        "walk_in": False, "registered": False, "identity_check": "CCCD_AGREES"}

    rules = rule_set_for(DAY, 20)
    screening = _created(_post(client, "/api/v1/screenings", staff, {
        "checkin_id": checkin["checkin_id"], "answers": {i.id: False for i in rules.items},
        "vitals": {"temperature_c": 36.6}, "final_decision": "ELIGIBLE"}))
    assert screening | {"screening_id": ""} == {
        "screening_id": "", "rule_set_id": rules.id, "computed_outcome": "ELIGIBLE",
        "reasons": [], "final_decision": "ELIGIBLE"}

    services = app.server.extensions["vx_services"]
    before = aggregates.national_kpis(services, today=DAY)
    dose = _post(client, "/api/v1/injections", staff, DOSE)
    assert dose.status_code == 201 and dose.get_json() == {"record_id": "API-DOSE-1",
                                                           "outcome": "loaded"}
    services.cache.expire_version()  # as the poll interval would: the dose bumped the version
    after = aggregates.national_kpis(services, today=DAY)
    assert (before["doses"], after["doses"]) == (0, 1)
    assert (after["dose1"], after["today"], after["last_date_key"]) == (1, 1, 20211015)
    assert _count(engine, "SELECT COALESCE(SUM(doses), 0) FROM agg_doses_facility_daily "
                          "WHERE date_key = 20211015") == 1

    # A dose was given: the day ends with its tally (test_api_close_tally), not a plain close.
    closed = _post(client, f"/api/v1/sessions/{sid}/close", staff, None)
    assert closed.status_code == 422
    assert [(e["field"], e["code"]) for e in closed.get_json()["errors"]] == [
        ("session_id", "close.tally_required")]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status, booked FROM vax_session")).one() == (
            "OPEN", 1)


def test_a_retried_dose_is_stored_once(
    app: dash.Dash, client: FlaskClient, engine: Engine, staff: str
) -> None:
    # The answer to the first call was lost: the client sends the same body again.
    first = _post(client, "/api/v1/injections", staff, DOSE)
    again = _post(client, "/api/v1/injections", staff, DOSE)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == {"record_id": "API-DOSE-1", "outcome": "unchanged"}
    assert _count(engine, "SELECT COUNT(*) FROM injection") == 1
    assert _count(engine, "SELECT COALESCE(SUM(doses), 0) FROM agg_doses_daily") == 1
    assert _count(engine, "SELECT COUNT(*) FROM audit_log WHERE table_name = 'injection'") == 1
    # The same dose under a new record_id (a second desk) is refused, worded in the language.
    other = _post(client, "/api/v1/injections", staff, DOSE | {"record_id": "API-DOSE-2"}, "vi")
    assert other.status_code == 422
    [error] = other.get_json()["errors"]
    assert (error["field"], error["code"]) == ("dose_number", "dose.already_recorded")
    assert "F760001" in error["message"] and "09:15 15/10/2021" in error["message"]
    assert _count(engine, "SELECT COUNT(*) FROM injection") == 1


ROUTES = [("POST", "/api/v1/sessions", SESSION),
          ("POST", "/api/v1/sessions/abc/bookings", {"person_id": WOMAN, "id_type": "CCCD"}),
          ("POST", "/api/v1/sessions/abc/close", None),
          ("POST", "/api/v1/sessions/abc/tally", {"lots": []}),
          ("GET", "/api/v1/people?facility_code=F760001&by=id&q=1", None),
          ("POST", "/api/v1/checkins", {"session_id": "abc", "id_type": "CCCD",
                                        "person_id": WOMAN, "birth_date": "2001-03-04",
                                        "sex": "F"}),
          ("POST", "/api/v1/screenings", {"checkin_id": "abc", "answers": {},
                                          "final_decision": "ELIGIBLE"}),
          ("POST", "/api/v1/injections", DOSE),
          ("GET", "/api/v1/sessions/abc/lots", None),
          ("POST", "/api/v1/doses", {"record_id": "F-1", "checkin_id": "abc",
                                     "vaccine_code": "AZ", "lot_number": AZ_LOT,
                                     "dose_kind": "PRIMARY", "dose_number": 1,
                                     "injection_site": "LEFT_ARM"})]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[r[1] for r in ROUTES])
def test_every_route_needs_a_token(client: FlaskClient, engine: Engine, method: str,
                                   path: str, body: Any) -> None:
    response = client.open(path, method=method, json=body, headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.get_json() == {"errors": [{
        "field": "authorization", "code": "unauthenticated",
        "message": t("api.error.unauthenticated", "en")}]}
    assert _count(engine, "SELECT COUNT(*) FROM vax_session") == 0
    assert _count(engine, "SELECT COUNT(*) FROM injection") == 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_outside_the_scope_is_a_403(client: FlaskClient, engine: Engine, staff: str,
                                    lang: str) -> None:
    forbidden = {"errors": [{"field": None, "code": "forbidden",
                             "message": t("api.error.forbidden", lang)}]}
    # Staff of F760001 at a Hà Nội facility; an administrator works no vaccination session.
    response = _post(client, "/api/v1/sessions", staff, SESSION | {"facility_code": "F00101"},
                     lang)
    assert (response.status_code, response.get_json()) == (403, forbidden)
    admin = token_for(client, "quan.tri")
    assert _post(client, "/api/v1/sessions", admin, SESSION, lang).status_code == 403
    response = _post(client, "/api/v1/injections", staff, DOSE | {"facility_code": "F00101"},
                     lang)
    assert (response.status_code, response.get_json()) == (403, forbidden)
    assert _count(engine, "SELECT COUNT(*) FROM vax_session") == 0
    assert _count(engine, "SELECT COUNT(*) FROM injection") == 0


@pytest.mark.parametrize(("lang", "full", "mismatch"), [
    ("en", "The session is full.", "The CCCD number says born 2001; the form says 2002."),
    ("vi", "Buổi tiêm đã hết chỗ.", "Số CCCD ghi năm sinh 2001, biểu mẫu ghi năm 2002."),
])
def test_refusals_are_422_one_error_per_problem_in_the_language(
    client: FlaskClient, engine: Engine, staff: str, lang: str, full: str, mismatch: str
) -> None:
    response = _post(client, "/api/v1/sessions", staff, SESSION | {
        "ends_at": "07:00:00", "capacity": 0, "vaccines": ["XYZ"]}, lang)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.get_json()["errors"]] == [
        ("ends_at", "session.window"), ("capacity", "session.capacity"),
        ("vaccines", "session.vaccine_unknown"), ("lots", "session.lot_unknown")]
    assert response.get_json()["errors"][2]["message"] == {
        "en": "Unknown vaccines: XYZ.", "vi": "Không có loại vắc xin: XYZ."}[lang]

    sid = _created(_post(client, "/api/v1/sessions", staff, SESSION))["session_id"]
    book = f"/api/v1/sessions/{sid}/bookings"
    _created(_post(client, book, staff, {"person_id": WOMAN, "id_type": "CCCD"}))
    response = _post(client, book, staff, {"person_id": "B1234567", "id_type": "PASSPORT"},
                     lang)
    assert (response.status_code, response.get_json()) == (422, {"errors": [
        {"field": "session_id", "code": "session.full", "message": full}]})

    response = _post(client, "/api/v1/checkins", staff, {
        "session_id": sid, "id_type": "CCCD", "person_id": WOMAN, "birth_date": "2002-03-04",
        "sex": "F"}, lang)
    assert (response.status_code, response.get_json()) == (422, {"errors": [
        {"field": "birth_date", "code": "cccd.year_mismatch", "message": mismatch}]})

    assert _post(client, f"/api/v1/sessions/{sid}/close", staff, None).status_code == 200
    response = _post(client, f"/api/v1/sessions/{sid}/close", staff, None, lang)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["code"] == "session.closed"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT booked FROM vax_session")).scalar_one() == 1
