"""HC1 round trip and signature checks with our own keys: what we sign verifies against our
trust list; a changed byte, another key, or a missing trust entry does not."""

from __future__ import annotations

import base64
import datetime as dt
import zlib
from pathlib import Path

import base45
import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding

from data.certificates.cose import Sign1, parse_sign1
from data.certificates.dcc import Dose, add_months, new_uvci, vaccination_dcc
from data.certificates.hc1 import PREFIX, decode_to_cose, encode_hc1, sign_hc1
from data.certificates.keys import KeyStore, NoSigningKey
from data.certificates.trust import TrustList, kid_of, parse_trust_list
from data.certificates.verify import verify_hc1

NOW = dt.datetime(2021, 10, 1, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2022, 3, 1, tzinfo=dt.UTC)


def _dcc(name: str = "Nguyễn Văn Đức") -> dict:
    return vaccination_dcc(name, dt.date(1990, 5, 17),
                           Dose("PFZ", 2, 2, dt.date(2021, 9, 20)), new_uvci())


def _sign(store: KeyStore, dcc: dict, at: dt.datetime = NOW) -> str:
    signer = store.active_signer()
    return sign_hc1(dcc, signer.private_key, signer.kid, "VN", at, add_months(at, 12))


@pytest.fixture()
def store(tmp_path: Path) -> KeyStore:
    s = KeyStore(tmp_path / "keys")
    s.create(NOW)
    return s


def test_round_trip(store: KeyStore) -> None:
    dcc = _dcc()
    text = _sign(store, dcc)
    assert text.startswith(PREFIX) and set(text[4:]) <= set(base45.BASE45_CHARSET)
    res = verify_hc1(text, store.trust_list(), LATER)
    assert (res.verified, res.expired, res.reason) == (True, False, "ok")
    assert res.hcert == dcc
    assert res.kid == base64.b64encode(store.active_signer().kid).decode()
    assert res.issued_at == NOW.replace(microsecond=0)
    assert res.expires_at == dt.datetime(2022, 10, 1, 9, 30, tzinfo=dt.UTC)
    assert res.issuer == "VN" and res.schema_valid and res.key_usage_valid
    # ES256 with the kid in the protected header, a raw 64-byte r||s signature.
    msg = parse_sign1(decode_to_cose(text))
    assert msg.protected == {1: -7, 4: store.active_signer().kid}
    assert len(msg.signature) == 64
    assert res.to_json() == {"verified": True, "expired": False, "reason": "ok",
                             "kid": res.kid, "hcert": dcc}


def test_expiry_after_twelve_months(store: KeyStore) -> None:
    text = _sign(store, _dcc())
    res = verify_hc1(text, store.trust_list(), dt.datetime(2022, 10, 1, 9, 31, tzinfo=dt.UTC))
    assert (res.verified, res.expired, res.reason) == (True, True, "expired")
    early = verify_hc1(text, store.trust_list(), NOW - dt.timedelta(hours=1))
    # Before iat the expiration check fails too (EU vector CO16); the reason tells which end.
    assert (early.verified, early.expired, early.reason) == (True, True, "not yet valid")
    naive = verify_hc1(text, store.trust_list(), LATER.replace(tzinfo=None))  # read as UTC
    assert (naive.verified, naive.expired, naive.reason) == (True, False, "ok")


def test_tampered_payload_fails(store: KeyStore) -> None:
    text = _sign(store, _dcc())
    tag = cbor2.loads(decode_to_cose(text))
    protected, unprotected, payload, signature = tag.value
    claims = cbor2.loads(payload)
    claims[-260][1]["dob"] = "1950-01-01"
    forged = cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims),
                                           signature]))
    res = verify_hc1(encode_hc1(forged), store.trust_list(), LATER)
    assert (res.verified, res.reason) == (False, "bad signature")
    assert res.hcert is not None and res.hcert["dob"] == "1950-01-01"  # readable, not trusted


def test_wrong_key_fails(store: KeyStore, tmp_path: Path) -> None:
    other = KeyStore(tmp_path / "other")
    other.create(NOW)
    text = _sign(other, _dcc())
    res = verify_hc1(text, store.trust_list(), LATER)
    assert (res.verified, res.reason) == (False, "unknown kid")
    # The same kid pointing at another certificate: tried, and the signature fails.
    mine = store.certificates()[0]
    lying = TrustList(tuple(e.__class__(other.active_signer().kid, mine)
                            for e in store.trust_list().entries))
    assert verify_hc1(text, lying, LATER).reason == "bad signature"
    assert verify_hc1(text, TrustList(()), LATER).reason == "unknown kid"


def test_rotated_key_keeps_old_certificates_verifiable(store: KeyStore) -> None:
    old_kid = store.active_signer().kid
    old = _sign(store, _dcc())
    store.create(NOW + dt.timedelta(days=30))
    new_kid = store.active_signer().kid
    new = _sign(store, _dcc("Trần Thị Bích"), NOW + dt.timedelta(days=30))
    assert new_kid != old_kid
    trust = parse_trust_list(store.trust_list().to_json())  # through the published JSON
    assert [e.kid for e in trust.entries] == [old_kid, new_kid]
    assert verify_hc1(old, trust, LATER).reason == "ok"
    assert verify_hc1(new, trust, LATER).reason == "ok"
    assert parse_sign1(decode_to_cose(new)).kid == new_kid


