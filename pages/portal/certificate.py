"""The certificate look-up: identity number, full name and date of birth together; the answer
(the doses, the signed QR, the PDF links) is filled in by callbacks.portal.certificate."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared.i18n import N_
from callbacks.shared.ids_portal import (
    CERT_BIRTH,
    CERT_DOWNLOAD,
    CERT_NAME,
    CERT_PERSON_ID,
    CERT_RESULT,
    CERT_SUBMIT,
)
from pages._components.labels import label


def _field(key: str, control: dcc.Input, hint: str | None = None) -> html.Div:
    parts = [html.Label(label(key), htmlFor=control.id, className="cert-label"), control]
    if hint:
        parts.append(label(hint, html.Small, className="cert-hint"))
    return html.Div(parts, className="cert-field")


def form() -> html.Div:
    """The three factors and the button (Enter in any field looks up too)."""
    return html.Div(
        [
            _field(N_("portal.cert.person_id"), dcc.Input(
                id=CERT_PERSON_ID, type="text", inputMode="numeric", autoComplete="off",
                maxLength=20, debounce=False, className="cert-input")),
            _field(N_("portal.cert.full_name"), dcc.Input(
                id=CERT_NAME, type="text", autoComplete="name", maxLength=200,
                debounce=False, className="cert-input"), N_("portal.cert.full_name_hint")),
            _field(N_("portal.cert.birth_date"), dcc.Input(
                id=CERT_BIRTH, type="text", inputMode="numeric", autoComplete="bday",
                placeholder="dd/mm/yyyy", maxLength=10, debounce=False,
                className="cert-input"), N_("portal.cert.birth_date_hint")),
            html.Button(label("portal.cert.submit"), id=CERT_SUBMIT, n_clicks=0,
                        className="cert-button", type="button"),
        ],
        className="cert-form",
    )


def layout() -> html.Div:
    """The look-up form, then its answer."""
    return html.Div(
        [
            label("portal.cert.heading", html.H1, className="portal-h1"),
            label("portal.cert.intro", html.P, className="cert-intro"),
            form(),
            # The answer is announced to screen readers when it changes.
            html.Div(id=CERT_RESULT, className="cert-result", **{"aria-live": "polite"}),
            dcc.Download(id=CERT_DOWNLOAD),
        ],
        className="portal-certificate",
    )
