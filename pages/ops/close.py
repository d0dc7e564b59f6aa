"""Closing a session (Kết thúc buổi tiêm), `/ops/close?session=<id>`: the session, per lot the
doses given (counted by the platform), the vials opened typed per lot, the open-vial wastage
computed as it is typed, and one confirmation that closes the session and writes its stock
movements on the facility's warehouse.

Roles that serve nobody in person get the refusal alone; scope is checked in the data layer
(data.ops.commands.closing).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.viewer import viewer_operates
from pages._components.forms import button, status
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/close", name="Kết thúc buổi tiêm",
    title="Kết thúc buổi tiêm · Close the session", order=55,
)
MAX_SESSION_ID = 64  # a longer value is no session id; the callback says so


def _page(session: str) -> html.Main:
    # The lots' inputs come with the session (callbacks.ops.close): the first one takes the
    # focus, Tab walks the lots, Enter in any of them confirms, as the button does.
    return html.Main(
        [
            html.Div(label("ops.close.title", html.H1), className="page-header"),
            dcc.Store(id=ids.OPS_CLOSE_SESSION, data=session),
            dcc.Store(id=ids.OPS_CLOSE_LOT_DATA, data=[]),
            html.Section(
                [html.Div(id=ids.OPS_CLOSE_HEAD, className="ops-close-head"),
                 html.P(id=ids.field_error(ids.OPS_CLOSE_SESSION), className="form-error",
                        role="alert", **{"aria-live": "assertive"})],
                className="panel"),
            html.Section(
                [label("ops.close.hint", html.P, className="panel-hint"),
                 # No dcc.Loading here: it hides its children while any callback writing
                 # into them runs, which takes the focus away from the field being typed in.
                 html.Div(id=ids.OPS_CLOSE_LOTS, className="ops-close-lots"),
                 html.Div(button(ids.OPS_CLOSE_CONFIRM, "ops.close.confirm"),
                          className="form-actions"),
                 status(ids.OPS_CLOSE_RESULT)],
                className="panel ops-close-form"),
        ],
        className="page page-ops",
    )


def _refusal() -> html.Main:
    # No form, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.close.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(session: object = None, **_query: Any) -> Component:
    """The closing form of `?session=` for operations roles, the refusal for anyone else."""
    if not viewer_operates():
        return _refusal()
    return _page(session[:MAX_SESSION_ID + 1] if isinstance(session, str) else "")
