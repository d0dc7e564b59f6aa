"""The citizen's certificate through the health-book API: signed for the token's person only,
verifiable against the public trust list, without the identity number; 404 with nothing to
certify, 503 without a signing key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select

from data.certificates.keys import KeyStore
from data.certificates.trust import parse_trust_list
from data.certificates.verify import verify_hc1
from data.models.auth import AuditLog
from data.settings import Settings
from tests.integration.api_app import bearer
from tests.integration.citizen_api_setup import (
    AN,
    AN_DOSES,
    BINH,
    BINH_DOB,
    BINH_PHONE,
    citizen_app,
    citizen_token,
)

URL = "/api/v1/citizen/me/certificate"


@pytest.fixture
def keyed(settings: Settings, tmp_path: Path) -> Settings:
    keys = dataclasses.replace(settings, certificate_key_dir=str(tmp_path / "keys"))
    KeyStore(keys.certificate_key_dir).create()
    return keys


@pytest.fixture
def app(keyed: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from citizen_app(keyed, engine, tmp_path)


def test_the_certificate_verifies_against_the_trust_list_and_carries_no_id_number(
        client: FlaskClient, engine: Engine) -> None:
    answer = client.get(URL, headers=bearer(citizen_token(client)))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["hc1"].startswith("HC1:")
    assert body["uvci"].startswith("URN:UVCI:01:VN:")
    assert AN not in answer.get_data(as_text=True)
    trust = parse_trust_list(client.get("/api/v1/trust-list").get_json())
    checked = verify_hc1(body["hc1"], trust)
    assert checked.valid, checked.reason
    assert checked.hcert == body["hcert"]
    (dose,) = body["hcert"]["v"]
    # An's latest dose: AZ (EU/1/21/1529), dose 2 of 2, on 5 September 2021 (Vietnam time).
    assert (dose["mp"], dose["dn"], dose["sd"], dose["dt"]) == (
        "EU/1/21/1529", 2, 2, AN_DOSES[-1][4][:10])
    assert body["hcert"]["nam"]["fnt"] == "NGUYEN"
    issued = dt.datetime.fromisoformat(body["issued_at"])
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert 365 <= (expires - issued).days <= 366  # 12 months (5772/QĐ-BYT)
    with engine.connect() as conn:
        audited = conn.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.table_name == "certificate_issue")).scalar_one()
    assert audited >= 1


def test_nothing_to_certify_is_404_and_no_token_is_401(client: FlaskClient) -> None:
    binh = citizen_token(client, BINH, BINH_DOB, BINH_PHONE)  # registered, no dose
    answer = client.get(URL, headers=bearer(binh))
    assert answer.status_code == 404
    assert answer.get_json()["errors"][0]["code"] == "no_certificate"
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=bearer("not-a-token")).status_code == 401


def test_without_a_signing_key_the_answer_is_503_not_500(
        client: FlaskClient, keyed: Settings) -> None:
    token = citizen_token(client)
    for path in Path(keyed.certificate_key_dir).rglob("*"):
        if path.is_file():
            path.unlink()
    answer = client.get(URL, headers={**bearer(token), "Accept-Language": "en"})
    assert answer.status_code == 503
    error = answer.get_json()["errors"][0]
    assert error["code"] == "certificates_unavailable"
    assert "right now" in error["message"]
