"""Citizen sign-in on each backend: a one-time code (same answer whether or not the person is
on record), stored hashed, valid 5 minutes and for 5 tries, exchanged once for a short-lived
citizen token stored hashed; rate limits per address and per identity; citizen and staff
tokens open only their own routes."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update

from data import audit
from data.citizen.otp_sender import LoggingSender, RecordingSender, load_sender
from data.models.citizen_auth import CitizenCode, CitizenToken
from data.settings import Settings
from tests.integration.api_app import bearer, token_for
from tests.integration.citizen_api_setup import (
    AN,
    AN_DOB,
    AN_PHONE,
    BINH,
    BINH_DOB,
    BINH_PHONE,
    CODE_URL,
    TOKEN_URL,
    ask_code,
    aware,
    citizen_app,
    citizen_token,
)

CODES = CitizenCode.__table__
TOKENS = CitizenToken.__table__


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    yield from citizen_app(settings, engine, tmp_path)


def _exchange(client: FlaskClient, code: str, person: str = AN, dob: str = AN_DOB,
              lang: str = "en") -> tuple[int, dict]:
    response = client.post(TOKEN_URL, json={"identity_number": person, "date_of_birth": dob,
                                            "code": code}, headers={"Accept-Language": lang})
    return response.status_code, response.get_json()


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_code_answer_is_the_same_for_unknown_people_and_only_they_get_no_code(
    client: FlaskClient, engine: Engine
) -> None:
    known = client.post(CODE_URL, json={"identity_number": AN, "date_of_birth": AN_DOB})
    wrong_dob = client.post(CODE_URL, json={"identity_number": AN,
                                            "date_of_birth": "1990-01-03"})
    unknown = client.post(CODE_URL, json={"identity_number": "001090099999",
                                          "date_of_birth": AN_DOB})
    assert known.status_code == wrong_dob.status_code == unknown.status_code == 202
    assert known.get_json() == wrong_dob.get_json() == unknown.get_json()
    assert known.get_json()["expires_in"] == 300
    assert [s.to for s in RecordingSender.sent] == [AN_PHONE]
    code = RecordingSender.sent[0].code
    assert len(code) == 6 and code.isdigit()
    assert RecordingSender.sent[0].lang == "vi"
    with engine.connect() as conn:
        row = conn.execute(select(CODES)).mappings().one()
    assert row["person_id"] == AN and row["attempts"] == 0
    assert code not in str(dict(row))  # stored as a salted hash
    assert row["code_hash"] == hashlib.sha256(
        f"{row['salt']}:{AN}:{code}".encode()).hexdigest()
    assert aware(row["expires_at"]) - aware(row["created_at"]) == dt.timedelta(minutes=5)


def test_the_right_code_gives_a_short_lived_token_stored_hashed_and_audited(
    client: FlaskClient, engine: Engine
) -> None:
    code = ask_code(client, " 001.090.012345 ", AN_DOB, AN_PHONE)  # typed with separators
    status, body = _exchange(client, code)
    assert status == 200
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer" and body["expires_in"] == 20 * 60
    token = body["access_token"]
    with engine.connect() as conn:
        row = conn.execute(select(TOKENS)).mappings().one()
        entries = audit.search(conn, table="citizen_token")
        sent = audit.search(conn, table="citizen_code")
    assert row["person_id"] == AN
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert aware(row["expires_at"]) - aware(row["created_at"]) == dt.timedelta(minutes=20)
    assert list(entries["action"]) == ["SIGN_IN"] and list(sent["action"]) == ["CODE_SEND"]
    person = "p:" + hashlib.sha256(AN.encode()).hexdigest()[:16]
    assert entries.iloc[0]["detail"] == {"person": person}
    assert AN not in entries.to_json(date_format="iso") + sent.to_json(date_format="iso")
    # The code is spent: the same code again is refused.
    assert _exchange(client, code)[0] == 401
    assert client.get("/api/v1/citizen/me", headers=bearer(token)).status_code == 200


def test_a_wrong_code_is_refused_in_the_callers_language_and_counted(
    client: FlaskClient, engine: Engine
) -> None:
    code = ask_code(client, AN, AN_DOB, AN_PHONE)
    status, body = _exchange(client, _wrong(code))
    assert status == 401
    assert body["error"] == "invalid_grant"
    assert body["errors"] == [{"field": "code", "code": "invalid_grant", "message":
                               "The code is wrong or has expired. Ask for a new one."}]
    status, body = _exchange(client, _wrong(code), lang="vi")
    assert body["errors"][0]["message"].startswith("Mã xác thực không đúng")
    # The right code with the wrong birth date is refused too, and counted.
    assert _exchange(client, code, dob="1990-01-03")[0] == 401
    with engine.connect() as conn:
        assert conn.execute(select(CODES.c.attempts)).scalar_one() == 3
    assert _exchange(client, code)[0] == 200


def test_a_code_dies_after_five_wrong_tries(client: FlaskClient) -> None:
    code = ask_code(client, AN, AN_DOB, AN_PHONE)
    for _ in range(5):
        assert _exchange(client, _wrong(code))[0] == 401
    assert _exchange(client, code)[0] == 401


def test_a_code_dies_when_it_expires_or_a_newer_one_is_sent(
    client: FlaskClient, engine: Engine
) -> None:
    code = ask_code(client, AN, AN_DOB, AN_PHONE)
    with engine.begin() as conn:
        conn.execute(update(CODES).values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert _exchange(client, code)[0] == 401
    first = ask_code(client, AN, AN_DOB, AN_PHONE)
    second = ask_code(client, AN, AN_DOB, AN_PHONE)
    if first != second:  # one chance in a million that the two codes are the same
        assert _exchange(client, first)[0] == 401
    assert _exchange(client, second)[0] == 200


def test_an_unknown_person_gets_no_token_for_any_code(client: FlaskClient) -> None:
    client.post(CODE_URL, json={"identity_number": "001090099999", "date_of_birth": AN_DOB})
    assert _exchange(client, "000000", person="001090099999")[0] == 401


def test_citizen_and_staff_tokens_open_only_their_own_routes(
    client: FlaskClient, engine: Engine
) -> None:
    citizen = citizen_token(client)
    staff = token_for(client, "coso.760")
    assert client.get("/api/v1/citizen/me", headers=bearer(citizen)).status_code == 200
    for path in ("/api/v1/me", "/api/v1/rules/screening", "/api/v1/admin/tokens"):
        refused = client.get(path, headers=bearer(citizen))
        assert refused.status_code == 401, path
        assert refused.get_json()["errors"][0]["code"] == "invalid_token"
    for path in ("/api/v1/citizen/me", "/api/v1/citizen/me/doses",
                 "/api/v1/citizen/me/registrations", "/api/v1/citizen/me/immunizations"):
        refused = client.get(path, headers=bearer(staff))
        assert refused.status_code == 401, path
        assert refused.get_json()["errors"][0]["code"] == "invalid_token"
        assert client.get(path).status_code == 401
    # An expired citizen token opens nothing.
    with engine.begin() as conn:
        conn.execute(update(TOKENS).values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert client.get("/api/v1/citizen/me", headers=bearer(citizen)).status_code == 401


def test_sign_in_is_rate_limited_per_identity(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    for application in citizen_app(settings, engine, tmp_path,
                                   citizen_identity_limit="3 per minute",
                                   citizen_address_limit="100 per minute"):
        client = application.server.test_client()
        body = {"identity_number": AN, "date_of_birth": AN_DOB}
        assert [client.post(CODE_URL, json=body).status_code for _ in range(4)] == [
            202, 202, 202, 429]
        # The same number typed otherwise is the same identity.
        spaced = {"identity_number": "001 090 012 345", "date_of_birth": AN_DOB}
        limited = client.post(CODE_URL, json=spaced, headers={"Accept-Language": "en"})
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "60"
        assert limited.get_json()["errors"][0]["code"] == "rate_limited"
        assert len(RecordingSender.sent) == 3
        # Another person is not held back by An's limit.
        assert client.post(CODE_URL, json={"identity_number": BINH,
                                           "date_of_birth": BINH_DOB}).status_code == 202
        assert RecordingSender.last_to(BINH_PHONE) is not None
        # The token route counts its own tries per identity.
        tries = [_exchange(client, "000000")[0] for _ in range(4)]
        assert tries[:3] == [401, 401, 401] and tries[3] == 429


def test_sign_in_is_rate_limited_per_address(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    for application in citizen_app(settings, engine, tmp_path,
                                   citizen_address_limit="3 per minute",
                                   citizen_identity_limit="100 per minute"):
        client = application.server.test_client()
        statuses = [client.post(CODE_URL, json={
            "identity_number": f"00109001234{n}", "date_of_birth": AN_DOB}).status_code
            for n in range(4)]
        assert statuses == [202, 202, 202, 429]
        other = application.server.test_client()
        assert other.post(CODE_URL, json={"identity_number": BINH, "date_of_birth": BINH_DOB},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 202


def test_the_sender_is_chosen_by_dotted_path() -> None:
    assert isinstance(load_sender("data.citizen.otp_sender.LoggingSender"), LoggingSender)
    with pytest.raises(ValueError):
        load_sender("LoggingSender")
    with pytest.raises(TypeError):
        load_sender("data.citizen.otp_sender.SentCode")  # no send()
