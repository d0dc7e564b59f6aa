"""Observation after the injection (Theo dõi sau tiêm): today's people in their 30 minutes with
a countdown each, released with one key; a reaction opens an AEFI report of the dose.

The board is drawn by callbacks.ops.observation every few seconds; the countdown ticks in the
browser (assets/ops_observation.js). Roles that serve nobody in person get the refusal alone.
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
    __name__, path="/ops/observation", name="Theo dõi sau tiêm",
    title="Theo dõi sau tiêm · Observation", order=54,
)

REFRESH_MS = 10_000  # the board from the server; the countdown itself ticks each second


def _page() -> html.Main:
    return html.Main(
        [
            html.Div(label("ops.obs.title", html.H1), className="page-header"),
            label("ops.obs.hint", html.P, className="panel-hint"),
            html.P(id=ids.OPS_OBS_STATUS, className="ops-obs-status", role="status",
                   **{"aria-live": "polite"}),
            html.Section(id=ids.OPS_OBS_FORM, className="panel ops-obs-form", hidden=True),
            html.Section([label("ops.obs.board", html.H2),
                          html.Div(id=ids.OPS_OBS_BOARD, className="ops-obs-board",
                                   **{"aria-live": "off"})],
                         className="panel"),
            dcc.Interval(id=ids.OPS_OBS_TICK, interval=REFRESH_MS),
            dcc.Store(id=ids.OPS_OBS_DONE, data=0),
            dcc.Store(id=ids.OPS_OBS_ROWS, data={}),
            dcc.Store(id=ids.OPS_OBS_DOSE, data=None),
        ],
        className="page page-ops page-ops-observation",
    )


def _refusal() -> html.Main:
    # No board, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.obs.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The board and the reaction form for operations roles, the refusal for anyone else."""
    return _page() if viewer_operates() else _refusal()
