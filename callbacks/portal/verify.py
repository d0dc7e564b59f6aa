"""The verifier's callback: the code typed, pasted or read by the camera, checked against the
app's trust list (data.portal.certificate_verify), shown as valid / expired / invalid."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, html
from flask import request

from callbacks.portal import verify_view as view
from callbacks.portal.throttle import allow
from callbacks.shared import ids
from callbacks.shared.i18n import t
from callbacks.shared.ids_portal import VERIFY_INPUT, VERIFY_RESULT, VERIFY_SUBMIT
from data.portal.certificate_verify import verify_code
from data.services import Services

# Each check writes an audit entry: a client may not flood the log (app.server.config
# overrides the limit).
VERIFY_RATE_LIMIT = "30 per minute"
VERIFY_LIMIT_KEY = "VX_CERT_VERIFY_RATE_LIMIT"


def check(services: Services, code: Any, lang: str | None) -> html.Div | html.P:
    """What the page shows for `code`."""
    text = code.strip() if isinstance(code, str) else ""
    if not text:
        return html.P(t("portal.verify.empty", lang), className="cert-message", role="alert")
    if not allow("certificate-verify", VERIFY_LIMIT_KEY, VERIFY_RATE_LIMIT):
        return html.P(t("portal.verify.too_many", lang), className="cert-message",
                      role="alert")
    result = verify_code(services, text, request.remote_addr)
    status = view.status_of(result.valid, result.verified, result.expired, result.reason)
    # What an untrusted code says is not shown: it would look like a certificate's content.
    hcert = result.hcert if result.verified else None
    return view.verdict(status, result.reason, hcert, result.issuer, result.issued_at,
                        result.expires_at, lang)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the verifier's callback to the portal app."""

    @app.callback(
        Output(VERIFY_RESULT, "children"),
        Input(VERIFY_SUBMIT, "n_clicks"),
        Input(VERIFY_INPUT, "n_submit"),
        State(VERIFY_INPUT, "value"),
        State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True,
    )
    def _verify(_clicks: Any, _submitted: Any, code: Any, lang: Any) -> Any:
        return check(services, code, lang if isinstance(lang, str) else None)
