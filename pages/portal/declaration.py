"""Khai báo y tế · Daily health declaration (portal_paths.DECLARATION).

A short daily form: who you are (identity number, full name, date of birth), symptoms from a
coded list, a close contact yes/no, travel yes/no and to which province. One per person per
day: declaring again the same day replaces the day's answers (data.citizen.declaration).
callbacks.portal.declaration fills the options in the page's language and records it.
"""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared.i18n import N_
from callbacks.shared.ids_portal import (
    DC_CONTACT,
    DC_DOB,
    DC_ID,
    DC_NAME,
    DC_PROVINCE,
    DC_PROVINCE_FIELD,
    DC_STATUS,
    DC_SUBMIT,
    DC_SYMPTOMS,
    DC_TRAVEL,
)
from pages._components.labels import label
from pages.portal.citizen_form import error, group, identity, submit


def _yes_no(field_id: str) -> dcc.RadioItems:
    return dcc.RadioItems(id=field_id, options=[], value=None, inline=True,
                          className="form-radios pcf-yesno", labelClassName="pcf-choice")


def layout() -> html.Div:
    """The declaration form."""
    province = html.Div(
        [label("portal.dc.province", html.Div, className="form-label"),
         dcc.Dropdown(id=DC_PROVINCE, options=[], value=None, clearable=True,
                      searchable=True, className="form-select pcf-select"),
         error(DC_PROVINCE)],
        id=DC_PROVINCE_FIELD, className="form-field pcf-field", hidden=True)
    return html.Div(
        [label("portal.dc.title", html.H1, className="portal-h1"),
         label("portal.dc.intro", html.P, className="pcf-intro"),
         html.Div(
             [identity(DC_ID, DC_NAME, DC_DOB),
              html.Fieldset(
                  [label("portal.dc.today", html.Legend, className="pcf-legend"),
                   group(DC_SYMPTOMS, N_("portal.dc.symptoms"), dcc.Checklist(
                       id=DC_SYMPTOMS, options=[], value=[], className="pcf-checks",
                       labelClassName="pcf-check")),
                   group(DC_CONTACT, N_("portal.dc.contact"), _yes_no(DC_CONTACT)),
                   group(DC_TRAVEL, N_("portal.dc.travel"), _yes_no(DC_TRAVEL)),
                   province,
                   *submit(DC_SUBMIT, N_("portal.dc.submit"))],
                  className="pcf-section"),
              html.P(id=DC_STATUS, className="form-status pcf-status", role="status",
                     **{"aria-live": "polite"})],
             className="pcf-form")],
        className="portal-citizen portal-declaration")
