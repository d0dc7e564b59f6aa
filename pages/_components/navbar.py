"""The shell's top bar: title, page links, live indicator and the language switch."""

from __future__ import annotations

from dash import dcc, html

from callbacks import ids
from pages._components.labels import label

# (path, i18n key) of each page in the top bar, in order.
NAV_LINKS: tuple[tuple[str, str], ...] = (("/", "nav.progress"),)


def navbar() -> html.Header:
    """Top bar of every page."""
    return html.Header(
        [
            html.Div(
                [
                    html.Div("VX", className="brand-mark", **{"aria-hidden": "true"}),
                    html.Div(
                        [
                            label("app.title", html.Div, className="brand-title"),
                            label("app.subtitle", html.Div, className="brand-subtitle"),
                        ]
                    ),
                ],
                className="brand",
            ),
            html.Nav(
                [dcc.Link(label(key), href=path, className="nav-link") for path, key in NAV_LINKS],
                className="nav-links",
            ),
            html.Div(
                [
                    html.Span([html.Span(className="live-dot"), label("live")], className="live"),
                    dcc.RadioItems(
                        id=ids.SHELL_LANG_SWITCH,
                        options=[{"label": "VI", "value": "vi"}, {"label": "EN", "value": "en"}],
                        value=None,
                        inline=True,
                        className="lang-switch",
                        inputClassName="lang-input",
                        labelClassName="lang-option",
                    ),
                ],
                className="navbar-tools",
            ),
        ],
        id=ids.SHELL_NAVBAR,
        className="navbar",
    )
