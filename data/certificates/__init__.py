"""Verifiable COVID-19 certificates: the EU Digital COVID Certificate (HCERT) format.

Shared by every face (portal look-up, API, ETL verifier). Public API:

- `sign_hc1(hcert, key, kid, issuer, issued_at, expires_at) -> str` (hc1): the QR text.
- `verify_hc1(text, trust, at=None) -> Verification` (verify): every step, never raises.
- `KeyStore(dir)`: `.create()`, `.active_signer() -> Signer`, `.certificates()`,
  `.trust_list() -> TrustList` (keys); `NoSigningKey`.
- `TrustList`, `TrustEntry`, `kid_of(cert)`, `parse_trust_list(doc)`, `trust_list_of(certs)`.
- `vaccination_dcc(...)`, `new_uvci()`, `icao_transliterate(name)` (dcc, icao).
- `issue_for_person(...) -> IssuedCertificate` (issue), `qr_svg_data_uri(text)` (qr).
"""
