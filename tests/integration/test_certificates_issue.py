"""Issuing certificates from the doses on record, on each backend: the latest dose coded for
the EU, signed with the active key, entered in the registry and the audit log; re-prints while
valid, a new certificate after 12 months or a new key; no identity number in the QR."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data import audit
from data.certificates.checks import verify_and_record
from data.certificates.hc1 import decode_to_cose
from data.certificates.issue import (
    NoCertifiableDose,
    issue_with,
    issued_for_person,
)
from data.certificates.keys import KeyStore, NoSigningKey
from data.certificates.verify import verify_hc1
from tests.integration.certificates_setup import PERSON, seed_doses

NOW = dt.datetime(2022, 2, 1, 3, 0, tzinfo=dt.UTC)
CLERK = audit.Actor(None, "portal", "203.0.113.9")


@pytest.fixture
def keys(tmp_path: Path) -> KeyStore:
    store = KeyStore(tmp_path / "keys")
    store.create(NOW - dt.timedelta(days=1))
    return store


def _audit(engine: Engine) -> list[tuple[str, str, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, record_key, detail FROM audit_log "
                                 "WHERE table_name = 'certificate_issue' ORDER BY id")).all()
    return [(a, k, d if isinstance(d, dict) else json.loads(d)) for a, k, d in rows]


def test_issue_for_the_latest_dose(engine: Engine, keys: KeyStore) -> None:
    seed_doses(engine)
    cert = issue_with(engine, keys, PERSON, NOW, CLERK)
    assert cert.payload["nam"] == {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Văn Đức",
                                   "gnt": "VAN<DUC"}
    assert cert.payload["dob"] == "1990-01-02"
    entry = cert.payload["v"][0]
    # The Pfizer booster after two AZ doses: 3/2, on its Vietnam-time day; R4 was in error.
    assert (entry["mp"], entry["ma"], entry["vp"]) == ("EU/1/20/1528", "ORG-100030215",
                                                       "1119349007")
    assert (entry["dn"], entry["sd"], entry["dt"]) == (3, 2, "2022-01-10")
    assert (entry["co"], entry["is"], entry["ci"]) == ("VN", "Ministry of Health of Viet Nam",
                                                       cert.uvci)
    assert cert.issued_at == NOW and cert.expires_at == dt.datetime(2023, 2, 1, 3, 0,
                                                                      tzinfo=dt.UTC)
    res = verify_hc1(cert.hc1, keys.trust_list(), NOW + dt.timedelta(days=200))
    assert (res.verified, res.expired, res.reason, res.kid) == (True, False, "ok", cert.kid)
    assert res.hcert == cert.payload
    # No identity number anywhere: not in the signed bytes, nor in what a verifier decodes.
    assert PERSON.encode() not in decode_to_cose(cert.hc1)
    assert PERSON not in json.dumps(res.to_json(), ensure_ascii=False)
    assert "0912345678" not in json.dumps(res.to_json())
    with engine.connect() as conn:
        rows = issued_for_person(conn, PERSON)
    assert [(r["uvci"], r["record_id"], r["kid"], r["issued_at"], r["expires_at"])
            for r in rows] == [(cert.uvci, "R3", keys.active_signer().kid.hex(), NOW,
                                cert.expires_at)]
    assert _audit(engine) == [("ISSUE", cert.uvci, {
        "record_id": "R3", "kid": keys.active_signer().kid.hex(),
        "expires_at": "2023-02-01T03:00:00+00:00"})]


def test_reprint_then_reissue_after_twelve_months(engine: Engine, keys: KeyStore) -> None:
    seed_doses(engine)
    first = issue_with(engine, keys, PERSON, NOW, CLERK)
    again = issue_with(engine, keys, PERSON, NOW + dt.timedelta(days=30), CLERK)
    assert (again.uvci, again.issued_at, again.expires_at, again.reprinted) == (
        first.uvci, first.issued_at, first.expires_at, True)
    assert not first.reprinted
    renewed = issue_with(engine, keys, PERSON, first.expires_at + dt.timedelta(seconds=1), CLERK)
    assert renewed.uvci != first.uvci and not renewed.reprinted
    assert renewed.expires_at == dt.datetime(2024, 2, 1, 3, 0, 1, tzinfo=dt.UTC)
    assert [a for a, _, _ in _audit(engine)] == ["ISSUE", "REPRINT", "ISSUE"]
    with engine.connect() as conn:
        assert [r["uvci"] for r in issued_for_person(conn, PERSON)] == [renewed.uvci,
                                                                        first.uvci]


def test_new_key_new_certificate_old_one_still_verifies(engine: Engine,
                                                        keys: KeyStore) -> None:
    seed_doses(engine)
    old = issue_with(engine, keys, PERSON, NOW, CLERK)
    keys.create(NOW + dt.timedelta(days=2))
    new = issue_with(engine, keys, PERSON, NOW + dt.timedelta(days=3), CLERK)
    assert new.uvci != old.uvci and new.kid != old.kid
    at = NOW + dt.timedelta(days=10)
    assert verify_hc1(old.hc1, keys.trust_list(), at).reason == "ok"
    assert verify_hc1(new.hc1, keys.trust_list(), at).reason == "ok"
    assert base64.b64decode(new.kid) == keys.active_signer().kid


def test_single_dose_vaccine_and_unknown_person(engine: Engine, keys: KeyStore) -> None:
    seed_doses(engine)
    jnj = issue_with(engine, keys, "079200000001", NOW, CLERK)
    entry = jnj.payload["v"][0]
    assert (entry["mp"], entry["dn"], entry["sd"], entry["dt"]) == ("EU/1/20/1525", 1, 1,
                                                                    "2021-10-05")
    assert jnj.payload["nam"]["gnt"] == "THI<BICH"
    with pytest.raises(NoCertifiableDose):
        issue_with(engine, keys, "000000000000", NOW, CLERK)
    assert [a for a, _, _ in _audit(engine)] == ["ISSUE"]


def test_no_key_issues_nothing(engine: Engine, tmp_path: Path) -> None:
    seed_doses(engine)
    with pytest.raises(NoSigningKey):
        issue_with(engine, KeyStore(tmp_path / "empty"), PERSON, NOW, CLERK)
    with engine.connect() as conn:
        assert issued_for_person(conn, PERSON) == []


def test_verification_through_the_web_path_is_audited(engine: Engine,
                                                      keys: KeyStore) -> None:
    seed_doses(engine)
    cert = issue_with(engine, keys, PERSON, NOW, CLERK)
    visitor = audit.Actor(None, "portal", "198.51.100.7")
    good = verify_and_record(engine, cert.hc1, keys.trust_list(), visitor,
                             NOW + dt.timedelta(days=1))
    bad = verify_and_record(engine, "HC1:nonsense", keys.trust_list(), visitor, NOW)
    assert (good.verified, good.reason, bad.verified, bad.reason) == (
        True, "ok", False, "bad base45")
    entries = _audit(engine)
    assert [(a, k) for a, k, _ in entries] == [("ISSUE", cert.uvci), ("VERIFY", cert.uvci),
                                               ("VERIFY", None)]
    assert entries[1][2] == {"verified": True, "expired": False, "reason": "ok",
                             "kid": cert.kid}
    # The audit log names the certificate, never what it says about the person.
    logged = json.dumps(entries, ensure_ascii=False)
    assert "Nguyễn" not in logged and "1990-01-02" not in logged and PERSON not in logged
