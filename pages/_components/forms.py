"""Form fragments: a labelled field with its error right beside it, a labelled radio group."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import ids
from pages._components.labels import label


def _error(field_id: str) -> html.P:
    # Filled by the form's callback; a live region so screen readers announce it.
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def text_field(field_id: str, label_key: str, kind: str = "text",
               autocomplete: str = "off") -> html.Div:
    """A label, a text input (Enter submits through its n_submit) and its error line."""
    return html.Div(
        [
            label(label_key, html.Label, htmlFor=field_id, className="form-label"),
            dcc.Input(id=field_id, type=kind, autoComplete=autocomplete, spellCheck=False,
                      debounce=False, n_submit=0, className="form-input"),
            _error(field_id),
        ],
        className="form-field",
    )


def radio_field(field_id: str, legend_key: str) -> html.Fieldset:
    """A fieldset of radio buttons (options filled in the UI language) and its error line."""
    return html.Fieldset(
        [
            label(legend_key, html.Legend, className="form-label"),
            dcc.RadioItems(id=field_id, options=[], value=None, className="form-radios",
                           labelClassName="form-radio"),
            _error(field_id),
        ],
        className="form-field form-fieldset",
    )


def select_field(field_id: str, label_key: str) -> html.Div:
    """A searchable dropdown under a label, and its error line."""
    return html.Div(
        [
            label(label_key, html.Div, className="form-label"),
            dcc.Dropdown(id=field_id, options=[], value=None, clearable=True,
                         searchable=True, className="form-select"),
            _error(field_id),
        ],
        className="form-field",
    )


def button(button_id: str, label_key: str, kind: str = "primary") -> html.Button:
    """A form button (a real <button>, reachable with Tab and pressed with Enter or Space)."""
    return html.Button(label(label_key), id=button_id, n_clicks=0, type="button",
                       className=f"form-button form-button-{kind}")


def status(status_id: str) -> html.P:
    """The outcome line of a form."""
    return html.P(id=status_id, className="form-status", role="status")
