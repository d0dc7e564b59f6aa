"""COSE_Sign1 (RFC 8152) as the EU DCC uses it: sign with ES256, verify ES256/384/512 and
PS256/384/512 (hcert spec, Volume 1, 2.6.5: ES256 primary, PS256 secondary)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

COSE_SIGN1_TAG = 18
CWT_TAG = 61
HEADER_ALG = 1
HEADER_KID = 4
ES256 = -7
_EC_HASHES: dict[int, hashes.HashAlgorithm] = {
    -7: hashes.SHA256(), -35: hashes.SHA384(), -36: hashes.SHA512()}
_PS_HASHES: dict[int, hashes.HashAlgorithm] = {
    -37: hashes.SHA256(), -38: hashes.SHA384(), -39: hashes.SHA512()}


class CoseError(ValueError):
    """The bytes are not a COSE_Sign1 message; `reason` says which part is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Sign1:
    """A parsed COSE_Sign1: the protected header as sent (it is signed) and decoded."""

    protected_raw: bytes
    protected: dict[Any, Any]
    unprotected: dict[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> Any:
        return self.protected.get(HEADER_ALG, self.unprotected.get(HEADER_ALG))

    @property
    def kid(self) -> bytes | None:
        """The key id: the protected header's when present, else the unprotected one's (the
        EU vectors CO19-CO23: a protected kid always wins, even a wrong one)."""
        for header in (self.protected, self.unprotected):
            if HEADER_KID in header:
                kid = header[HEADER_KID]
                return bytes(kid) if isinstance(kid, bytes | bytearray) else None
        return None

    def to_be_signed(self) -> bytes:
        # RFC 8152 §4.4: Sig_structure with empty external_aad.
        return cbor2.dumps(["Signature1", self.protected_raw, b"", self.payload])


def sign1(payload: bytes, key: ec.EllipticCurvePrivateKey, kid: bytes) -> bytes:
    """A tagged COSE_Sign1 over `payload`, ES256, kid in the protected header."""
    protected_raw = cbor2.dumps({HEADER_ALG: ES256, HEADER_KID: kid})
    msg = Sign1(protected_raw, {}, {}, payload, b"")
    der = key.sign(msg.to_be_signed(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    # COSE signatures are raw r||s, each the curve's size (RFC 8152 §8.1), not DER.
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected_raw, {}, payload, signature]))


def parse_sign1(data: bytes) -> Sign1:
    """Decode a COSE_Sign1: tagged (18), wrapped in a CWT tag (61), or untagged."""
    try:
        obj = cbor2.loads(data)
    except Exception as exc:  # cbor2 raises many kinds on hostile bytes
        raise CoseError("bad cbor") from exc
    for _ in range(3):
        if isinstance(obj, cbor2.CBORTag) and obj.tag in (CWT_TAG, COSE_SIGN1_TAG):
            obj = obj.value
    if not isinstance(obj, list | tuple) or len(obj) != 4:
        raise CoseError("bad cose structure")
    protected_raw, unprotected, payload, signature = obj
    if not isinstance(protected_raw, bytes) or not isinstance(payload, bytes) \
            or not isinstance(signature, bytes) or not isinstance(unprotected, Mapping):
        raise CoseError("bad cose structure")
    protected: Any = {}
    if protected_raw:
        try:
            protected = cbor2.loads(protected_raw)
        except Exception as exc:
            raise CoseError("bad cose header") from exc
        if not isinstance(protected, Mapping):
            raise CoseError("bad cose header")
    return Sign1(protected_raw, dict(protected), dict(unprotected), payload, signature)


def verify_signature(msg: Sign1, public_key: Any) -> bool:
    """True when `msg` was signed by the key (its algorithm must fit the key's type)."""
    alg, tbs = msg.alg, msg.to_be_signed()
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey) and alg in _EC_HASHES:
            size = (public_key.curve.key_size + 7) // 8
            if len(msg.signature) != 2 * size:
                return False
            r = int.from_bytes(msg.signature[:size], "big")
            s = int.from_bytes(msg.signature[size:], "big")
            public_key.verify(encode_dss_signature(r, s), tbs, ec.ECDSA(_EC_HASHES[alg]))
            return True
        if isinstance(public_key, rsa.RSAPublicKey) and alg in _PS_HASHES:
            h = _PS_HASHES[alg]
            public_key.verify(msg.signature, tbs,
                              padding.PSS(mgf=padding.MGF1(h), salt_length=padding.PSS.AUTO), h)
            return True
    except (InvalidSignature, ValueError):
        return False
    return False
