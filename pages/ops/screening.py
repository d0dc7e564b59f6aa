"""Screening (Khám sàng lọc): the queue of people checked in today and not yet screened, and
the checklist of the rule set in force for the one opened, generated from the rule set's data
(callbacks.ops.screening builds it). Keyboard first: the queue holds the focus, arrows or the
arrival number pick, Enter opens; C/K answer an item; Enter saves.

Roles that serve nobody in person get the refusal alone; the queue is scoped in the data
layer (data.ops.queries.screening_queue).
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
    __name__, path="/ops/screening", name="Khám sàng lọc",
    title="Khám sàng lọc · Screening", order=51,
)


def _facility() -> html.Div:
    # Facility staff leave it empty (their own facility); officers type one of their area.
    return html.Div(
        [label("ops.screening.facility", html.Label, htmlFor=ids.OPS_SCREENING_FACILITY,
               className="form-label"),
         html.Div([dcc.Input(id=ids.OPS_SCREENING_FACILITY, type="text", debounce=True,
                             autoComplete="off", spellCheck=False, maxLength=32,
                             className="form-input ops-facility-input"),
                   html.Button(label("ops.screening.refresh"), id=ids.OPS_SCREENING_REFRESH,
                               n_clicks=0, type="button",
                               className="form-button form-button-secondary")],
                  className="ops-facility-row"),
         label("ops.screening.facility_hint", html.P, className="panel-hint"),
         html.P(id=ids.field_error(ids.OPS_SCREENING_FACILITY), className="form-error",
                role="alert")],
        className="form-field")


def _queue() -> html.Section:
    return html.Section(
        [label("ops.screening.queue", html.H2),
         _facility(),
         html.P(id=ids.OPS_SCREENING_QUEUE_INFO, className="ops-queue-info", role="status"),
         dcc.RadioItems(id=ids.OPS_SCREENING_QUEUE, options=[], value=None,
                        className="ops-queue"),
         html.P(id=ids.field_error(ids.OPS_SCREENING_QUEUE), className="form-error",
                role="alert", **{"aria-live": "assertive"}),
         html.Button(label("ops.screening.open"), id=ids.OPS_SCREENING_OPEN, n_clicks=0,
                     type="button", className="form-button form-button-primary"),
         label("ops.screening.queue_hint", html.P, className="panel-hint")],
        className="panel ops-queue-panel")


def _page() -> html.Main:
    return html.Main(
        [html.Div(label("ops.screening.title", html.H1), className="page-header"),
         html.Div(
             [_queue(),
              html.Section(
                  [html.P(id=ids.OPS_SCREENING_STATUS, className="ops-screen-status",
                          role="status", **{"aria-live": "polite"}),
                   html.Div(label("ops.screening.pick", html.P, className="panel-hint"),
                            id=ids.OPS_SCREENING_FORM, className="ops-screen-form")],
                  className="panel ops-form-panel")],
             className="ops-screening"),
         dcc.Store(id=ids.OPS_SCREENING_SUBJECT), dcc.Store(id=ids.OPS_SCREENING_COMPUTED),
         dcc.Store(id=ids.OPS_SCREENING_SAVED, data=0), dcc.Store(id=ids.OPS_SCREENING_FOCUS),
         dcc.Store(id=ids.OPS_SCREENING_FOCUSED)],
        className="page page-ops page-ops-screening",
    )


def _refusal() -> html.Main:
    # No queue, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.screening.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The queue and the form for operations roles, the refusal for anyone else."""
    return _page() if viewer_operates() else _refusal()
