"""The portal's front page: one card per service, each a link (no figures, no sign-in)."""

from __future__ import annotations

from dash import dcc, html

from callbacks.shared import portal_paths
from callbacks.shared.i18n import N_
from pages._components.labels import label

# (path, title key, one-line description key).
CARDS: tuple[tuple[str, str, str], ...] = (
    (portal_paths.FIGURES, N_("portal.nav.figures"), N_("portal.home.figures")),
    (portal_paths.REGISTER, N_("portal.nav.register"), N_("portal.home.register")),
    (portal_paths.CERTIFICATE, N_("portal.nav.certificate"), N_("portal.home.certificate")),
    (portal_paths.VERIFY, N_("portal.nav.verify"), N_("portal.home.verify")),
    (portal_paths.SELF_REPORT, N_("portal.nav.self_report"), N_("portal.home.self_report")),
    (portal_paths.DECLARATION, N_("portal.nav.declaration"), N_("portal.home.declaration")),
    (portal_paths.FACILITY, N_("portal.nav.facility"), N_("portal.home.facility")),
)


def layout() -> html.Div:
    """The services of the portal as cards."""
    return html.Div(
        [
            label("portal.home.heading", html.H1, className="portal-h1"),
            html.Div(
                [dcc.Link([label(title, html.H2, at="card"), label(text, html.P)],
                          href=path, className="portal-card")
                 for path, title, text in CARDS],
                className="portal-cards",
            ),
        ],
        className="portal-home",
    )
