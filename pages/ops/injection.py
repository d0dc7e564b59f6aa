"""Injection (Tiêm chủng): the screened people waiting, and for the one chosen the dose form:
the session's lot (first to expire preselected), the dose the schedule proposes (another one
needs a reason beside it), the injection site. Keyboard first: arrows choose in each list,
Tab moves between them, Enter anywhere in the form records the dose (assets/ops_injection.js).

Roles that serve nobody in person get the refusal alone; every read and the command are
scoped in the data layer (data.ops.queries.injection_desk, data.ops.commands.give_dose).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.viewer import viewer_operates
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/injection", name="Tiêm chủng",
    title="Tiêm chủng · Injection", order=52,
)


def _error(field_id: str) -> html.P:
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def _waiting() -> html.Section:
    return html.Section(
        [
            html.Div([label("ops.injection.waiting", html.H2),
                      html.Button(label("ops.injection.refresh"), id=ids.OPS_INJECTION_REFRESH,
                                  type="button", n_clicks=0,
                                  className="form-button form-button-secondary")],
                     className="ops-injection-head"),
            label("ops.injection.waiting_hint", html.P, className="panel-hint"),
            dcc.RadioItems(id=ids.OPS_INJECTION_PEOPLE, options=[], value=None,
                           className="ops-radio ops-people",
                           inputClassName="ops-radio-input", labelClassName="ops-radio-label"),
            _error(ids.OPS_INJECTION_PEOPLE),
        ],
        className="panel ops-injection-waiting",
    )


def _radio(field_id: str, legend: Component, inline: bool = False) -> html.Fieldset:
    # Short choices (doses, sites) sit in a row so the form fits a 1366x768 screen.
    return html.Fieldset(
        [legend,
         dcc.RadioItems(id=field_id, options=[], value=None,
                        className="ops-radio ops-radio-inline" if inline else "ops-radio",
                        inputClassName="ops-radio-input", labelClassName="ops-radio-label"),
         _error(field_id)],
        className="form-field ops-fieldset",
    )


def _dose() -> html.Div:
    # The override reason sits beside the dose: it is needed only when the dose differs.
    reason = html.Div(
        [label("ops.injection.reason", html.Label, htmlFor=ids.OPS_INJECTION_REASON,
               className="form-label"),
         dcc.Input(id=ids.OPS_INJECTION_REASON, type="text", value="", maxLength=500,
                   autoComplete="off", debounce=False, className="form-input"),
         label("ops.injection.reason_hint", html.P, className="panel-hint"),
         _error(ids.OPS_INJECTION_REASON)],
        className="form-field ops-reason")
    return html.Div([_radio(ids.OPS_INJECTION_DOSE, label(
        "ops.injection.dose", html.Legend, className="form-label"), inline=True), reason],
                    className="ops-dose-row")


def _form() -> html.Section:
    return html.Section(
        [
            html.Div(id=ids.OPS_INJECTION_PERSON, className="ops-injection-person"),
            html.Div([_radio(ids.OPS_INJECTION_LOT, label(
                "ops.injection.lot", html.Legend, className="form-label")), _dose(),
                      _radio(ids.OPS_INJECTION_SITE, label(
                          "ops.injection.site", html.Legend, className="form-label"), inline=True)],
                     className="ops-injection-fields"),
            html.P(id=ids.OPS_INJECTION_VACCINATOR, className="ops-vaccinator"),
            html.Div([html.Button(label("ops.injection.submit"), id=ids.OPS_INJECTION_SUBMIT,
                                  type="button", n_clicks=0,
                                  className="form-button form-button-primary"),
                      label("ops.injection.enter_hint", html.Span, className="panel-hint")],
                     className="form-actions"),
            _error(ids.OPS_INJECTION_SUBMIT),
            dcc.Store(id=ids.OPS_INJECTION_RECORD),
        ],
        id=ids.OPS_INJECTION_FORM, hidden=True, className="panel ops-injection-form",
    )


def _page() -> html.Main:
    return html.Main(
        [
            html.Div(label("ops.injection.title", html.H1), className="page-header"),
            html.P(id=ids.OPS_INJECTION_STATUS, className="ops-status", role="status",
                   **{"aria-live": "polite"}),
            html.Div([_waiting(), _form()], className="ops-injection-grid"),
            dcc.Store(id=ids.OPS_INJECTION_DONE),
        ],
        className="page page-ops",
    )


def _refusal() -> html.Main:
    # No form, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.injection.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The waiting list and the dose form for operations roles, the refusal for anyone else."""
    return _page() if viewer_operates() else _refusal()
