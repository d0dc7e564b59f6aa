"""The frame of every portal page: a compact header with the services, the page, a footer."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import ids, portal_paths
from callbacks.shared.i18n import N_
from callbacks.shared.ids_portal import (
    PORTAL_LINK,
    PORTAL_NAV,
    PORTAL_PAGE,
    PORTAL_REFRESH,
    PORTAL_ROOT,
    PORTAL_URL,
)
from pages._components.labels import label

# (path, i18n key) of the portal's services, in the order a citizen meets them.
PORTAL_LINKS: tuple[tuple[str, str], ...] = (
    (portal_paths.FIGURES, N_("portal.nav.figures")),
    (portal_paths.REGISTER, N_("portal.nav.register")),
    (portal_paths.CERTIFICATE, N_("portal.nav.certificate")),
    (portal_paths.VERIFY, N_("portal.nav.verify")),
    (portal_paths.SELF_REPORT, N_("portal.nav.self_report")),
    (portal_paths.DECLARATION, N_("portal.nav.declaration")),
    (portal_paths.FACILITY, N_("portal.nav.facility")),
)


def _lang_switch() -> dcc.RadioItems:
    return dcc.RadioItems(
        id=ids.SHELL_LANG_SWITCH,
        options=[{"label": "VI", "value": "vi"}, {"label": "EN", "value": "en"}],
        value=None, inline=True, className="lang-switch portal-lang",
        inputClassName="lang-input", labelClassName="lang-option",
    )


def header() -> html.Header:
    """Brand, language switch, and the services as a row that scrolls sideways on a phone."""
    return html.Header(
        [
            html.Div(
                [
                    dcc.Link(
                        [html.Span("VX", className="brand-mark", **{"aria-hidden": "true"}),
                         label("portal.title", html.Span, className="portal-title")],
                        href=portal_paths.HOME, className="portal-brand",
                    ),
                    _lang_switch(),
                ],
                className="portal-topline",
            ),
            html.Nav(
                [dcc.Link(label(key), href=path, className="portal-link",
                          id={"type": PORTAL_LINK, "path": path})
                 for path, key in PORTAL_LINKS],
                id=PORTAL_NAV, className="portal-nav", **{"aria-label": "Portal"},
            ),
        ],
        className="portal-header",
    )


def portal_layout(refresh_ms: int) -> html.Div:
    """The portal's whole layout; callbacks.portal.router fills the page for the URL."""
    return html.Div(
        [
            header(),
            html.Main(id=PORTAL_PAGE, className="portal-main"),
            html.Footer(label("portal.footer", html.P), className="portal-footer"),
            dcc.Location(id=PORTAL_URL, refresh="callback-nav"),
            dcc.Store(id=ids.SHELL_LANG, storage_type="local"),
            # Live figures: pages that show them listen to this timer.
            dcc.Interval(id=PORTAL_REFRESH, interval=refresh_ms),
        ],
        id=PORTAL_ROOT,
        className="portal-shell",
    )
