"""The citizen's certificate as the API answers it (callbacks.api.citizen_certificate)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class CitizenCertificateOut(BaseModel):
    """An EU Digital COVID Certificate: its HC1 text (the QR code's content, level Q) and its
    decoded entry (claim -260/1 of the signed CBOR Web Token)."""

    hc1: str = Field(description="HC1: + Base45(zlib(COSE_Sign1(CWT))), ES256")
    uvci: str = Field(description="The certificate identifier, URN:UVCI:01:VN:...")
    kid: str = Field(description="The signing key's id (base64), as in /api/v1/trust-list")
    issued_at: dt.datetime
    expires_at: dt.datetime = Field(description="12 months after issue (5772/QĐ-BYT)")
    hcert: dict[str, Any] = Field(description="The DCC: ver, nam, dob, v (EU value sets)")
