"""Component ids of the public portal (its own Dash app at /portal/; callbacks.portal).

The portal is a separate callback graph: an anonymous visitor can reach these callbacks and no
other. Each portal page appends its ids here, under its own heading.
"""

from __future__ import annotations

# Shell of the portal (pages.portal.shell).
PORTAL_ROOT = "portal-root"
PORTAL_URL = "portal-url"
PORTAL_PAGE = "portal-page"
PORTAL_NAV = "portal-nav"
PORTAL_REFRESH = "portal-refresh"

# Public figures page (pages.portal.figures, callbacks.portal.figures).
FIG_KPIS = "portal-fig-kpis"
FIG_PROVINCES = "portal-fig-provinces"
FIG_SUPPLY = "portal-fig-supply"
FIG_AEFI = "portal-fig-aefi"
FIG_VERSION = "portal-fig-version"
FIG_SORT = "portal-fig-sort"
FIG_STAMP = "portal-fig-stamp"
FIG_CSV = "portal-fig-csv"
FIG_NATIONAL_DOSES = "portal-fig-national-doses"
