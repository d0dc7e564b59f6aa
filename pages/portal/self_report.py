"""Báo phản ứng sau tiêm · Report a reaction after vaccination (portal_paths.SELF_REPORT).

A citizen identifies with the identity number, full name and date of birth, picks one of their
doses of the last 28 days, and tells the reactions (a coded list, some words, whether they went
to hospital). callbacks.portal.self_report checks and records it; the report reaches the
district's AEFI list as self-reported.
"""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared.i18n import N_
from callbacks.shared.ids_portal import (
    SR_DOB,
    SR_DOSE,
    SR_FIND,
    SR_FORM,
    SR_HOSPITAL,
    SR_ID,
    SR_NAME,
    SR_ONSET,
    SR_REACTIONS,
    SR_STATUS,
    SR_SUBMIT,
    SR_TEXT,
)
from pages._components.labels import label
from pages.portal.citizen_form import day_input, field, group, identity, submit

MAX_TEXT = 1000  # data.citizen.self_report.MAX_TEXT


def _report_form() -> html.Div:
    return html.Div(
        [html.Fieldset(
            [label("portal.sr.about", html.Legend, className="pcf-legend"),
             group(SR_DOSE, N_("portal.sr.dose"), dcc.RadioItems(
                 id=SR_DOSE, options=[], value=None, className="form-radios pcf-choices",
                 labelClassName="pcf-choice")),
             field(SR_ONSET, N_("portal.sr.onset"), day_input(SR_ONSET)),
             group(SR_REACTIONS, N_("portal.sr.reactions"), dcc.Checklist(
                 id=SR_REACTIONS, options=[], value=[], className="pcf-checks",
                 labelClassName="pcf-check")),
             field(SR_TEXT, N_("portal.sr.text"), dcc.Textarea(
                 id=SR_TEXT, value="", maxLength=MAX_TEXT, rows=3,
                 className="form-input pcf-text"), N_("portal.sr.text_hint")),
             group(SR_HOSPITAL, N_("portal.sr.hospital"), dcc.Checklist(
                 id=SR_HOSPITAL, options=[], value=[], className="pcf-checks",
                 labelClassName="pcf-check")),
             *submit(SR_SUBMIT, N_("portal.sr.submit"))],
            className="pcf-section")],
        id=SR_FORM, hidden=True)


def layout() -> html.Div:
    """Identify, then the report form (shown once the doses are found)."""
    return html.Div(
        [label("portal.sr.title", html.H1, className="portal-h1"),
         label("portal.sr.intro", html.P, className="pcf-intro"),
         html.Div(
             [identity(SR_ID, SR_NAME, SR_DOB), *submit(SR_FIND, N_("portal.sr.find")),
              _report_form(),
              html.P(id=SR_STATUS, className="form-status pcf-status", role="status",
                     **{"aria-live": "polite"})],
             className="pcf-form")],
        className="portal-citizen portal-self-report")
