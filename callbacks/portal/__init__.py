"""The public portal's callbacks: registered on the portal's own Dash app (app.py), so an
anonymous visitor reaches these and no staff callback."""

from __future__ import annotations

import dash

from callbacks.portal import certificate, router, verify
from data.services import Services


def register_all(app: dash.Dash, services: Services) -> None:
    """Attach every portal callback to the portal app."""
    router.register(app, services)
    certificate.register(app, services)
    verify.register(app, services)
