"""The citizen API's world: An (CCCD, a man born 1990-01-02) given two AZ doses at F00101
(Ba Đình) from lots whose expiry the stock ledger knows, with no registration; Bình (CCCD, a
woman born 1985-03-04) registered in Quận 1, with no dose; staff accounts of api_app. Codes
go to the in-memory RecordingSender."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dash
from flask.testing import FlaskClient
from sqlalchemy import Engine

from data.citizen.otp_sender import RecordingSender
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, movement, warehouse, write_csv
from tests.integration.api_app import api_app

AN, AN_DOB, AN_PHONE = "001090012345", "1990-01-02", "0912345678"
BINH, BINH_DOB, BINH_PHONE = "079185012345", "1985-03-04", "0987654321"
CODE_URL = "/api/v1/citizen/auth/code"
TOKEN_URL = "/api/v1/citizen/auth/token"
SENDER = "data.citizen.otp_sender.RecordingSender"
UNLIMITED = "10000 per minute"
# An's doses: (record_id, lot, lot expiry, dose number, given at)
AN_DOSES = [("R-AN-1", "AZ2108A", "2022-06-30", 1, "2021-08-01T08:30:00+07:00"),
            ("R-AN-2", "AZ2110B", "2022-01-31", 2, "2021-09-05T14:15:00+07:00")]


def citizen_settings(settings: Settings, **changes: object) -> Settings:
    """The test settings with the recording sender (and `changes`)."""
    return settings.with_(otp_sender=SENDER, **changes)


def seed_people(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """F00101 with its warehouse and lots, An's doses, Bình's registration."""
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f1.csv", [FACILITY])).loaded == 1
    assert load_file(settings, engine, "warehouses", write_csv(tmp_path / "w.csv", [
        warehouse("WF101", level="FACILITY", district_code="001", facility_code="F00101",
                  name="Kho F00101")])).loaded == 1
    moves = [movement(f"M{n}", warehouse_code="WF101", lot_number=lot, expiry_date=exp,
                      occurred_at="2021-07-01T08:00:00+07:00")
             for n, (_r, lot, exp, _d, _a) in enumerate(AN_DOSES)]
    assert load_file(settings, engine, "stock_movements",
                     write_csv(tmp_path / "m.csv", moves)).loaded == 2
    doses = [injection(rid, person_id=AN, lot_number=lot, dose_number=n, administered_at=at)
             for rid, lot, _e, n, at in AN_DOSES]
    assert load_file(settings, engine, "injections",
                     write_csv(tmp_path / "i.csv", doses)).loaded == 2
    binh = {"registration_id": "REG-BINH", "person_id": BINH, "id_type": "CCCD",
            "full_name": "Trần Thị Bình", "birth_date": BINH_DOB, "sex": "F",
            "phone": BINH_PHONE, "priority_group": "3", "province_code": "79",
            "district_code": "760", "ward_code": "", "address": "", "organisation": "",
            "registered_at": "2021-07-20T10:00:00+07:00"}
    assert load_file(settings, engine, "registrations",
                     write_csv(tmp_path / "r.csv", [binh])).loaded == 1


def citizen_app(settings: Settings, engine: Engine, tmp_path: Path,
                **changes: object) -> Iterator[dash.Dash]:
    """api_app over the people above, codes recorded in memory; the sign-in rate limits
    out of the way unless `changes` sets them (their own tests do)."""
    RecordingSender.sent.clear()
    s = citizen_settings(settings, **({"citizen_address_limit": UNLIMITED,
                                       "citizen_identity_limit": UNLIMITED} | changes))
    seed_people(s, engine, tmp_path)
    yield from api_app(s, engine, tmp_path)


def ask_code(client: FlaskClient, person: str, dob: str, to: str) -> str:
    """Ask for a code (202) and read it from the recording sender."""
    response = client.post(CODE_URL, json={"identity_number": person, "date_of_birth": dob})
    assert response.status_code == 202, response.get_data(as_text=True)
    code = RecordingSender.last_to(to)
    assert code is not None
    return code


def citizen_token(client: FlaskClient, person: str = AN, dob: str = AN_DOB,
                  to: str = AN_PHONE) -> str:
    """A citizen token, signed in by code."""
    code = ask_code(client, person, dob, to)
    response = client.post(TOKEN_URL, json={"identity_number": person, "date_of_birth": dob,
                                            "code": code})
    assert response.status_code == 200, response.get_data(as_text=True)
    return str(response.get_json()["access_token"])


def aware(value: dt.datetime) -> dt.datetime:
    """A stored datetime as UTC-aware (SQLite gives naive ones)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
