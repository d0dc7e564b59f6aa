"""Form pieces of the portal's citizen pages (self-report, health declaration): the three
fields a citizen identifies with, and fields whose options the callbacks fill in the page's
language. Each field has its error line right under it (ids.field_error)."""

from __future__ import annotations

from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from pages._components.labels import label

MAX_ID = 20
MAX_NAME = 200


def error(field_id: str) -> html.P:
    """The error line of a field (a live region: screen readers announce it)."""
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def field(field_id: str, label_key: str, widget: Component, hint_key: str | None = None
          ) -> html.Div:
    """A label, an optional hint, the widget and its error line."""
    parts: list[Component] = [label(label_key, html.Label, htmlFor=field_id,
                                    className="form-label")]
    if hint_key:
        parts.append(label(hint_key, html.P, className="pcf-hint"))
    return html.Div([*parts, widget, error(field_id)], className="form-field pcf-field")


def group(field_id: str, legend_key: str, widget: Component) -> html.Fieldset:
    """A fieldset (checkboxes, radios) with its legend and error line."""
    return html.Fieldset([label(legend_key, html.Legend, className="form-label"), widget,
                          error(field_id)], className="form-field form-fieldset pcf-field")


def day_input(field_id: str, autocomplete: str = "off") -> dcc.Input:
    """A date typed as dd/mm/yyyy (a phone's numeric keyboard; native date pickers make a
    birth date forty years back a long scroll)."""
    return dcc.Input(id=field_id, type="text", inputMode="numeric", placeholder="dd/mm/yyyy",
                     maxLength=10, autoComplete=autocomplete, n_submit=0,
                     className="form-input pcf-day")


def identity(id_field: str, name_field: str, dob_field: str) -> html.Fieldset:
    """Identity number, full name and date of birth, as on the identity card."""
    number = dcc.Input(id=id_field, type="text", inputMode="text", maxLength=MAX_ID,
                       autoComplete="off", spellCheck=False, n_submit=0,
                       className="form-input")
    name = dcc.Input(id=name_field, type="text", maxLength=MAX_NAME, autoComplete="name",
                     spellCheck=False, n_submit=0, className="form-input")
    return html.Fieldset(
        [label("portal.citizen.who", html.Legend, className="pcf-legend"),
         label("portal.citizen.who_hint", html.P, className="pcf-hint"),
         field(id_field, N_("portal.citizen.id_number"), number),
         field(name_field, N_("portal.citizen.full_name"), name),
         field(dob_field, N_("portal.citizen.dob"), day_input(dob_field, "bday"))],
        className="pcf-section")


def submit(button_id: str, label_key: str) -> list[Component]:
    """The form's button and the error line of a problem no field owns."""
    return [html.Button(label(label_key), id=button_id, n_clicks=0, type="button",
                        className="form-button form-button-primary pcf-submit"),
            error(button_id)]
