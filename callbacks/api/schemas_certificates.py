"""The trust list's shape: what EU DCC verifier apps read (kid and DER certificate, base64)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TrustCertificateOut(BaseModel):
    """One document signer."""

    kid: str = Field(description="key id: first 8 bytes of SHA-256 of the DER certificate, "
                                 "base64")
    rawData: str = Field(description="the X.509 certificate, DER, base64")  # noqa: N815
    country: str = Field(description="issuing country, ISO 3166-1 alpha-2")


class TrustListOut(BaseModel):
    """Every signer whose certificates are still to be verified, oldest first."""

    certificates: list[TrustCertificateOut]
