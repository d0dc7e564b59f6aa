"""Check-in (Đón tiếp): one search field a USB scanner types into and submits with Enter;
the people found, their earlier doses and the dose due next.

Roles that serve nobody in person (ministry leader, administrator) get the refusal alone; the
search itself is scoped in the data layer (data.ops.commands.checkin.find_person).
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
    __name__, path="/ops/checkin", name="Đón tiếp",
    title="Đón tiếp · Check-in", order=50,
)


def _search() -> html.Div:
    # autoFocus: the desk scans without touching the mouse; Enter (n_submit) searches.
    return html.Div(
        [
            label("ops.checkin.search", html.Label, htmlFor=ids.OPS_CHECKIN_SEARCH,
                  className="form-label"),
            dcc.Input(id=ids.OPS_CHECKIN_SEARCH, type="search", autoFocus=True,
                      autoComplete="off", spellCheck=False, debounce=False, n_submit=0,
                      className="form-input ops-search-input"),
            label("ops.checkin.hint", html.P, className="panel-hint"),
            html.P(id=ids.field_error(ids.OPS_CHECKIN_SEARCH), className="form-error",
                   role="alert", **{"aria-live": "assertive"}),
        ],
        className="form-field ops-search",
    )


def _page() -> html.Main:
    return html.Main(
        [
            html.Div(label("ops.checkin.title", html.H1), className="page-header"),
            html.Section(_search(), className="panel"),
            dcc.Loading(html.Div(id=ids.OPS_CHECKIN_RESULTS, className="ops-results",
                                 role="region", **{"aria-live": "polite"}), type="dot"),
        ],
        className="page page-ops",
    )


def _refusal() -> html.Main:
    # No search field, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.checkin.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The search and its results for operations roles, the refusal for anyone else."""
    return _page() if viewer_operates() else _refusal()
