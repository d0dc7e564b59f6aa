"""Whatever the text, the verifier answers with a reason and never raises: random text, and
random changes at each layer of a genuine code (Base45 text, zlib stream, COSE and CWT)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import zlib
from pathlib import Path

import base45
import cbor2
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from data.certificates.dcc import Dose, new_uvci, vaccination_dcc
from data.certificates.hc1 import PREFIX, decode_to_cose, encode_hc1, sign_hc1
from data.certificates.keys import KeyStore
from data.certificates.schema import dcc_schema_valid
from data.certificates.trust import TrustList
from data.certificates.verify import verify_hc1

NOW = dt.datetime(2021, 10, 1, tzinfo=dt.UTC)
REASONS = {"ok", "bad prefix", "bad base45", "bad zlib", "bad cbor", "bad cose structure",
           "bad cose header", "bad cwt", "unknown kid", "bad signature", "too long", "expired",
           "not yet valid", "no validity period", "schema invalid",
           "key usage does not allow this certificate type"}
FUZZ = fuzz_settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, TrustList]:
    store = KeyStore(tmp_path_factory.mktemp("keys"))
    signer = store.create(NOW)
    dcc = vaccination_dcc("Lê Thị Hồng", dt.date(1980, 3, 4),
                          Dose("MOD", 1, 2, dt.date(2021, 9, 1)), new_uvci())
    text = sign_hc1(dcc, signer.private_key, signer.kid, "VN", NOW,
                    NOW + dt.timedelta(days=365))
    return text, store.trust_list()


def _answer_is_sound(text: str, trust: TrustList) -> None:
    res = verify_hc1(text, trust, NOW + dt.timedelta(days=1))
    assert res.reason in REASONS
    json.dumps(res.to_json())  # always serialisable
    assert res.verified is (res.reason in {"ok", "expired", "not yet valid",
                                           "no validity period", "schema invalid"})


@FUZZ
@given(st.text(max_size=300))
def test_any_text(genuine: tuple[str, TrustList], text: str) -> None:
    _answer_is_sound(text, genuine[1])
    _answer_is_sound(PREFIX + text, genuine[1])


@FUZZ
@given(st.data())
def test_flipped_bytes_at_each_layer(genuine: tuple[str, TrustList], data: st.DataObject) -> None:
    text, trust = genuine
    cose = bytearray(decode_to_cose(text))
    packed = bytearray(zlib.compress(bytes(cose)))
    layer = data.draw(st.sampled_from(["text", "zlib", "cose"]))
    target = bytearray(text.encode()) if layer == "text" else packed if layer == "zlib" \
        else cose
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(target) - 1))
        target[at] = data.draw(st.integers(0, 255))
    if layer == "text":
        candidate = target.decode("latin-1")
    elif layer == "zlib":
        candidate = PREFIX + base45.b45encode(bytes(target)).decode()
    else:
        candidate = encode_hc1(bytes(target))
    _answer_is_sound(candidate, trust)


@FUZZ
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8)
                    | st.binary(max_size=8),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.integers(-300, 10) | st.text(max_size=3), inner,
                                      max_size=4), max_leaves=20))
def test_any_cbor_structure(genuine: tuple[str, TrustList], value: object) -> None:
    trust = genuine[1]
    _answer_is_sound(encode_hc1(cbor2.dumps(value)), trust)
    _answer_is_sound(encode_hc1(cbor2.dumps(cbor2.CBORTag(18, value))), trust)
    as_payload = cbor2.dumps([cbor2.dumps({1: -7}), {}, cbor2.dumps(value), b"\0" * 64])
    _answer_is_sound(encode_hc1(as_payload), trust)
    claims = cbor2.dumps({1: "VN", 4: value, 6: value, -260: {1: value}})
    _answer_is_sound(encode_hc1(cbor2.dumps([b"", {}, claims, b""])), trust)


def test_the_vectors_survive_every_single_byte_change() -> None:
    # One vector, every position of its COSE bytes changed once: an exhaustive small sweep.
    vector = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "dcc"
                         / "common-vectors" / "CO3.json").read_text(encoding="utf-8"))
    cose = bytes.fromhex(vector["COSE"])
    for at in range(len(cose)):
        changed = cose[:at] + bytes([cose[at] ^ 0x41]) + cose[at + 1:]
        _answer_is_sound(encode_hc1(changed), TrustList(()))


_VALID = {"ver": "1.3.0", "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "An", "gnt": "AN"},
          "dob": "1990-01-02",
          "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
                 "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-09-01", "co": "VN",
                 "is": "Ministry of Health of Viet Nam", "ci": "URN:UVCI:01:VN:X"}]}
_ODD = st.none() | st.booleans() | st.integers(-2, 12) | st.sampled_from(
    ["", "VN", "vn", "x" * 81, "NGUYEN<AN", "Nguyen", "1990", "2021-09", "1.3", "1.3.0",
     "19900102", "1899-01-01"]) | st.just([]) | st.just({}) | st.just([{}])
_PATHS = [("ver",), ("nam",), ("nam", "fnt"), ("nam", "gnt"), ("nam", "fn"), ("dob",), ("v",),
          ("t",), ("r",), ("v", 0, "dn"), ("v", 0, "sd"), ("v", 0, "co"), ("v", 0, "ci"),
          ("v", 0, "is"), ("v", 0, "tg"), ("v", 0, "nm"), ("v", 0, "mp")]


def _child(parent: object, key: object) -> object:
    if isinstance(parent, dict):
        return parent.get(key)
    if isinstance(parent, list) and isinstance(key, int) and len(parent) > key:
        return parent[key]
    return None


@fuzz_settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PATHS), _ODD | st.just("<drop>")), max_size=3))
def test_schema_check_agrees_with_the_schema(changes: list) -> None:
    # Random changes to a valid certificate: our structural check and the published JSON
    # schema (jsonschema_rs) give the same answer, so a verifier is never stricter than the EU.
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "dcc"
                         / "DCC.combined-schema.json").read_text(encoding="utf-8"))
    doc: dict = copy.deepcopy(_VALID)
    for path, value in changes:
        parent: object = doc
        for key in path[:-1]:
            parent = _child(parent, key)
        if isinstance(parent, dict):
            if value == "<drop>":
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = value
    assert dcc_schema_valid(doc) is jsonschema_rs.validator_for(schema).is_valid(doc), doc
