"""The trust list: the document-signer certificates a verifier accepts, in the shape EU
verifiers read (`{"certificates": [{"kid", "rawData", "country"}]}`, base64 strings)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import warnings
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, load_der_public_key

COUNTRY = "VN"


def kid_of(certificate: x509.Certificate) -> bytes:
    """The key id: the first 8 bytes of the SHA-256 of the DER certificate (hcert spec 2.6.5)."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).digest()[:8]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class TrustEntry:
    """One signer: the kid verifiers look it up by, its certificate, the issuing country.
    `certificate` is None only for a foreign certificate this library cannot parse whole:
    its public key (`key`) was still read from the DER (`raw`)."""

    kid: bytes
    certificate: x509.Certificate | None
    country: str = COUNTRY
    key: Any = None
    raw: bytes = b""

    def public_key(self) -> Any:
        return self.key if self.certificate is None else self.certificate.public_key()

    def to_json(self) -> dict[str, str]:
        der = self.raw if self.certificate is None else self.certificate.public_bytes(
            Encoding.DER)
        return {"kid": b64(self.kid), "rawData": b64(der), "country": self.country}


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
    # A PEM certificate pasted whole: its body is the same base64.
    if "-----BEGIN" in value:
        value = "".join(line for line in value.splitlines() if not line.startswith("-----"))
    value = "".join(value.split())
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _der_item(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of content, end) of the DER item at `at`."""
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(data[at:at + n], "big")
        at += n
    if at + length > len(data):
        raise ValueError("truncated DER")
    return tag, at, at + length


def _spki_of(der: bytes) -> bytes:
    """The SubjectPublicKeyInfo of an X.509 certificate, by walking its DER: the 7th field of
    tbsCertificate when the version [0] is present, else the 6th."""
    _, cert, _ = _der_item(der, 0)
    _, at, _ = _der_item(der, cert)  # tbsCertificate content
    fields = []
    while len(fields) < 7:
        tag, start, end = _der_item(der, at)
        fields.append((tag, at, end))
        at = end
    _, first, end = fields[6] if fields[0][0] == 0xA0 else fields[5]
    return der[first:end]


def _entry(der: bytes, kid: bytes | None, country: str) -> TrustEntry:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a negative serial number: still a signer
        try:
            cert = x509.load_der_x509_certificate(der)
            return TrustEntry(kid or kid_of(cert), cert, country)
        except ValueError:
            pass
    try:
        key = load_der_public_key(_spki_of(der))
    except (ValueError, IndexError, TypeError) as exc:
        raise ValueError(f"not an X.509 certificate ({exc})") from None
    return TrustEntry(kid or hashlib.sha256(der).digest()[:8], None, country, key, der)


def parse_trust_list(doc: Any, problems: list[str] | None = None) -> TrustList:
    """A trust list document -> TrustList. Accepts `{"certificates": [...]}` or a bare list;
    an entry without a kid gets the one computed from its certificate. An entry that cannot
    be read raises ValueError, or, when a `problems` list is given, is described there and
    left out (a batch verifier goes on with the other signers)."""
    items = doc.get("certificates") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ValueError("trust list: expected {\"certificates\": [...]}")
    entries = []
    for n, item in enumerate(items, 1):
        try:
            if not isinstance(item, dict) or not isinstance(item.get("rawData"), str):
                raise ValueError("rawData missing")
            kid = _b64decode(item["kid"]) if isinstance(item.get("kid"), str) else None
            entries.append(_entry(_b64decode(item["rawData"]), kid or None,
                                  str(item.get("country") or "")))
        except (ValueError, binascii.Error) as exc:
            if problems is None:
                raise ValueError(f"trust list entry {n}: {exc}") from None
            problems.append(f"trust list entry {n}: {exc}")
    return TrustList(tuple(entries))
