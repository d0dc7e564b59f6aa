"""Verifying an HC1 code against a trust list at a validation clock: each step of the hcert
spec in turn, never an exception: a code that fails says why in `reason`."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography import x509

from data.certificates.cose import CoseError, Sign1, parse_sign1, verify_signature
from data.certificates.hc1 import (
    CLAIM_EXP,
    CLAIM_HCERT,
    CLAIM_IAT,
    HCERT_V1,
    Hc1Error,
    b45decode,
    inflate,
    unprefix,
)
from data.certificates.schema import dcc_schema_valid
from data.certificates.trust import TrustList

# Extended key usages restricting a document signer to some certificate types (hcert spec
# 2.6.5 / DCC trust framework), under both OID arcs in use (with and without the `.0`).
_USAGE_GROUP = {"1": "t", "2": "v", "3": "r"}
_USAGE_ARCS = ("1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1.")


@dataclass
class Verification:
    """What the verifier found. `verified`: signed by a trusted key allowed to sign this type
    of certificate (EXPECTEDVERIFY, EXPECTEDKEYUSAGE). `expired`: the validation clock is
    outside the validity, before iat or after exp (EXPECTEDEXPIRATIONCHECK negated; None when
    the times cannot be read). `reason`: "ok", or the first failed step ("expired", "not yet
    valid", "schema invalid" for a genuine certificate). The step flags mirror the EU test
    data's EXPECTED* results."""

    verified: bool = False
    expired: bool | None = None
    reason: str = ""
    kid: str | None = None
    hcert: dict[str, Any] | None = None
    unprefixed: bool = False
    base45_decoded: bool = False
    decompressed: bool = False
    decoded: bool = False  # CWT claims and the certificate read
    signature_valid: bool = False
    key_usage_valid: bool | None = None
    time_valid: bool | None = None  # iat <= clock <= exp
    schema_valid: bool | None = None
    issuer: str | None = None
    issued_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        """Verified and within its time of validity: the certificate may be accepted."""
        return self.verified and self.time_valid is True

    def to_json(self) -> dict[str, Any]:
        """The CLI's line: verified, expired, reason, kid, hcert."""
        return {"verified": self.verified, "expired": self.expired, "reason": self.reason,
                "kid": self.kid, "hcert": self.hcert}


def jsonable(value: Any) -> Any:
    """CBOR values as JSON: dates as ISO strings, bytes as base64, tuples as lists."""
    if isinstance(value, Mapping):
        return {k if isinstance(k, str) else str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()
        return text.replace("+00:00", "Z") if isinstance(value, dt.datetime) else text
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, cbor2.CBORTag):
        return jsonable(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    return str(value)


def _instant(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):  # CBOR tag 1 (epoch time), decoded by cbor2
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _usage_allows(certificate: x509.Certificate, hcert: dict[str, Any]) -> bool:
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except (x509.ExtensionNotFound, ValueError):
        return True  # no restriction
    allowed = {_USAGE_GROUP[oid.dotted_string[len(arc):]] for oid in eku for arc in _USAGE_ARCS
               if oid.dotted_string.startswith(arc)
               and oid.dotted_string[len(arc):] in _USAGE_GROUP}
    return not allowed or all(g in allowed for g in ("v", "t", "r") if g in hcert)


def _read_claims(res: Verification, msg: Sign1, at: dt.datetime) -> dict[str, Any] | None:
    try:
        claims = cbor2.loads(msg.payload)
    except Exception:
        res.reason = "bad cbor"
        return None
    if isinstance(claims, cbor2.CBORTag) or not isinstance(claims, Mapping):
        res.reason = "bad cwt"
        return None
    hcert = claims.get(CLAIM_HCERT)
    dcc = hcert.get(HCERT_V1) if isinstance(hcert, Mapping) else None
    if not isinstance(dcc, Mapping):
        res.reason = "bad cwt"
        return None
    res.issuer = claims.get(1) if isinstance(claims.get(1), str) else None
    res.issued_at, res.expires_at = _instant(claims.get(CLAIM_IAT)), _instant(claims.get(CLAIM_EXP))
    if res.expires_at is not None or res.issued_at is not None:
        after_exp = res.expires_at is not None and at > res.expires_at
        res.time_valid = not after_exp and (res.issued_at is None or res.issued_at <= at)
        # The EU test data's expiration check: the clock outside [iat, exp] (`reason` tells
        # "expired" from "not yet valid").
        res.expired = not res.time_valid
    res.decoded = True
    res.hcert = jsonable(dcc)
    res.schema_valid = dcc_schema_valid(res.hcert)
    return res.hcert


def _check_signature(res: Verification, msg: Sign1, trust: TrustList) -> None:
    kid = msg.kid
    candidates = trust.for_kid(kid)
    if not candidates:
        res.reason = "unknown kid"
        return
    for entry in candidates:
        if verify_signature(msg, entry.public_key()):
            res.signature_valid = True
            res.kid = base64.b64encode(entry.kid).decode("ascii")
            res.key_usage_valid = (res.hcert is None or entry.certificate is None
                                   or _usage_allows(entry.certificate, res.hcert))
            return
    res.reason = "bad signature"


def verify_hc1(text: str, trust: TrustList, at: dt.datetime | None = None) -> Verification:
    """Every step on `text` (one QR code's content) at the clock `at` (default now, UTC)."""
    at = at or dt.datetime.now(dt.UTC)
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    res = Verification()
    try:
        body = unprefix(text)
        res.unprefixed = True
        raw = b45decode(body)
        res.base45_decoded = True
        cose = inflate(raw)
        res.decompressed = True
        msg = parse_sign1(cose)
    except (Hc1Error, CoseError) as exc:
        res.reason = exc.reason
        return res
    if msg.kid is not None:
        res.kid = base64.b64encode(msg.kid).decode("ascii")
    hcert = _read_claims(res, msg, at)
    claims_reason = res.reason
    _check_signature(res, msg, trust)
    if hcert is None:
        res.reason = claims_reason  # nothing verified is readable: the payload's fault first
        return res
    if res.signature_valid and res.key_usage_valid is False:
        res.reason = "key usage does not allow this certificate type"
    res.verified = res.signature_valid and res.key_usage_valid is not False
    if res.verified:
        late = res.expires_at is not None and at > res.expires_at
        res.reason = ("expired" if late else "not yet valid" if res.time_valid is False
                      else "no validity period" if res.time_valid is None
                      else "schema invalid" if not res.schema_valid else "ok")
    return res
