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
# Pattern id type of each service link in the header: {"type": PORTAL_LINK, "path": <path>}.
PORTAL_LINK = "portal-link"
