"""What the look-up shows: a form problem, the one "not found", or the certificate (holder,
doses, the signed QR with its text, the PDF buttons)."""

from __future__ import annotations

from typing import Any

from dash import html

from callbacks.shared.codes import code_text
from callbacks.shared.i18n import N_, fmt_date, t
from callbacks.shared.ids_portal import CERT_HC1, CERT_PDF_A4, CERT_PDF_A6, CERT_PDF_NOTE
from data.portal.certificate_lookup import Dose, PersonRecord, mask_person_id

FIELD_PROBLEMS: dict[str, str] = {
    "person_id": N_("portal.cert.invalid.person_id"),
    "full_name": N_("portal.cert.invalid.full_name"),
    "birth_date": N_("portal.cert.invalid.birth_date"),
}


def message(key: str, lang: str | None) -> html.P:
    """One notice (not found, too many look-ups, cannot issue now)."""
    return html.P(t(key, lang), className="cert-message", role="alert")


def not_found(lang: str | None) -> html.P:
    """The single answer for an unknown number, a wrong name and a wrong date of birth: it
    echoes nothing the visitor typed, so the three cannot be told apart."""
    return message(N_("portal.cert.not_found"), lang)


def form_problems(fields: list[str], lang: str | None) -> html.Div:
    """The fields whose shape is wrong (nothing was looked up)."""
    return html.Div([html.P(t(FIELD_PROBLEMS[f], lang), className="cert-message-field")
                     for f in fields], role="alert")


def dose_heading(ordinal: int, dose: Dose, lang: str | None) -> str:
    """"Dose 3 · 9 Dec 2021 · Booster": the dose's place in the person's history (a booster's
    own number restarts at 1, which would read as a first dose), its day, and its kind when
    it is not part of the primary series."""
    parts = [t("portal.cert.dose_n", lang, n=ordinal), fmt_date(dose.given_on, lang)]
    if dose.dose_kind != "PRIMARY":
        parts.append(code_text("dose_kind", dose.dose_kind, lang))
    return " · ".join(parts)


def _holder(record: PersonRecord, lang: str | None) -> html.Dl:
    pairs = ((N_("portal.cert.full_name"), record.full_name),
             (N_("portal.cert.birth_date"), fmt_date(record.birth_date, lang)),
             (N_("portal.cert.id_short"), mask_person_id(record.person_id)))
    items: list[Any] = []
    for key, value in pairs:
        items += [html.Dt(t(key, lang)), html.Dd(value)]
    return html.Dl(items, className="cert-holder")


def _doses(record: PersonRecord, lang: str | None) -> html.Div:
    return html.Div([
        html.H2(t("portal.cert.doses", lang)),
        html.Ol([
            html.Li([
                html.Div(dose_heading(n, d, lang), className="cert-dose-head"),
                html.Div(d.product, className="cert-dose-product"),
                html.Div(d.facility, className="cert-dose-place"),
            ], className="cert-dose")
            for n, d in enumerate(record.doses, 1)], className="cert-doses"),
    ])


def certificate(record: PersonRecord, hc1: str, valid_until: str, lang: str | None
                ) -> html.Div:
    """The certificate card. The browser draws the QR code of `hc1`
    (assets/portal_certificate_qr.js)."""
    qr = html.Div([
        html.H2(t("portal.cert.qr_heading", lang)),
        html.Img(alt=t("portal.cert.qr_alt", lang), **{"data-hc1": hc1}),
        html.P(t("portal.cert.valid_until", lang, date=valid_until), className="cert-qr-note"),
        html.P(t("portal.cert.qr_note", lang), className="cert-qr-note"),
        # The code as text: to copy into another app, or into the verifier by hand.
        html.Details([html.Summary(t("portal.cert.show_code", lang)),
                      html.Pre(hc1, id=CERT_HC1)], className="cert-code"),
    ], className="cert-qr")
    pdf = html.Div([
        html.H2(t("portal.cert.pdf_heading", lang)),
        html.Div([
            html.Button(t("portal.cert.pdf_a4", lang), id=CERT_PDF_A4, n_clicks=0,
                        type="button", className="cert-button cert-button-secondary"),
            html.Button(t("portal.cert.pdf_a6", lang), id=CERT_PDF_A6, n_clicks=0,
                        type="button", className="cert-button cert-button-secondary"),
        ], className="cert-pdf"),
        html.Div(id=CERT_PDF_NOTE),
    ])
    return html.Div([
        html.H2(t("portal.cert.holder", lang)),
        _holder(record, lang),
        qr,
        _doses(record, lang),
        pdf,
    ], className="cert-card")
