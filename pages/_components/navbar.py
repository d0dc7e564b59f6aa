"""The shell's top bar: title, page links, live indicator, language switch, user menu."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from pages._components.labels import label

# (path, i18n key) of each page in the top bar, in order.
NAV_LINKS: tuple[tuple[str, str], ...] = (
    ("/", N_("nav.progress")), ("/allocation", N_("nav.allocation")), ("/aefi", N_("nav.aefi")),
    ("/facilities", N_("nav.facilities")), ("/reports", N_("nav.reports")),
)
# Flask routes of callbacks.shared.security (full page loads, not Dash pages).
PASSWORD_HREF = "/account/password"
LOGOUT_ACTION = "/logout"


def user_menu(display_name: str, csrf_token: str) -> html.Div:
    """Who is signed in, a link to change the password, and sign-out (a POST with the token)."""
    return html.Div(
        [
            html.Span(display_name, id=ids.SHELL_USER, className="user-name", title=display_name),
            html.A(label("nav.password"), href=PASSWORD_HREF, className="user-link"),
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
                    html.Button(label("nav.logout"), id=ids.SHELL_LOGOUT, type="submit",
                                className="logout-button"),
                ],
                action=LOGOUT_ACTION, method="POST", className="logout-form",
            ),
        ],
        className="user-menu",
    )


def navbar(display_name: str | None = None, csrf_token: str | None = None) -> html.Header:
    """Top bar of every page; the user menu when someone is signed in."""
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
                [dcc.Link(label(key), href=path, className="nav-link") for path, key in NAV_LINKS]
                # Administrators' links, filled by callbacks.admin.admin_access for them only.
                + [html.Span(id=ids.SHELL_ADMIN_NAV, className="nav-admin")]
                # Operations' links, filled by callbacks.ops.checkin for operations roles only.
                + [html.Span(id=ids.SHELL_OPS_NAV, className="nav-ops")],
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
                    *([user_menu(display_name, csrf_token)] if display_name and csrf_token
                      else []),
                ],
                className="navbar-tools",
            ),
        ],
        id=ids.SHELL_NAVBAR,
        className="navbar",
    )
