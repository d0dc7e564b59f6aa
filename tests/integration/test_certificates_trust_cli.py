"""The published trust list (GET /api/v1/trust-list, no token) and the verifier command line
(`python -m etl verify-certificates`), on each backend: what the platform issues verifies
with what it publishes, through a real process reading stdin, in order, garbage included."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import dash
import pytest
from cryptography import x509
from flask.testing import FlaskClient
from sqlalchemy import Engine

from data.certificates.dcc import Dose, vaccination_dcc
from data.certificates.hc1 import sign_hc1
from data.certificates.issue import issue_for_person
from data.certificates.keys import KeyStore
from data.certificates.trust import kid_of
from data.services import Services
from data.settings import Settings
from etl.__main__ import main
from tests.integration.certificates_setup import PERSON, seed_doses

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "fixtures" / "dcc" / "common-vectors"
NOW = dt.datetime(2022, 2, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.with_(certificate_key_dir=str(tmp_path / "keys"))


def _cli(args: list[str], stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "etl", *args], input=stdin, text=True,
                          capture_output=True, cwd=tmp_path, env=env, timeout=120, check=False)


def test_trust_list_is_public_and_lists_every_signer(app: dash.Dash, client: FlaskClient,
                                                     services: Services) -> None:
    empty = client.get("/api/v1/trust-list")
    assert (empty.status_code, empty.get_json()) == (200, {"certificates": []})
    keys = KeyStore(services.settings.certificate_key_dir)
    first, second = keys.create(NOW), keys.create(NOW + dt.timedelta(days=1))
    response = client.get("/api/v1/trust-list")  # no Authorization header
    assert response.status_code == 200
    body = response.get_json()
    assert [c["kid"] for c in body["certificates"]] == [
        base64.b64encode(s.kid).decode() for s in (first, second)]
    for entry, signer in zip(body["certificates"], (first, second), strict=True):
        cert = x509.load_der_x509_certificate(base64.b64decode(entry["rawData"]))
        assert cert == signer.certificate and entry["country"] == "VN"
        assert kid_of(cert) == signer.kid
    assert "PRIVATE" not in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    doc = client.get("/api/v1/openapi.json").get_json()
    route = doc["paths"]["/api/v1/trust-list"]["get"]
    assert route["security"] == [] and "200" in route["responses"]
    assert client.post("/api/v1/trust-list").status_code == 405


def test_cli_verifies_issued_certificates_in_order(services: Services, engine: Engine,
                                                   tmp_path: Path,
                                                   client: FlaskClient) -> None:
    seed_doses(engine)
    keys = KeyStore(services.settings.certificate_key_dir)
    keys.create(NOW - dt.timedelta(days=1))
    old = issue_for_person(services, PERSON, NOW)
    keys.create(NOW)  # rotated: the first certificate must still verify
    new = issue_for_person(services, "079200000001", NOW)
    trust = tmp_path / "trust.json"
    trust.write_text(client.get("/api/v1/trust-list").get_data(as_text=True), encoding="utf-8")
    tampered = new.hc1[:-6] + ("AAAAAA" if not new.hc1.endswith("AAAAAA") else "BBBBBB")
    lines = [old.hc1, "garbage", "", "HC1:::::", new.hc1, "HC1:" + "0" * 30, tampered,
             "HC1:" + "é" * 5, old.hc1 + "   "]
    run = _cli(["verify-certificates", "--trust", str(trust), "--at", "2022-06-01T00:00:00Z"],
               "\n".join(lines) + "\n", tmp_path)
    assert run.returncode == 0, run.stderr
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [(o["verified"], o["reason"]) for o in out] == [
        (True, "ok"), (False, "bad prefix"), (False, "bad prefix"), (False, "bad base45"),
        (True, "ok"), (False, "bad zlib"), (False, out[6]["reason"]), (False, "bad base45"),
        (True, "ok")]
    assert out[6]["reason"] in ("bad base45", "bad zlib", "bad cbor", "bad signature",
                                "bad cose structure")
    assert out[0]["kid"] == old.kid and out[4]["kid"] == new.kid and old.kid != new.kid
    assert out[0]["hcert"] == old.payload and out[4]["hcert"] == new.payload
    assert out[0]["expired"] is False and out[1]["expired"] is None
    assert PERSON not in run.stdout
    # A year and more later both have expired (12 months), still verified as genuine.
    late = _cli(["verify-certificates", "--trust", str(trust), "--at", "2023-03-01"],
                old.hc1 + "\n", tmp_path)
    assert json.loads(late.stdout) | {"hcert": None} == {
        "verified": True, "expired": True, "reason": "expired", "kid": old.kid, "hcert": None}


def test_cli_runs_the_eu_vectors(tmp_path: Path) -> None:
    # All 38 through one process: every vector's signer in one trust list (a code without a
    # kid is tried against each), at the clock most of them share.
    vectors = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(VECTORS.glob("*.json"))]
    trust = {"certificates": [{"rawData": v["TESTCTX"]["CERTIFICATE"], "country": "XX"}
                              for v in vectors]}
    (tmp_path / "t.json").write_text(json.dumps(trust), encoding="utf-8")
    run = _cli(["verify-certificates", "--trust", str(tmp_path / "t.json"), "--at",
                "2021-05-03T18:00:00Z"], "".join(v["PREFIX"] + "\n" for v in vectors), tmp_path)
    assert run.returncode == 0, run.stderr
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(out) == 38
    for v, o in zip(vectors, out, strict=True):
        expected = v["EXPECTEDRESULTS"]
        if "EXPECTEDVERIFY" in expected:
            assert o["verified"] is expected["EXPECTEDVERIFY"], v["TESTCTX"]["DESCRIPTION"]
        if expected.get("EXPECTEDDECODE") and v.get("JSON"):
            assert o["hcert"] == v["JSON"]
        if expected.get("EXPECTEDKEYUSAGE") is False:
            assert not o["verified"]


def test_cli_refuses_an_unreadable_trust_list_or_clock(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    run = _cli(["verify-certificates", "--trust", str(tmp_path / "bad.json")], "x\n", tmp_path)
    assert run.returncode == 2 and "--trust" in run.stderr and run.stdout == ""
    (tmp_path / "t.json").write_text('{"certificates": []}', encoding="utf-8")
    run = _cli(["verify-certificates", "--trust", str(tmp_path / "t.json"), "--at", "soon"],
               "x\n", tmp_path)
    assert run.returncode == 2 and "--at" in run.stderr
    run = _cli(["verify-certificates", "--trust", str(tmp_path / "missing.json")], "", tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_cli_key_commands(tmp_path: Path) -> None:
    folder = tmp_path / "k"
    made = _cli(["certificate-keys", "create", "--dir", str(folder)], "", tmp_path)
    assert made.returncode == 0, made.stderr
    rotated = _cli(["certificate-keys", "rotate", "--dir", str(folder)], "", tmp_path)
    assert rotated.returncode == 0 and "(was " in rotated.stdout
    listed = _cli(["certificate-keys", "list", "--dir", str(folder)], "", tmp_path)
    assert [line[0] for line in listed.stdout.splitlines()] == [" ", "*"]
    published = json.loads(_cli(["certificate-keys", "trust-list", "--dir", str(folder)], "",
                                tmp_path).stdout)
    assert len(published["certificates"]) == 2
    assert KeyStore(folder).active_kid() == base64.b64decode(
        published["certificates"][1]["kid"])
    env_dir = tmp_path / "from-env"
    run = subprocess.run([sys.executable, "-m", "etl", "certificate-keys", "create"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
                         env={**os.environ, "PYTHONPATH": str(ROOT),
                              "VX_CERT_KEY_DIR": str(env_dir)})
    assert run.returncode == 0, run.stderr
    assert len(KeyStore(env_dir).certificates()) == 1


def test_cli_main_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    # Through etl.__main__.main as the tests of the other commands call it; a byte that is
    # not UTF-8 in the input is a bad line, not a crash.
    keys = KeyStore(tmp_path / "k")
    signer = keys.create(NOW)
    (tmp_path / "t.json").write_text(json.dumps(keys.trust_list().to_json()), encoding="utf-8")
    dcc = vaccination_dcc("Phạm Minh Chính", dt.date(1958, 12, 10),
                          Dose("VRC", 2, 2, dt.date(2021, 8, 1)), "URN:UVCI:01:VN:TEST")
    code = sign_hc1(dcc, signer.private_key, signer.kid, "VN", NOW,
                    NOW + dt.timedelta(days=365))
    monkeypatch.setattr("sys.stdin", io.StringIO(f"HC1:\ufffd\n{code}\r\nHC1:\n"))
    assert main(["verify-certificates", "--trust", str(tmp_path / "t.json"),
                 "--at", "2022-06-01"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["verified"], o["reason"]) for o in out] == [
        (False, "bad base45"), (True, "ok"), (False, "bad zlib")]
    assert out[1]["hcert"]["nam"]["fnt"] == "PHAM" and out[1]["hcert"]["v"][0]["mp"] == \
        "BBIBP-CorV"
