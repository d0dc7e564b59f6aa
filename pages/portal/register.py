"""Self-registration for vaccination (no sign-in), and an organisation's list upload.

The fields are the interchange registration record's (docs/interchange.md, registrations);
each error shows beside its field. The form ends with a small sum to work out (a server-signed
challenge, no third party) and, once accepted, the registration code in a block that prints
on its own (assets/portal_register.css, @media print).
"""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import ids_portal as ids
from callbacks.shared import portal_paths
from callbacks.shared.ids import field_error
from pages._components.forms import button, radio_field, select_field, status, text_field
from pages._components.labels import label


def _person() -> html.Fieldset:
    return html.Fieldset(
        [
            label("portal.reg.person", html.Legend, className="preg-legend"),
            radio_field(ids.REG_ID_TYPE, "portal.reg.id_type"),
            text_field(ids.REG_PERSON_ID, "portal.reg.person_id"),
            text_field(ids.REG_FULL_NAME, "portal.reg.full_name", autocomplete="name"),
            text_field(ids.REG_BIRTH_DATE, "portal.reg.birth_date", autocomplete="bday"),
            radio_field(ids.REG_SEX, "portal.reg.sex"),
            text_field(ids.REG_PHONE, "portal.reg.phone", kind="tel", autocomplete="tel"),
            select_field(ids.REG_PRIORITY, "portal.reg.priority"),
        ],
        className="preg-group",
    )


def _place() -> html.Fieldset:
    return html.Fieldset(
        [
            label("portal.reg.place", html.Legend, className="preg-legend"),
            select_field(ids.REG_PROVINCE, "portal.reg.province"),
            select_field(ids.REG_DISTRICT, "portal.reg.district"),
            select_field(ids.REG_WARD, "portal.reg.ward"),
            text_field(ids.REG_ADDRESS, "portal.reg.address", autocomplete="street-address"),
            select_field(ids.REG_FACILITY, "portal.reg.facility"),
        ],
        className="preg-group",
    )


def challenge() -> html.Div:
    """The sum to work out: its question (filled by the callback) and the answer's field."""
    return html.Div(
        [
            html.P(id=ids.REG_CHALLENGE_QUESTION, className="preg-question",
                   **{"aria-live": "polite"}),
            text_field(ids.REG_CHALLENGE_ANSWER, "portal.reg.challenge_answer",
                       kind="text"),
            dcc.Store(id=ids.REG_CHALLENGE_TOKEN),
        ],
        className="preg-challenge",
    )


def _organisation() -> html.Details:
    return html.Details(
        [
            label("portal.reg.org_heading", html.Summary, className="preg-summary"),
            label("portal.reg.org_intro", html.P, className="preg-hint"),
            text_field(ids.REG_ORG_NAME, "portal.reg.org_name", autocomplete="organization"),
            text_field(ids.REG_ORG_CONTACT, "portal.reg.org_contact"),
            html.Div(
                [dcc.Upload(id=ids.REG_ORG_UPLOAD, multiple=False,
                            accept=".csv,.xlsx,.jsonl", className="preg-upload",
                            children=html.Button(label("portal.reg.org_pick"), type="button",
                                                 className="form-button form-button-secondary")),
                 html.P(id=field_error(ids.REG_ORG_UPLOAD), className="form-error", role="alert")],
                className="form-field"),
            status(ids.REG_ORG_STATUS),
            html.Div(id=ids.REG_ORG_REJECTS, className="preg-rejects"),
        ],
        className="preg-org",
    )


def layout() -> html.Div:
    """The registration form, its result, and the organisations' upload."""
    return html.Div(
        [
            label("portal.reg.heading", html.H1, className="portal-h1"),
            label("portal.reg.intro", html.P, className="preg-hint"),
            dcc.Link(label("portal.reg.status_link"), href=portal_paths.REGISTRATION_STATUS,
                     className="preg-link"),
            # A div, not a <form>: Enter in a field must not make the browser post the page.
            html.Div(
                [_person(), _place(), challenge(),
                 button(ids.REG_SUBMIT, "portal.reg.submit"), status(ids.REG_STATUS)],
                id=ids.REG_FORM, className="preg-form", role="form"),
            html.Div(
                [html.Div(id=ids.REG_RESULT, **{"aria-live": "polite"}),
                 button(ids.REG_PRINT, "portal.reg.print", kind="secondary")],
                id=f"{ids.REG_RESULT}-block", className="preg-result", hidden=True),
            dcc.Store(id=ids.REG_PRINTED),
            _organisation(),
        ],
        className="preg-page",
    )
