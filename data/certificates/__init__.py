"""Verifiable COVID-19 certificates: the EU Digital COVID Certificate (HCERT) format.

Shared by every face (portal look-up, API, ETL verifier). Public API (stable names):

- hc1: `sign_hc1(hcert, key, kid, issuer, issued_at, expires_at) -> str` (the QR text),
  `decode_to_cose(text) -> bytes`, `encode_hc1(cose) -> str`, `PREFIX`.
- verify: `verify_hc1(text, trust, at=None) -> Verification` (every step, never raises);
  `Verification.to_json()` -> {verified, expired, reason, kid, hcert}; `.valid`.
- checks: `verify_and_record(engine, text, trust, actor, at=None)` (audited verification).
- keys: `KeyStore(dir)`: `.create(now)`, `.active_signer() -> Signer`, `.active_kid()`,
  `.certificates()`, `.trust_list() -> TrustList`; `NoSigningKey`.
- trust: `TrustList(entries)` (`.to_json()`, `.for_kid(kid)`), `TrustEntry`, `kid_of(cert)`,
  `parse_trust_list(doc)`, `trust_list_of(certs)`.
- issue: `issue_for_person(services, person_id, now=None, actor=SYSTEM) -> IssuedCertificate`
  (hc1, payload, uvci, issued_at, expires_at, kid, reprinted), `issue_with(engine, keys, ...)`,
  `key_store(settings)`, `issued_for_person(conn, person_id)`, `NoCertifiableDose`.
- dcc / icao / valuesets: `vaccination_dcc(...)`, `new_uvci()`, `icao_transliterate(name)`,
  `EU_CODES`.
- qr: `qr_png_data_uri(hc1)`, `qr_png_bytes(hc1)` (error level Q), `read_qr(image)`.
"""
