"""Who sees the administrators' navbar links and pages, or the "no permission" notice.

Only what is shown: every administrators' callback is refused in the data layer
(data.auth.admin) whatever the navbar or the page offered.
"""

from __future__ import annotations

import dash
from dash import Input, Output, dcc

from callbacks.shared import ids
from callbacks.shared.i18n import N_, t
from callbacks.shared.security import current_principal
from data.auth.roles import Principal, Role
from data.services import Services

# (path, i18n key) of the administrators' pages, in navbar order.
ADMIN_LINKS: tuple[tuple[str, str], ...] = (
    ("/admin/users", N_("nav.admin_users")), ("/admin/audit", N_("nav.admin_audit")),
)


def is_admin(principal: Principal) -> bool:
    """Whether the principal administers the system (decides what is shown, not allowed)."""
    return principal.has(Role.SYSTEM_ADMIN)


def admin_links(principal: Principal, lang: str | None) -> list[dcc.Link]:
    """The navbar links to the administrators' pages, for administrators only."""
    if not is_admin(principal):
        return []
    return [dcc.Link(t(key, lang), href=path, className="nav-link") for path, key in ADMIN_LINKS]


def register(app: dash.Dash, services: Services) -> None:
    """Attach the navbar-links callback to `app`."""

    @app.callback(Output(ids.SHELL_ADMIN_NAV, "children"), Input(ids.SHELL_LANG, "data"))
    def _links(lang: str | None) -> list[dcc.Link]:
        return admin_links(current_principal(), lang)
