"""A vaccinated person, a signing key and the callback bodies of the certificate pages, shared
by the look-up and verifier tests."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine
from werkzeug.test import TestResponse

from app import create_app
from callbacks.shared import ids
from callbacks.shared.ids_portal import (
    CERT_BIRTH,
    CERT_DOWNLOAD,
    CERT_NAME,
    CERT_PDF_A4,
    CERT_PDF_A6,
    CERT_PDF_NOTE,
    CERT_PERSON_ID,
    CERT_RESULT,
    CERT_SUBMIT,
    VERIFY_INPUT,
    VERIFY_RESULT,
    VERIFY_SUBMIT,
)
from data.certificates.keys import KeyStore
from data.db import make_engine
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, write_csv
from tests.webcalls import payload

PORTAL_CALLBACKS = "/portal/_dash-update-component"
PERSON_ID = "001090012345"
NAME = "Nguyễn Văn An"
BORN = "02/01/1990"


def load_person(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """Two AstraZeneca doses of Nguyễn Văn An at the Phúc Xá health station, and one dose of
    somebody else with the same name and birth date (another identity number)."""
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", [FACILITY])).loaded == 1
    rows = [injection("R1"),
            injection("R2", dose_number=2, lot_number="AZ2110B",
                      administered_at="2021-10-01T09:00:00+07:00"),
            injection("R3", person_id="001090099999", phone="0912000000")]
    assert load_file(settings, engine, "injections",
                     write_csv(tmp_path / "i.csv", rows)).loaded == 3


def keyed(settings: Settings, tmp_path: Path) -> Settings:
    """The settings with a new document-signing key under tmp_path/keys."""
    out = dataclasses.replace(settings, certificate_key_dir=str(tmp_path / "keys"))
    KeyStore(out.certificate_key_dir).create()
    return out


def keyed_with_person(settings: Settings, tmp_path: Path) -> Settings:
    """keyed() settings whose database holds load_person's doses."""
    out = keyed(settings, tmp_path)
    engine = make_engine(out)
    try:
        load_person(out, engine, tmp_path)
    finally:
        engine.dispose()
    return out


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    """The app with a signing key in its key folder and the vaccinated person loaded."""
    signing = keyed(settings, tmp_path)
    load_person(signing, engine, tmp_path)
    application = create_app(signing)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def portal_token(client: FlaskClient) -> str:
    """Open the portal anonymously; the CSRF token its callbacks carry."""
    assert client.get("/portal/certificate").status_code == 200
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None
    return cookie.value


def lookup_body(person_id: Any, name: Any, born: Any, lang: str = "vi") -> dict[str, Any]:
    """The look-up button's callback as dash-renderer posts it."""
    return payload(
        [(CERT_RESULT, "children")],
        [(CERT_SUBMIT, "n_clicks", 1), (CERT_PERSON_ID, "n_submit", None),
         (CERT_NAME, "n_submit", None), (CERT_BIRTH, "n_submit", None)],
        [(CERT_PERSON_ID, "value", person_id), (CERT_NAME, "value", name),
         (CERT_BIRTH, "value", born), (ids.SHELL_LANG, "data", lang)],
        [f"{CERT_SUBMIT}.n_clicks"])


def pdf_body(size: str, person_id: Any, name: Any, born: Any,
             lang: str = "vi") -> dict[str, Any]:
    """A PDF button's callback (A4 or A6)."""
    clicked = CERT_PDF_A4 if size == "A4" else CERT_PDF_A6
    return payload(
        [(CERT_DOWNLOAD, "data"), (CERT_PDF_NOTE, "children")],
        [(CERT_PDF_A4, "n_clicks", 1 if size == "A4" else 0),
         (CERT_PDF_A6, "n_clicks", 1 if size == "A6" else 0)],
        [(CERT_PERSON_ID, "value", person_id), (CERT_NAME, "value", name),
         (CERT_BIRTH, "value", born), (ids.SHELL_LANG, "data", lang)],
        [f"{clicked}.n_clicks"])


def verify_body(code: Any, lang: str = "vi") -> dict[str, Any]:
    """The verifier's button."""
    return payload([(VERIFY_RESULT, "children")],
                   [(VERIFY_SUBMIT, "n_clicks", 1), (VERIFY_INPUT, "n_submit", None)],
                   [(VERIFY_INPUT, "value", code), (ids.SHELL_LANG, "data", lang)],
                   [f"{VERIFY_SUBMIT}.n_clicks"])


def post(client: FlaskClient, token: str, body: dict[str, Any]) -> TestResponse:
    """One portal callback, anonymous, with the CSRF token."""
    return client.post(PORTAL_CALLBACKS, json=body, headers={"X-CSRFToken": token})


def hc1_of(response: TestResponse) -> str:
    """The certificate's text shown in the page's "show code" block."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.startswith("HC1:"):
            found.append(node)

    walk(response.get_json())
    # The card carries it twice: the text to copy, and the QR image's data-hc1.
    assert len(set(found)) == 1, response.get_data(as_text=True)[:2000]
    return found[0]


def pdf_of(response: TestResponse) -> bytes:
    """The PDF the download callback sends."""
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()["response"][CERT_DOWNLOAD]["data"]
    assert data["base64"] is True
    return base64.b64decode(data["content"])
