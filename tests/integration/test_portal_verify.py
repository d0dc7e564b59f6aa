"""The verifier on /portal/verify: a pasted code checked against the app's own trust list
(valid, expired, invalid with the reason), each check audited; the camera allowed on that
page alone; the QR reader served but not loaded on every page."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from data.certificates.issue import issue_with
from data.certificates.keys import KeyStore
from data.services import Services
from tests.integration.portal_cert_setup import (  # noqa: F401 - app is a fixture
    BORN,
    NAME,
    PERSON_ID,
    app,
    hc1_of,
    lookup_body,
    portal_token,
    post,
    verify_body,
)
from tests.webcalls import decoded


def _status(response: object) -> str:
    page = decoded(response)  # type: ignore[arg-type]
    for status in ("valid", "expired", "invalid"):
        if f'"data-status": "{status}"' in page:
            return status
    raise AssertionError(page[:1500])


def test_a_pasted_certificate_is_valid_and_shows_what_it_says(
    client: FlaskClient, engine: Engine,
) -> None:
    token = portal_token(client)
    hc1 = hc1_of(post(client, token, lookup_body(PERSON_ID, NAME, BORN)))
    answer = post(client, token, verify_body(hc1, "en"))
    assert _status(answer) == "valid"
    page = decoded(answer)
    assert "Valid" in page and "Signed by a key on the trust list" in page
    assert "NGUYEN" in page and "VAN AN" in page  # the transliterated name
    assert "2 of 2" in page and "AstraZeneca" in page
    assert "1 Oct 2021" in page and "URN:UVCI:01:VN:" in page
    assert PERSON_ID not in page
    with engine.connect() as conn:
        checks = conn.execute(text(
            "SELECT username, record_key FROM audit_log WHERE action = 'VERIFY'"
        )).all()
    assert len(checks) == 1 and checks[0][0] == "portal"
    assert checks[0][1].startswith("URN:UVCI:01:VN:")


def test_altered_foreign_and_broken_codes_are_invalid_with_their_reason(
    client: FlaskClient, services: Services,
) -> None:
    token = portal_token(client)
    hc1 = hc1_of(post(client, token, lookup_body(PERSON_ID, NAME, BORN)))
    # One character of the signed bytes changed: decodes, but the signature fails or the
    # code no longer inflates; never valid.
    body = hc1[4:]
    middle = len(body) // 2
    altered = "HC1:" + body[:middle] + ("0" if body[middle] != "0" else "1") + body[middle + 1:]
    assert _status(post(client, token, verify_body(altered))) == "invalid"
    # Not a certificate at all.
    assert _status(post(client, token, verify_body("hello"))) == "invalid"
    assert "HC1:" in decoded(post(client, token, verify_body("hello", "en")))  # the reason
    empty = decoded(post(client, token, verify_body("   ")))
    assert "Hãy quét hoặc dán mã" in empty


def test_a_certificate_signed_by_another_key_is_not_trusted(
    client: FlaskClient, services: Services, tmp_path: object,
) -> None:
    foreign = KeyStore(f"{tmp_path}/foreign")
    foreign.create()
    other = issue_with(services.engine, foreign, PERSON_ID)
    token = portal_token(client)
    answer = post(client, token, verify_body(other.hc1, "en"))
    assert _status(answer) == "invalid"
    page = decoded(answer)
    assert "The signing key is not on the trust list." in page
    assert "NGUYEN" not in page  # an untrusted code's content is not shown


def test_an_expired_certificate_says_so(client: FlaskClient, services: Services) -> None:
    keys = KeyStore(services.settings.certificate_key_dir)
    old = issue_with(services.engine, keys, PERSON_ID,
                     now=dt.datetime.now(dt.UTC) - dt.timedelta(days=400))
    token = portal_token(client)
    answer = post(client, token, verify_body(old.hc1, "en"))
    assert _status(answer) == "expired"
    assert "has expired" in decoded(answer)


def test_the_camera_is_allowed_on_the_verify_page_only(client: FlaskClient) -> None:
    verify = client.get("/portal/verify")
    assert verify.status_code == 200
    assert "camera=(self)" in verify.headers["Permissions-Policy"]
    assert "microphone=()" in verify.headers["Permissions-Policy"]
    for path in ("/portal/", "/portal/certificate", "/portal/verify-x", "/login"):
        policy = client.get(path).headers["Permissions-Policy"]
        assert "camera=()" in policy and "camera=(self)" not in policy, path


def test_the_qr_reader_is_served_on_demand_not_on_every_page(client: FlaskClient) -> None:
    page = client.get("/portal/verify").get_data(as_text=True)
    assert "portal_verify.js" in page
    assert "html5-qrcode" not in page
    reader = client.get("/portal/assets/vendor/html5-qrcode/html5-qrcode.min.js")
    assert reader.status_code == 200
    assert reader.mimetype in ("application/javascript", "text/javascript")
    assert b"Html5Qrcode" in reader.get_data()
    # Its CSP: scripts from this origin only, no eval (the reader needs none).
    policy = reader.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in policy and "script-src 'self'" in policy