def test_code_without_kid_is_tried_against_every_entry(store: KeyStore) -> None:
    signer = store.active_signer()
    store.create(NOW)
    text = _sign(store, _dcc())
    msg = parse_sign1(decode_to_cose(text))
    # Re-sign without any kid, with the first (no longer active) key.
    protected = cbor2.dumps({1: -7})
    unsigned = Sign1(protected, {1: -7}, {}, msg.payload, b"")
    r, s = decode_dss_signature(signer.private_key.sign(unsigned.to_be_signed(),
                                                        ec.ECDSA(hashes.SHA256())))
    cose = cbor2.dumps([protected, {}, msg.payload, r.to_bytes(32, "big") + s.to_bytes(32,
                                                                                       "big")])
    res = verify_hc1(encode_hc1(cose), store.trust_list(), LATER)  # untagged, no kid
    assert (res.verified, res.reason) == (True, "ok")
    assert res.kid == base64.b64encode(kid_of(signer.certificate)).decode()


@pytest.mark.parametrize(("text", "reason"), [
    ("", "bad prefix"),
    ("hello", "bad prefix"),
    ("HC2:6BFOXN", "bad prefix"),
    ("HC1:", "bad zlib"),
    ("HC1:!!!!", "bad base45"),
    ("HC1:GGW", "bad base45"),  # a triple over 65535
    ("HC1:" + base45.b45encode(b"not zlib").decode(), "bad zlib"),
    ("HC1:" + base45.b45encode(zlib.compress(b"\xff\xff")).decode(), "bad cbor"),
    ("HC1:" + base45.b45encode(zlib.compress(cbor2.dumps([1, 2]))).decode(),
     "bad cose structure"),
    ("HC1:" + base45.b45encode(zlib.compress(cbor2.dumps([b"", {}, b"\xff", b"x"]))).decode(),
     "bad cbor"),
    ("HC1:" + base45.b45encode(zlib.compress(cbor2.dumps([b"", {}, cbor2.dumps([1]), b"x"])))
     .decode(), "bad cwt"),
    ("HC1:" + base45.b45encode(zlib.compress(b"\0" * 10_000_000)).decode(), "too long"),
    ("HC1:" + "A" * 20_000, "too long"),
])
def test_garbage_says_why(store: KeyStore, text: str, reason: str) -> None:
    res = verify_hc1(text, store.trust_list(), LATER)
    assert (res.verified, res.reason, res.expired, res.hcert) == (False, reason, None, None)


def test_no_key_yet(tmp_path: Path) -> None:
    empty = KeyStore(tmp_path / "none")
    assert empty.certificates() == [] and empty.active_kid() is None
    with pytest.raises(NoSigningKey):
        empty.active_signer()


def test_private_key_file_is_private(store: KeyStore) -> None:
    keys = list(store.directory.glob("*/key.pem"))
    assert len(keys) == 1 and keys[0].stat().st_mode & 0o077 == 0
    assert store.active_kid() == store.active_signer().kid


def test_trust_list_rejects_unreadable_entries(store: KeyStore) -> None:
    bad = {"kid": "AA==", "rawData": "bm90IGEgY2VydA=="}
    with pytest.raises(ValueError):
        parse_trust_list({"certificates": [bad]})
    with pytest.raises(ValueError):
        parse_trust_list({"nothing": 1})
    # A batch verifier goes on with the readable signers and says which one it left out.
    problems: list[str] = []
    good = store.trust_list().to_json()["certificates"][0]
    trust = parse_trust_list([bad, good, 7], problems)
    assert [e.kid for e in trust.entries] == [store.active_signer().kid]
    assert [p.split(":")[0] for p in problems] == ["trust list entry 1", "trust list entry 3"]


def test_trust_entries_in_other_spellings(store: KeyStore) -> None:
    # PEM instead of bare base64, base64 broken over lines or URL-safe, no kid: all read.
    cert = store.certificates()[0]
    pem = cert.public_bytes(Encoding.PEM).decode()
    der64 = store.trust_list().to_json()["certificates"][0]["rawData"]
    spellings = [pem, "\n".join(der64[i:i + 64] for i in range(0, len(der64), 64)),
                 der64.replace("+", "-").replace("/", "_").rstrip("=")]
    trust = parse_trust_list({"certificates": [{"rawData": r} for r in spellings]})
    assert [e.certificate for e in trust.entries] == [cert] * 3
    assert {e.kid for e in trust.entries} == {kid_of(cert)}


def test_a_certificate_too_odd_to_parse_still_gives_its_key(store: KeyStore) -> None:
    # A foreign signer whose certificate breaks a strict parser (here a bad time in its
    # validity): its public key is read from the DER and its signatures verify.
    text = _sign(store, _dcc())
    der = bytearray(base64.b64decode(store.trust_list().to_json()["certificates"][0]
                                     ["rawData"]))
    at = der.find(b"Z\x17\r")
    assert at > 0
    der[at] = ord("X")
    with pytest.raises(ValueError):
        x509.load_der_x509_certificate(bytes(der))
    trust = parse_trust_list({"certificates": [{"rawData": base64.b64encode(der).decode()}]})
    assert trust.entries[0].certificate is None
    res = verify_hc1(text, trust, LATER)
    assert (res.verified, res.reason) == (False, "unknown kid")  # its DER changed: so did kid
    trust = parse_trust_list({"certificates": [{"rawData": base64.b64encode(der).decode(),
                                                "kid": res.kid}]})
    assert (verify_hc1(text, trust, LATER).verified, trust.to_json()["certificates"][0]
            ["rawData"]) == (True, base64.b64encode(der).decode())
