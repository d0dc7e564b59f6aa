"""The page for an address the app does not have (Dash Pages shows `not_found_404`): in the
app's look and language, with a way back to the dashboard."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from pages._components.labels import label

dash.register_page(__name__, path="/404", title="404 · Không tìm thấy trang · Page not found")


def layout(**_query: Any) -> html.Main:
    """The not-found notice; the shell puts its texts in the chosen language."""
    return html.Main(
        html.Section(
            [
                html.Div("404", className="not-found-code", **{"aria-hidden": "true"}),
                label("notfound.title", html.H1),
                label("notfound.body", html.P, className="not-found-body"),
                dcc.Link(label("notfound.back"), href="/", className="not-found-link"),
            ],
            className="panel not-found",
        ),
        className="page not-found-page",
    )
