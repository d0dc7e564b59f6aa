"""The operations routes of the JSON API on each backend: the screening rule sets in the asked
language, and the identity number check answering with field errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from data.ops.rules.screening import rule_sets
from data.settings import Settings
from tests.integration.api_app import api_app, bearer, token_for

CHECK = "/api/v1/identity/check"


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from api_app(settings, engine, tmp_path)


@pytest.fixture
def token(client: FlaskClient) -> str:
    return token_for(client, "coso.760")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_screening_rule_sets_in_the_asked_language(client: FlaskClient, token: str,
                                                   lang: str) -> None:
    response = client.get("/api/v1/rules/screening", headers=bearer(token, lang))
    assert response.status_code == 200
    got = response.get_json()["rule_sets"]
    shipped = rule_sets()
    assert [s["id"] for s in got] == [s.id for s in shipped]
    assert len(got) == 2
    for out, rules in zip(got, shipped, strict=True):
        assert out["decision"] == rules.decision
        assert out["effective_from"] == rules.effective_from.isoformat()
        assert [i["id"] for i in out["items"]] == [i.id for i in rules.items]
        assert [i["text"] for i in out["items"]] == [getattr(i.text, lang) for i in rules.items]
        assert [i["outcome"] for i in out["items"]] == [str(i.outcome) for i in rules.items]


def test_rule_sets_need_a_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/rules/screening").status_code == 401


def _check(client: FlaskClient, token: str, lang: str = "en", **body: str) -> dict:
    response = client.post(CHECK, json=body, headers=bearer(token, lang))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def test_a_cccd_that_agrees_with_the_form_is_decoded(client: FlaskClient, token: str) -> None:
    # 079 TP. Hồ Chí Minh, 0 = a man born in the 1900s, 90 = 1990.
    got = _check(client, token, number="079090012345", id_type="CCCD", birth_date="1990-05-01",
                 sex="M")
    assert got == {"valid": True, "card": {"province_code": "79", "sex": "M",
                                           "birth_year": 1990}, "errors": []}


@pytest.mark.parametrize(("lang", "year_text"), [
    ("en", "The CCCD number says born 1990; the form says 1991."),
    ("vi", "Số CCCD ghi năm sinh 1990, biểu mẫu ghi năm 1991."),
])
def test_what_a_cccd_contradicts_comes_back_as_field_errors(
    client: FlaskClient, token: str, lang: str, year_text: str
) -> None:
    got = _check(client, token, lang, number="079090012345", id_type="CCCD",
                 birth_date="1991-05-01", sex="F")
    assert got["valid"] is False
    assert got["card"] == {"province_code": "79", "sex": "M", "birth_year": 1990}
    assert [(e["field"], e["code"]) for e in got["errors"]] == [
        ("birth_date", "cccd.year_mismatch"), ("sex", "cccd.sex_mismatch")]
    assert got["errors"][0]["message"] == year_text


@pytest.mark.parametrize(("number", "id_type", "code"), [
    ("07909001234", "CCCD", "cccd.length"),
    ("07909001234X", "CCCD", "cccd.digits"),
    ("999090012345", "CCCD", "cccd.province"),
    ("12345", "CMND", "cmnd.length"),
    ("C12", "PASSPORT", "passport.shape"),
])
def test_a_malformed_number_is_a_field_error_on_number(
    client: FlaskClient, token: str, number: str, id_type: str, code: str
) -> None:
    got = _check(client, token, number=number, id_type=id_type, birth_date="1990-05-01",
                 sex="M")
    assert got["valid"] is False
    assert got["card"] is None
    assert [(e["field"], e["code"]) for e in got["errors"]] == [("number", code)]
    assert got["errors"][0]["message"] not in ("", code)  # translated, not the bare code


@pytest.mark.parametrize(("number", "id_type"), [("123456789", "CMND"),
                                                 ("C1234567", "PASSPORT")])
def test_other_documents_are_checked_for_shape_only(client: FlaskClient, token: str,
                                                    number: str, id_type: str) -> None:
    got = _check(client, token, number=number, id_type=id_type, birth_date="1990-05-01",
                 sex="M")
    assert got == {"valid": True, "card": None, "errors": []}


def test_a_bad_date_is_a_400_on_its_field(client: FlaskClient, token: str) -> None:
    response = client.post(CHECK, headers=bearer(token), json={
        "number": "079090012345", "id_type": "CCCD", "birth_date": "1990-13-45", "sex": "X"})
    assert response.status_code == 400
    assert sorted((e["field"], e["code"]) for e in response.get_json()["errors"]) == [
        ("birth_date", "invalid"), ("sex", "invalid")]
