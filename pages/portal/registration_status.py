"""A registration's state (no sign-in): the code or the identity number, and the birth date."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import ids_portal as ids
from callbacks.shared import portal_paths
from pages._components.forms import button, text_field
from pages._components.labels import label


def layout() -> html.Div:
    """The look-up form and its answer."""
    return html.Div(
        [
            label("portal.regst.heading", html.H1, className="portal-h1"),
            label("portal.regst.intro", html.P, className="preg-hint"),
            html.Div(
                [text_field(ids.REGST_KEY, "portal.regst.key"),
                 text_field(ids.REGST_BIRTH_DATE, "portal.reg.birth_date",
                            autocomplete="bday"),
                 button(ids.REGST_SUBMIT, "portal.regst.submit")],
                className="preg-form", role="form"),
            html.Div(id=ids.REGST_RESULT, className="preg-state", role="status",
                     **{"aria-live": "polite"}),
            dcc.Link(label("portal.regst.register_link"), href=portal_paths.REGISTER,
                     className="preg-link"),
        ],
        className="preg-page",
    )
