"""The trust list: the document-signer certificates a verifier accepts, in the shape EU
verifiers read (`{"certificates": [{"kid", "rawData", "country"}]}`, base64 strings)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

COUNTRY = "VN"


def kid_of(certificate: x509.Certificate) -> bytes:
    """The key id: the first 8 bytes of the SHA-256 of the DER certificate (hcert spec 2.6.5)."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).digest()[:8]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class TrustEntry:
    """One signer: the kid verifiers look it up by, its certificate, the issuing country."""

    kid: bytes
    certificate: x509.Certificate
    country: str = COUNTRY

    def to_json(self) -> dict[str, str]:
        return {"kid": b64(self.kid),
                "rawData": b64(self.certificate.public_bytes(Encoding.DER)),
                "country": self.country}


@dataclass(frozen=True)
class TrustList:
    """The entries in order; several may share a kid (each is tried)."""

    entries: tuple[TrustEntry, ...]

    def for_kid(self, kid: bytes | None) -> tuple[TrustEntry, ...]:
        """The entries to try: those with the kid, or all when the code carries none."""
        if kid is None:
            return self.entries
        return tuple(e for e in self.entries if e.kid == kid)

    def to_json(self) -> dict[str, Any]:
        return {"certificates": [e.to_json() for e in self.entries]}


def trust_list_of(certificates: list[x509.Certificate], country: str = COUNTRY) -> TrustList:
    """Our own certificates as a trust list (kid computed from each)."""
    return TrustList(tuple(TrustEntry(kid_of(c), c, country) for c in certificates))


def _b64decode(value: str) -> bytes:
    value = value.strip()
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def parse_trust_list(doc: Any) -> TrustList:
    """A trust list document -> TrustList. Accepts `{"certificates": [...]}` or a bare list;
    an entry without a kid gets the one computed from its certificate. ValueError when an
    entry cannot be read (the operator must know a signer is missing)."""
    items = doc.get("certificates") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ValueError("trust list: expected {\"certificates\": [...]}")
    entries = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("rawData"), str):
            raise ValueError(f"trust list entry {n}: rawData missing")
        try:
            cert = x509.load_der_x509_certificate(_b64decode(item["rawData"]))
            kid = _b64decode(item["kid"]) if isinstance(item.get("kid"), str) else kid_of(cert)
        except (ValueError, binascii.Error) as exc:
            raise ValueError(f"trust list entry {n}: {exc}") from None
        entries.append(TrustEntry(kid, cert, str(item.get("country") or "")))
    return TrustList(tuple(entries))
