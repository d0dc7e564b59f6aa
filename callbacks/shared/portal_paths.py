"""Paths of the public portal: the prefix its Dash app is mounted at, and each page's path.

Shared by the app factory, the sign-in gate (which lets these through without a session) and
the portal's pages and callbacks.
"""

from __future__ import annotations

PORTAL_PREFIX = "/portal/"

HOME = PORTAL_PREFIX
FIGURES = PORTAL_PREFIX + "figures"
REGISTER = PORTAL_PREFIX + "register"
REGISTRATION_STATUS = PORTAL_PREFIX + "registration"
CERTIFICATE = PORTAL_PREFIX + "certificate"
VERIFY = PORTAL_PREFIX + "verify"
FACILITY = PORTAL_PREFIX + "facility"
SELF_REPORT = PORTAL_PREFIX + "self-report"
DECLARATION = PORTAL_PREFIX + "declaration"


def is_portal(path: str) -> bool:
    """Paths the portal's Dash app serves (pages, its callbacks, its bundles and assets)."""
    return path.startswith(PORTAL_PREFIX) or path == PORTAL_PREFIX.rstrip("/")

# The public figures as data (callbacks.api, public: no token): JSON and CSV with a licence
# line. Read-only and the same for everyone, so these two alone may sit in a shared cache
# (the security headers leave their Cache-Control and ETag; everything else is no-store).
PUBLIC_FIGURES_JSON = "/api/v1/public/figures"
PUBLIC_FIGURES_CSV = "/api/v1/public/figures.csv"
PUBLIC_CACHEABLE = frozenset({PUBLIC_FIGURES_JSON, PUBLIC_FIGURES_CSV})
