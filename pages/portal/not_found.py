"""A portal path with no page: say so, and lead back to the services."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import portal_paths
from pages._components.labels import label


def layout() -> html.Div:
    """The portal's 404 (the page's HTTP status is 200: Dash routes on the client)."""
    return html.Div(
        [label("portal.not_found", html.H1, className="portal-h1"),
         dcc.Link(label("portal.back_home"), href=portal_paths.HOME, className="portal-link")],
        className="portal-not-found",
    )
