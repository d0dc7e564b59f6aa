"""Frame of the administrators' pages: the page itself for administrators, the refusal alone
for everyone else (decided when the layout is built, from the signed-in user)."""

from __future__ import annotations

from collections.abc import Callable

from dash import html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.viewer import viewer_is_admin
from pages._components.labels import label


def refusal(title_key: str) -> html.Main:
    """The page's title and 'you do not have permission', nothing else: no form, no table,
    so no callback of the page runs (and none is refused with a 403)."""
    return html.Main(
        [html.Div(label(title_key, html.H1), className="page-header"),
         html.Div(label("admin.denied", html.P), id=ids.ADMIN_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-admin page-admin-denied",
    )


def admin_page(title_key: str, build: Callable[[], Component]) -> Component:
    """`build()` for an administrator, else the refusal."""
    return build() if viewer_is_admin() else refusal(title_key)
