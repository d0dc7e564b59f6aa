"""Closing a session with its tally through the JSON API, on each backend: 201 with the tally
and the warehouse, 200 "unchanged" for a retry, 422 beside the lot (stock worded as the
contract's reject reason) in vi and en, 400 for a body out of schema, 403 out of scope; the plain
close refused (422, pointing to the tally) once doses were given, allowed for a day without."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from callbacks.shared.i18n import t
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import injection, movement, warehouse, write_csv
from tests.integration.api_app import api_app, bearer, token_for
from tests.integration.ops_setup import AZ_LOT, WOMAN

SESSION = {"facility_code": "F760001", "day": "2021-10-15", "starts_at": "07:30:00",
           "ends_at": "11:30:00", "capacity": 50, "vaccines": ["AZ"], "lots": [AZ_LOT]}
WAREHOUSE = "WF760001"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    for application in api_app(settings, engine, tmp_path):
        def load(kind: str, rows: list[dict[str, object]]) -> None:
            result = load_file(settings, engine, kind, write_csv(tmp_path / f"{kind}.csv", rows))
            assert result.rejected == 0
        load("warehouses", [warehouse(WAREHOUSE, level="FACILITY", province_code="79",
                                      district_code="760", facility_code="F760001")])
        load("stock_movements", [movement("R1", warehouse_code=WAREHOUSE, lot_number=AZ_LOT,
                                          doses=30, expiry_date="2022-06-30")])
        load("injections", [injection(
            f"D{i}", person_id=WOMAN, full_name="Trần Thị Bình", birth_date="2001-03-04",
            sex="F", province_code="79", district_code="760", ward_code="",
            facility_code="F760001", administered_at=f"2021-10-15T09:{i:02d}:00+07:00")
            for i in range(8)])
        yield application


def _post(client: FlaskClient, path: str, token: str, body: Any, lang: str = "en") -> Any:
    return client.post(path, json=body, headers=bearer(token, lang))


def _session(client: FlaskClient, token: str) -> str:
    response = _post(client, "/api/v1/sessions", token, SESSION)
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.get_json()["session_id"])


def _on_hand(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT SUM(doses) FROM agg_stock_on_hand")).scalar_one())


def test_the_tally_closes_the_session_once(client: FlaskClient, engine: Engine) -> None:
    staff = token_for(client, "coso.760")
    sid = _session(client, staff)
    body = {"lots": [{"lot_number": AZ_LOT, "vials_opened": 1}]}
    first = _post(client, f"/api/v1/sessions/{sid}/tally", staff, body)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json() == {
        "session_id": sid, "status": "CLOSED", "warehouse_code": WAREHOUSE,
        "outcome": "closed", "lots": [{
            "lot_number": AZ_LOT, "vaccine_code": "AZ", "doses_per_vial": 10,
            "doses_given": 8, "vials_opened": 1, "doses_wasted": 2}]}
    assert _on_hand(engine) == 30 - 8 - 2
    again = _post(client, f"/api/v1/sessions/{sid}/tally", staff, body)
    assert again.status_code == 200
    assert again.get_json()["outcome"] == "unchanged"
    assert _on_hand(engine) == 20
    other = _post(client, f"/api/v1/sessions/{sid}/tally", staff,
                  {"lots": [{"lot_number": AZ_LOT, "vials_opened": 2}]})
    assert other.status_code == 422
    assert other.get_json() == {"errors": [{"field": "session_id", "code": "session.closed",
                                            "message": "The session is closed."}]}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_refusals_are_told_beside_the_lot(client: FlaskClient, engine: Engine,
                                          lang: str) -> None:
    staff = token_for(client, "coso.760")
    sid = _session(client, staff)
    field = f"vials_opened.{AZ_LOT}"
    few = _post(client, f"/api/v1/sessions/{sid}/tally", staff,
                {"lots": [{"lot_number": AZ_LOT, "vials_opened": 0}]}, lang)
    assert few.status_code == 422
    assert few.get_json()["errors"] == [{
        "field": field, "code": "close.too_many_given",
        "message": t("close.too_many_given", lang, detail="8 > 0 × 10")}]
    many = _post(client, f"/api/v1/sessions/{sid}/tally", staff,
                 {"lots": [{"lot_number": AZ_LOT, "vials_opened": 4}]}, lang)
    [error] = many.get_json()["errors"]
    assert (error["field"], error["code"]) == (field, "stock_below_zero")
    assert error["message"] == {
        "vi": f"Tồn kho lô {AZ_LOT} tại kho {WAREHOUSE} sẽ âm (-10 liều)",
        "en": f"Stock of lot {AZ_LOT} at warehouse {WAREHOUSE} would go below zero "
              "(-10 doses)"}[lang]
    assert _on_hand(engine) == 30


def test_a_body_out_of_schema_is_a_400_and_scope_a_403(client: FlaskClient,
                                                       engine: Engine) -> None:
    staff = token_for(client, "coso.760")
    sid = _session(client, staff)
    for body in ({"lots": [{"lot_number": AZ_LOT, "vials_opened": -1}]},
                 {"lots": [{"lot_number": AZ_LOT, "vials_opened": "two"}]},
                 {"lots": [], "extra": 1}):
        response = _post(client, f"/api/v1/sessions/{sid}/tally", staff, body)
        assert response.status_code == 400, body
        assert response.get_json()["errors"][0]["code"]
    twice = _post(client, f"/api/v1/sessions/{sid}/tally", staff,
                  {"lots": [{"lot_number": AZ_LOT, "vials_opened": 1}] * 2}, "vi")
    assert twice.status_code == 422
    assert twice.get_json() == {"errors": [{"field": f"vials_opened.{AZ_LOT}",
                                           "code": "close.lot_twice",
                                           "message": f"Lô {AZ_LOT} được nhập hai lần."}]}
    admin = token_for(client, "quan.tri")
    forbidden = _post(client, f"/api/v1/sessions/{sid}/tally", admin, {"lots": []})
    assert forbidden.status_code == 403
    assert forbidden.get_json()["errors"][0]["code"] == "forbidden"
    assert _on_hand(engine) == 30


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_plain_close_is_refused_once_doses_were_given(client: FlaskClient, engine: Engine,
                                                         lang: str) -> None:
    staff = token_for(client, "coso.760")
    sid = _session(client, staff)
    refused = _post(client, f"/api/v1/sessions/{sid}/close", staff, None, lang)
    assert refused.status_code == 422
    assert refused.get_json() == {"errors": [{
        "field": "session_id", "code": "close.tally_required",
        "message": t("close.tally_required", lang, detail="8")}]}
    assert "8" in refused.get_json()["errors"][0]["message"]
    assert "/api/v1/sessions/{id}/tally" in refused.get_json()["errors"][0]["message"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM vax_session")).scalar_one() == "OPEN"
    assert _on_hand(engine) == 30
    closed = _post(client, f"/api/v1/sessions/{sid}/tally", staff,
                   {"lots": [{"lot_number": AZ_LOT, "vials_opened": 1}]})
    assert closed.status_code == 201, closed.get_data(as_text=True)
    assert _on_hand(engine) == 20


def test_a_day_without_doses_closes_plainly(client: FlaskClient, engine: Engine) -> None:
    staff = token_for(client, "coso.760")
    # The fixture's doses were given on 15 October: a session the next day has none.
    sid = _session_on(client, staff, "2021-10-16")
    closed = _post(client, f"/api/v1/sessions/{sid}/close", staff, None)
    assert closed.status_code == 200, closed.get_data(as_text=True)
    assert closed.get_json() == {"session_id": sid, "status": "CLOSED"}
    assert _on_hand(engine) == 30
    again = _post(client, f"/api/v1/sessions/{sid}/close", staff, None)
    assert again.status_code == 422
    assert [e["code"] for e in again.get_json()["errors"]] == ["session.closed"]


def _session_on(client: FlaskClient, token: str, day: str) -> str:
    response = _post(client, "/api/v1/sessions", token, SESSION | {"day": day})
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.get_json()["session_id"])
