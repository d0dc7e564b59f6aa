"""The certificate look-up's callbacks: the answer to the three factors, and the PDF.

The PDF is sent by the callback itself (dcc.Download) after the same look-up, from the same
three fields: there is no URL to fetch it by, so it cannot be had without the three factors.
Every look-up, the PDF's included, counts against the client's rate limit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate
from flask import request

from callbacks.portal import certificate_view as view
from callbacks.portal.certificate_pdf import SHEETS, render_pdf
from callbacks.portal.throttle import allow
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date
from callbacks.shared.ids_portal import (
    CERT_BIRTH,
    CERT_DOWNLOAD,
    CERT_NAME,
    CERT_PDF_A4,
    CERT_PDF_A6,
    CERT_PDF_NOTE,
    CERT_PERSON_ID,
    CERT_RESULT,
    CERT_SUBMIT,
)
from callbacks.shared.json_ready import as_dicts
from data.certificates.qr import qr_png_bytes
from data.portal.certificate_issue import CertificateUnavailable, Issued, look_up
from data.portal.certificate_lookup import parse_query
from data.services import Services

# Per client address (callbacks.portal.throttle); app.server.config overrides it.
LOOKUP_RATE_LIMIT = "10 per minute"
LOOKUP_LIMIT_KEY = "VX_CERT_LOOKUP_RATE_LIMIT"


def _lang(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def answer(services: Services, person_id: Any, full_name: Any, birth_date: Any,
           lang: str | None) -> tuple[Issued | None, Any]:
    """(the issued certificate or None, what the page shows)."""
    query, problems = parse_query(person_id, full_name, birth_date)
    if query is None:
        return None, view.form_problems(problems, lang)
    if not allow("certificate-lookup", LOOKUP_LIMIT_KEY, LOOKUP_RATE_LIMIT):
        return None, view.message(N_("portal.cert.too_many"), lang)
    try:
        issued = look_up(services, query, request.remote_addr)
    except CertificateUnavailable:
        return None, view.message(N_("portal.cert.unavailable"), lang)
    if issued is None:
        return None, view.not_found(lang)
    return issued, None


def _valid_until(issued: Issued, lang: str | None) -> str:
    return fmt_date(issued.expires_at.date(), lang)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the look-up and PDF callbacks to the portal app."""

    @app.callback(
        Output(CERT_RESULT, "children"),
        Input(CERT_SUBMIT, "n_clicks"),
        Input(CERT_PERSON_ID, "n_submit"),
        Input(CERT_NAME, "n_submit"),
        Input(CERT_BIRTH, "n_submit"),
        State(CERT_PERSON_ID, "value"),
        State(CERT_NAME, "value"),
        State(CERT_BIRTH, "value"),
        State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True,
    )
    def _look_up(_clicks: Any, _s1: Any, _s2: Any, _s3: Any, person_id: Any, full_name: Any,
                 birth_date: Any, lang: Any) -> Any:
        lang = _lang(lang)
        issued, shown = answer(services, person_id, full_name, birth_date, lang)
        if issued is None:
            return shown
        return as_dicts(view.certificate(issued.record, issued.hc1, _valid_until(issued, lang),
                                         lang))

    @app.callback(
        Output(CERT_DOWNLOAD, "data"),
        Output(CERT_PDF_NOTE, "children"),
        Input(CERT_PDF_A4, "n_clicks"),
        Input(CERT_PDF_A6, "n_clicks"),
        State(CERT_PERSON_ID, "value"),
        State(CERT_NAME, "value"),
        State(CERT_BIRTH, "value"),
        State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True,
    )
    def _pdf(a4: Any, a6: Any, person_id: Any, full_name: Any, birth_date: Any,
             lang: Any) -> tuple[Any, Any]:
        size = {CERT_PDF_A4: "A4", CERT_PDF_A6: "A6"}.get(str(ctx.triggered_id))
        clicks = a4 if size == "A4" else a6
        if size not in SHEETS or not isinstance(clicks, int) or clicks < 1:
            raise PreventUpdate
        lang = _lang(lang)
        issued, shown = answer(services, person_id, full_name, birth_date, lang)
        if issued is None:
            return no_update, shown
        # 8 px a module: sharp when the PDF scales it to its printed size.
        pdf = render_pdf(issued.record, qr_png_bytes(issued.hc1, scale=8), size, lang,
                         fmt_date(issued.issued_at.date(), lang))
        stamp = dt.date.today().strftime("%Y%m%d")
        return dcc.send_bytes(pdf, f"chung-nhan-tiem-chung-{size}-{stamp}.pdf"), None
