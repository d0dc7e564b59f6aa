"""What the verifier shows for one checked code: valid, expired or invalid, why, and what the
certificate says (the transliterated name, the dose, the issuer, the dates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import html

from callbacks.shared.i18n import N_, fmt_date, t
from callbacks.shared.ids_portal import VERIFY_STATUS
from data.catalog import VACCINE_BY_CODE
from data.certificates.valuesets import EU_CODES

# The verifier's reasons (data.certificates.verify) -> the sentence a citizen reads.
REASONS: dict[str, str] = {
    "ok": N_("portal.verify.reason.ok"),
    "expired": N_("portal.verify.reason.expired"),
    "not yet valid": N_("portal.verify.reason.not_yet_valid"),
    "no validity period": N_("portal.verify.reason.no_period"),
    "schema invalid": N_("portal.verify.reason.schema"),
    "unknown kid": N_("portal.verify.reason.unknown_kid"),
    "bad signature": N_("portal.verify.reason.signature"),
    "key usage does not allow this certificate type": N_("portal.verify.reason.usage"),
    "bad prefix": N_("portal.verify.reason.prefix"),
    "too long": N_("portal.verify.reason.too_long"),
}
DAMAGED = N_("portal.verify.reason.damaged")  # base45, zlib, CBOR, COSE: not a readable code
VALID, EXPIRED, INVALID = "valid", "expired", "invalid"
# A code's medicinal product (EU value set) -> the national catalogue's product name.
PRODUCTS: dict[str, str] = {codes.mp: VACCINE_BY_CODE[code].name
                            for code, codes in EU_CODES.items() if code in VACCINE_BY_CODE}


def status_of(valid: bool, verified: bool, expired: bool | None, reason: str) -> str:
    """valid (accept), expired (genuine but past its date), or invalid (do not accept: a
    well-signed code whose content breaks the schema is not accepted either)."""
    if valid and reason == "ok":
        return VALID
    return EXPIRED if verified and expired else INVALID


def reason_text(reason: str, lang: str | None) -> str:
    """The reason in the page's language (the verifier's own words for an unknown one)."""
    key = REASONS.get(reason, DAMAGED if reason.startswith("bad ") else None)
    return t(key, lang) if key else reason


def _day(value: Any, lang: str | None) -> str:
    if isinstance(value, dt.datetime):
        return fmt_date(value.date(), lang)
    if isinstance(value, str):
        try:
            return fmt_date(dt.date.fromisoformat(value[:10]), lang)
        except ValueError:
            return value[:40]
    return "—"


def _text(value: Any, limit: int = 80) -> str:
    return value[:limit] if isinstance(value, str) else "—"


def _row(key: str, value: str, lang: str | None) -> list[html.Div]:
    return [html.Dt(t(key, lang)), html.Dd(value)]


def decoded_rows(hcert: dict[str, Any], issuer: str | None, issued_at: dt.datetime | None,
                 expires_at: dt.datetime | None, lang: str | None) -> list[Any]:
    """The certificate's content as term/definition pairs (nothing is shown that is not in
    the code: the code carries no identity number)."""
    nam = hcert.get("nam") if isinstance(hcert.get("nam"), dict) else {}
    name = " ".join(_text(nam.get(k), 80) for k in ("fnt", "gnt") if isinstance(nam.get(k), str))
    rows = _row(N_("portal.verify.name"), name.replace("<", " ") or "—", lang)
    rows += _row(N_("portal.verify.birth_date"), _day(hcert.get("dob"), lang), lang)
    doses = hcert.get("v") if isinstance(hcert.get("v"), list) else []
    for entry in doses[:4]:
        if not isinstance(entry, dict):
            continue
        dn, sd = entry.get("dn"), entry.get("sd")
        rows += _row(N_("portal.verify.dose"),
                     t("portal.verify.dose_of", lang, dn=dn if isinstance(dn, int) else "?",
                       sd=sd if isinstance(sd, int) else "?"), lang)
        mp = _text(entry.get("mp"))
        rows += _row(N_("portal.verify.product"), PRODUCTS.get(mp, mp), lang)
        rows += _row(N_("portal.verify.given_on"), _day(entry.get("dt"), lang), lang)
        rows += _row(N_("portal.verify.cert_issuer"), _text(entry.get("is")), lang)
        rows += _row(N_("portal.verify.country"), _text(entry.get("co"), 2), lang)
        rows += _row(N_("portal.verify.cert_id"), _text(entry.get("ci")), lang)
    rows += _row(N_("portal.verify.issuer_country"), _text(issuer, 2), lang)
    rows += _row(N_("portal.verify.issued_at"), _day(issued_at, lang), lang)
    rows += _row(N_("portal.verify.expires_at"), _day(expires_at, lang), lang)
    return rows


def verdict(status: str, reason: str, hcert: dict[str, Any] | None, issuer: str | None,
            issued_at: dt.datetime | None, expires_at: dt.datetime | None,
            lang: str | None) -> html.Div:
    """The whole answer: a coloured verdict, the reason, then what the code says."""
    parts: list[Any] = [
        html.P(t(f"portal.verify.status.{status}", lang), className="verify-status",
               id=VERIFY_STATUS, **{"data-status": status}),
        html.P(reason_text(reason, lang), className="verify-reason"),
    ]
    if hcert is not None:
        parts.append(html.Dl(decoded_rows(hcert, issuer, issued_at, expires_at, lang),
                             className="verify-decoded"))
    return html.Div(parts, className=f"verify-verdict verify-{status}", role="status")


STATUS_KEYS = (N_("portal.verify.status.valid"), N_("portal.verify.status.expired"),
               N_("portal.verify.status.invalid"))
