"""A vaccination facility registers itself (no sign-in); an officer approves it later."""

from __future__ import annotations

from dash import html

from callbacks.shared import ids_portal as ids
from pages._components.forms import button, select_field, status, text_field
from pages._components.labels import label


def layout() -> html.Div:
    """The facility's form: what it is, where, how many a day, and whom to call."""
    return html.Div(
        [
            label("portal.fac.heading", html.H1, className="portal-h1"),
            label("portal.fac.intro", html.P, className="preg-hint"),
            html.Div(
                [
                    html.Fieldset(
                        [label("portal.fac.facility", html.Legend, className="preg-legend"),
                         text_field(ids.PFAC_NAME, "portal.fac.name", autocomplete="organization"),
                         select_field(ids.PFAC_KIND, "portal.fac.kind"),
                         select_field(ids.PFAC_PROVINCE, "portal.reg.province"),
                         select_field(ids.PFAC_DISTRICT, "portal.reg.district"),
                         select_field(ids.PFAC_WARD, "portal.reg.ward"),
                         text_field(ids.PFAC_ADDRESS, "portal.reg.address",
                                    autocomplete="street-address"),
                         text_field(ids.PFAC_CAPACITY, "portal.fac.capacity", kind="text")],
                        className="preg-group"),
                    html.Fieldset(
                        [label("portal.fac.contact", html.Legend, className="preg-legend"),
                         text_field(ids.PFAC_CONTACT_NAME, "portal.fac.contact_name",
                                    autocomplete="name"),
                         text_field(ids.PFAC_CONTACT_PHONE, "portal.fac.contact_phone",
                                    kind="tel", autocomplete="tel")],
                        className="preg-group"),
                    button(ids.PFAC_SUBMIT, "portal.fac.submit"),
                    status(ids.PFAC_STATUS),
                ],
                className="preg-form", role="form"),
        ],
        className="preg-page",
    )
