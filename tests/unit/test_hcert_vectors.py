"""The EU's 38 crafted edge cases (dgc-testdata common/2DCode/raw): every EXPECTED* flag a
vector carries holds for our verifier, with the vector's certificate as the only trust entry
and its validation clock. EXPECTEDPICTUREDECODE: the vector's QR image (2DCODE, a PNG), where it
has one, reads back as its PREFIX text (zxing-cpp); the later steps start from the PREFIX."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from data.certificates.qr import read_qr
from data.certificates.trust import trust_list_of
from data.certificates.verify import Verification, verify_hc1

VECTORS = Path(__file__).resolve().parents[1] / "fixtures" / "dcc"
FILES = sorted((VECTORS / "common-vectors").glob("*.json"))


def _run(vector: dict[str, Any]) -> Verification:
    ctx = vector["TESTCTX"]
    cert = x509.load_der_x509_certificate(base64.b64decode(ctx["CERTIFICATE"]))
    at = dt.datetime.fromisoformat(ctx["VALIDATIONCLOCK"].replace("Z", "+00:00"))
    return verify_hc1(vector["PREFIX"], trust_list_of([cert]), at)


def test_all_38_vectors_are_there() -> None:
    assert len(FILES) == 38


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    expected: dict[str, bool] = vector["EXPECTEDRESULTS"]
    res = _run(vector)
    checks = {
        "EXPECTEDUNPREFIX": res.unprefixed,
        "EXPECTEDB45DECODE": res.base45_decoded,
        "EXPECTEDCOMPRESSION": res.decompressed,
        "EXPECTEDDECODE": res.decoded,
        "EXPECTEDVALIDJSON": res.decoded and json.loads(json.dumps(res.hcert)) == res.hcert,
        "EXPECTEDVERIFY": res.signature_valid,
        "EXPECTEDKEYUSAGE": res.key_usage_valid,
        "EXPECTEDEXPIRATIONCHECK": res.time_valid,
        "EXPECTEDSCHEMAVALIDATION": res.schema_valid,
    }
    if vector.get("2DCODE"):  # a vector without a picture (B1) has nothing to read
        checks["EXPECTEDPICTUREDECODE"] = read_qr(base64.b64decode(vector["2DCODE"])) == \
            vector["PREFIX"]
    tested = [flag for flag in expected if flag in checks]
    assert tested or set(expected) == {"EXPECTEDPICTUREDECODE"}
    for flag in tested:
        assert checks[flag] is expected[flag], (flag, res.reason)
    if "EXPECTEDEXPIRATIONCHECK" in expected:  # what the CLI's `expired` says
        assert res.expired is (not expected["EXPECTEDEXPIRATIONCHECK"])
    if expected.get("EXPECTEDDECODE") and vector.get("JSON"):
        assert res.hcert == vector["JSON"]  # the decoded certificate is the one encoded
    if expected.get("EXPECTEDVERIFY") is False:
        assert not res.verified and res.reason in ("bad signature", "unknown kid",
                                                   "bad cose structure", "bad cbor", "bad cwt")
    if expected.get("EXPECTEDKEYUSAGE") is False:
        assert not res.verified and res.reason.startswith("key usage")


@pytest.mark.parametrize("path", [p for p in FILES if "EXPECTEDSCHEMAVALIDATION" in
                                  json.loads(p.read_text(encoding="utf-8"))["EXPECTEDRESULTS"]],
                         ids=lambda p: p.stem)
def test_schema_check_agrees_with_the_eu_schema(path: Path) -> None:
    # Our structural check against the published JSON schema itself (jsonschema_rs comes with
    # the test tools): the two must agree on every vector that tests the schema.
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = json.loads((VECTORS / "DCC.combined-schema.json").read_text(encoding="utf-8"))
    res = _run(json.loads(path.read_text(encoding="utf-8")))
    assert res.hcert is not None
    assert jsonschema_rs.validator_for(schema).is_valid(res.hcert) is res.schema_valid


def test_vector_reasons_name_the_failed_step() -> None:
    reasons = {p.stem: _run(json.loads(p.read_text(encoding="utf-8"))).reason for p in FILES}
    assert reasons["H1"] == reasons["H2"] == reasons["H3"] == "bad prefix"
    assert reasons["B1"] == "bad base45"
    assert reasons["Z1"] == reasons["Z2"] == "bad zlib"
    assert reasons["CO5"] == "bad signature"
    assert reasons["CO22"] == reasons["CO23"] == "unknown kid"
    assert reasons["CO16"] == "not yet valid"
    assert reasons["CO17"] == "expired"
    assert reasons["CO28"] == reasons["CO1"] == "ok"
    assert reasons["DGC1"] == "schema invalid"
