"""The HC1 text of a QR code: prefix `HC1:`, Base45, zlib, then the COSE bytes (hcert spec,
Volume 1, section 3), and the CWT claims inside (iss 1, exp 4, iat 6, hcert -260 -> 1)."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric import ec

from data.certificates.cose import sign1

PREFIX = "HC1:"
CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_HCERT = 1, 4, 6, -260
HCERT_V1 = 1
# A QR code holds at most ~4.3 kB of alphanumeric text; anything far larger is hostile.
MAX_TEXT = 16_384
MAX_INFLATED = 262_144


class Hc1Error(ValueError):
    """One step of the decoding failed; `reason` names it (bad prefix, bad base45 ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def encode_hc1(cose: bytes) -> str:
    """COSE bytes -> the QR text (zlib at the highest level keeps the QR small)."""
    return PREFIX + base45.b45encode(zlib.compress(cose, 9)).decode("ascii")


def unprefix(text: str) -> str:
    """The Base45 part of the text, or Hc1Error('bad prefix')."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise Hc1Error("too long")
    if not text.startswith(PREFIX):
        raise Hc1Error("bad prefix")
    return text[len(PREFIX):]


def b45decode(body: str) -> bytes:
    try:
        return bytes(base45.b45decode(body))
    except Exception as exc:  # ValueError, or KeyError/IndexError in older releases
        raise Hc1Error("bad base45") from exc


def inflate(data: bytes) -> bytes:
    """zlib (RFC 1950) decompression, bounded: a zip bomb stops at MAX_INFLATED."""
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_INFLATED)
    except zlib.error as exc:
        raise Hc1Error("bad zlib") from exc
    if d.unconsumed_tail:
        raise Hc1Error("too long")
    if not d.eof:
        raise Hc1Error("bad zlib")
    return out


def decode_to_cose(text: str) -> bytes:
    """The QR text -> COSE bytes, through prefix, Base45 and zlib."""
    return inflate(b45decode(unprefix(text)))


def cwt_claims(hcert: dict[str, Any], issuer: str, issued_at: dt.datetime,
               expires_at: dt.datetime) -> bytes:
    """The CBOR Web Token payload: issuer country, times in whole seconds, the DCC."""
    return cbor2.dumps({CLAIM_ISS: issuer, CLAIM_IAT: int(issued_at.timestamp()),
                        CLAIM_EXP: int(expires_at.timestamp()),
                        CLAIM_HCERT: {HCERT_V1: hcert}})


def sign_hc1(hcert: dict[str, Any], key: ec.EllipticCurvePrivateKey, kid: bytes, issuer: str,
             issued_at: dt.datetime, expires_at: dt.datetime) -> str:
    """The QR text of a signed certificate: CWT -> COSE_Sign1 (ES256) -> zlib -> Base45."""
    return encode_hc1(sign1(cwt_claims(hcert, issuer, issued_at, expires_at), key, kid))
