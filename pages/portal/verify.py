"""The certificate verifier: a QR read by the camera (assets/portal_verify.js) or its text
pasted; callbacks.portal.verify checks it against the app's trust list."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared.i18n import N_
from callbacks.shared.ids_portal import (
    VERIFY_CAMERA_NOTE,
    VERIFY_INPUT,
    VERIFY_READER,
    VERIFY_RESULT,
    VERIFY_SCAN,
    VERIFY_SUBMIT,
)
from pages._components.labels import label

# The longest certificate text accepted (the gate refuses longer text values; a one-dose
# certificate is about 600 characters).
MAX_CODE = 2000


# The camera's states (assets/portal_verify.js shows one): labels, so they follow the page's
# language like the rest of it.
NOTES: tuple[tuple[str, str], ...] = (
    ("starting", N_("portal.verify.camera.starting")),
    ("scanning", N_("portal.verify.camera.scanning")),
    ("read", N_("portal.verify.camera.read")),
    ("stopped", N_("portal.verify.camera.stopped")),
    ("denied", N_("portal.verify.camera.denied")),
    ("unavailable", N_("portal.verify.camera.unavailable")),
)


def _notes() -> list[html.Span]:
    return [label(key, html.Span, hidden=True, **{"data-note": note}) for note, key in NOTES]


def layout() -> html.Div:
    """Camera button and reader, the code's text field, the answer."""
    return html.Div(
        [
            label("portal.verify.heading", html.H1, className="portal-h1"),
            label("portal.verify.intro", html.P, className="cert-intro"),
            html.Div(
                [
                    html.Button(label("portal.verify.scan"), id=VERIFY_SCAN, type="button",
                                className="cert-button cert-button-secondary"),
                    # The reader draws the camera's picture here (assets/portal_verify.js).
                    html.Div(id=VERIFY_READER, className="verify-reader"),
                    html.P(_notes(), id=VERIFY_CAMERA_NOTE, className="verify-camera-note",
                           **{"aria-live": "polite"}),
                ],
                className="verify-camera",
            ),
            html.Div(
                [
                    html.Label(label("portal.verify.paste"), htmlFor=VERIFY_INPUT,
                               className="cert-label"),
                    dcc.Input(id=VERIFY_INPUT, type="text", placeholder="HC1:...",
                              autoComplete="off", maxLength=MAX_CODE, debounce=False,
                              spellCheck=False, className="cert-input verify-input"),
                    html.Button(label("portal.verify.submit"), id=VERIFY_SUBMIT, n_clicks=0,
                                type="button", className="cert-button"),
                ],
                className="cert-form verify-form",
            ),
            html.Div(id=VERIFY_RESULT, className="verify-result", **{"aria-live": "polite"}),
        ],
        className="portal-verify",
    )
