"""The certificate look-up on /portal/certificate, as any anonymous client calls it: the one
"not found" whatever factor is wrong, the rate limit per address, the doses and a signed QR
that verifies and carries no identity number, and the PDF on A4 and A6."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import Engine, event, text

from app import create_app
from data.certificates.hc1 import decode_to_cose
from data.certificates.keys import KeyStore
from data.certificates.verify import verify_hc1
from data.services import Services
from data.settings import Settings
from tests.conftest import redis_url
from tests.integration.portal_cert_setup import (  # noqa: F401 - app is a fixture
    BORN,
    NAME,
    PERSON_ID,
    app,
    hc1_of,
    load_person,
    lookup_body,
    pdf_body,
    pdf_of,
    portal_token,
    post,
)
from tests.webcalls import decoded


def _statements(engine: Engine, run: object) -> int:
    count = 0

    def _count(*_args: object) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", _count)
    try:
        run()  # type: ignore[operator]
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return count


def test_a_wrong_name_a_wrong_birth_date_and_an_unknown_number_answer_alike(
    client: FlaskClient, services: Services,
) -> None:
    token = portal_token(client)
    tries = {
        "wrong name": (PERSON_ID, "Nguyễn Văn Anh", BORN),
        "name without diacritics": (PERSON_ID, "Nguyen Van An", BORN),
        "wrong birth date": (PERSON_ID, NAME, "03/01/1990"),
        "unknown number": ("001090054321", NAME, BORN),
        "another person's number": ("001090099999", "Trần Thị Bích", BORN),
    }
    bodies, work = {}, {}
    for what, (pid, name, born) in tries.items():
        def call(pid: str = pid, name: str = name, born: str = born, what: str = what) -> None:
            response = post(client, token, lookup_body(pid, name, born))
            assert response.status_code == 200, what
            bodies[what] = response.get_data()
        work[what] = _statements(services.engine, call)
    first = bodies["wrong name"]
    assert all(body == first for body in bodies.values()), bodies
    assert "Không tìm thấy hồ sơ tiêm chủng" in json.dumps(json.loads(first), ensure_ascii=False)
    # The same reads whether the number is on record or not (no early exit, no extra query).
    assert len(set(work.values())) == 1, work
    # Nothing typed comes back.
    assert PERSON_ID.encode() not in first and b"Anh" not in first


def test_the_right_three_factors_show_the_doses_and_a_qr_that_verifies(
    client: FlaskClient, services: Services, engine: Engine,
) -> None:
    token = portal_token(client)
    # Case, spaces and a decomposed keyboard do not change the name.
    response = post(client, token, lookup_body(" 001 090 012 345", "  nguyễn   VĂN an ",
                                               "2/1/1990", "en"))
    assert response.status_code == 200
    page = decoded(response)
    assert "Dose 1 · 1 Aug 2021" in page and "Dose 2 · 1 Oct 2021" in page
    assert "Trạm Y tế Phường Phúc Xá" in page
    assert "•••••••••345" in page and PERSON_ID not in page
    hc1 = hc1_of(response)
    # The QR the page draws is of the signed text (tests/e2e/test_portal_certificate.py
    # reads the drawn symbol); the server sends the text, not an image.
    answer = json.dumps(response.get_json())
    assert f'"data-hc1": "{hc1}"' in answer and "data:image" not in answer
    result = verify_hc1(hc1, KeyStore(services.settings.certificate_key_dir).trust_list())
    assert result.valid and result.reason == "ok"
    assert result.hcert is not None
    assert result.hcert["v"][0]["dn"] == 2 and result.hcert["v"][0]["dt"] == "2021-10-01"
    assert result.hcert["nam"]["fnt"] == "NGUYEN"
    # No identity number anywhere in the signed content.
    assert PERSON_ID not in json.dumps(result.hcert) and PERSON_ID.encode() not in \
        decode_to_cose(hc1)
    with engine.connect() as conn:
        issues = conn.execute(text(
            "SELECT action, username, source FROM audit_log "
            "WHERE table_name = 'certificate_issue'")).all()
    assert [(a, u) for a, u, _s in issues] == [("ISSUE", "portal")]
    assert issues[0][2] == "127.0.0.1"


def test_the_look_up_is_rate_limited_per_client_address(client: FlaskClient) -> None:
    client.application.config["VX_CERT_LOOKUP_RATE_LIMIT"] = "3 per minute"
    token = portal_token(client)
    answers = [decoded(post(client, token, lookup_body(PERSON_ID, "Sai Tên", BORN)))
               for _ in range(4)]
    assert all("Không tìm thấy" in a for a in answers[:3])
    assert "quá nhiều lần" in answers[3] and "Không tìm thấy" not in answers[3]
    # Even the right factors wait: the limit counts attempts, not failures.
    assert "quá nhiều lần" in decoded(post(client, token, lookup_body(PERSON_ID, NAME, BORN)))
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    other_token = portal_token(other)
    assert "Mũi 2" in decoded(post(other, other_token, lookup_body(PERSON_ID, NAME, BORN)))


def _page_size(pdf: bytes) -> tuple[int, int]:
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf))
    assert len(boxes) == 1, boxes
    (w, h), = boxes
    return round(float(w)), round(float(h))


def test_the_pdf_prints_on_a4_and_a6_only_after_the_same_look_up(
    client: FlaskClient,
) -> None:
    token = portal_token(client)
    a4 = pdf_of(post(client, token, pdf_body("A4", PERSON_ID, NAME, BORN)))
    a6 = pdf_of(post(client, token, pdf_body("A6", PERSON_ID, NAME, BORN, "en")))
    for pdf in (a4, a6):
        assert pdf.startswith(b"%PDF-")
        assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + \
            pdf.count(b"/Type /Page ") >= 1
        assert b"/FontFile2" in pdf  # the TrueType font is embedded (Vietnamese letters)
        assert b"/Subtype /Image" in pdf  # the QR
        assert PERSON_ID.encode() not in pdf
    assert _page_size(a4) == (595, 842)
    assert _page_size(a6) == (298, 420)
    refused = post(client, token, pdf_body("A4", PERSON_ID, "Nguyễn Văn Anh", BORN))
    assert refused.status_code == 200
    body = refused.get_json()["response"]
    assert "portal-cert-download" not in body  # no file
    assert "Không tìm thấy" in json.dumps(body, ensure_ascii=False)


def test_hostile_values_never_fail_the_look_up(client: FlaskClient) -> None:
    token = portal_token(client)
    for values in ((None, None, None), (["x"], {"a": 1}, 5), ("1" * 40, "x" * 1999, "9" * 40),
                   ("' OR 1=1 --", "Robert'); DROP TABLE injection;--", "31/02/1990")):
        response = post(client, token, lookup_body(*values))
        assert response.status_code in (200, 400), values
        if response.status_code == 200:
            assert "HC1:" not in response.get_data(as_text=True)


def test_the_limit_follows_the_forwarded_client_across_workers(
    settings: Settings, engine: Engine, tmp_path: Path,
) -> None:
    # Behind one trusted proxy (proxy_hops=1) the client is X-Forwarded-For's; two workers
    # of one deployment (one SECRET_KEY) count together in Redis when it is configured.
    shared = settings.with_(redis_url=redis_url(), proxy_hops=1,
                            secret_key="portal-cert-" + uuid.uuid4().hex,
                            certificate_key_dir=str(tmp_path / "keys"))
    KeyStore(shared.certificate_key_dir).create()
    load_person(shared, engine, tmp_path)
    workers = [create_app(shared) for _ in range(2 if redis_url() else 1)]
    try:
        clients = []
        for worker in workers:
            worker.server.config["VX_CERT_LOOKUP_RATE_LIMIT"] = "2 per minute"
            c = worker.server.test_client()
            clients.append((c, portal_token(c)))

        def ask(i: int, address: str) -> str:
            c, token = clients[i % len(clients)]
            return decoded(c.post("/portal/_dash-update-component",
                                  json=lookup_body(PERSON_ID, NAME, BORN),
                                  headers={"X-CSRFToken": token, "X-Forwarded-For": address}))

        assert "Mũi 2" in ask(0, "198.51.100.7") and "Mũi 2" in ask(1, "198.51.100.7")
        assert "quá nhiều lần" in ask(2, "198.51.100.7")
        assert "quá nhiều lần" in ask(3, "198.51.100.7")
        assert "Mũi 2" in ask(0, "198.51.100.8")  # another client behind the same proxy
    finally:
        for worker in workers:
            worker.server.extensions["vx_services"].engine.dispose()
