"""The public portal's callbacks: registered on the portal's own Dash app (app.py), so an
anonymous visitor reaches these and no staff callback."""

from __future__ import annotations

import dash

from callbacks.portal import (
    certificate,
    declaration,
    facility,
    figures,
    register,
    registration_status,
    registration_upload,
    router,
    self_report,
    verify,
)
from data.services import Services


def register_all(app: dash.Dash, services: Services) -> None:
    """Attach every portal callback to the portal app."""
    router.register(app, services)
    self_report.register(app, services)
    declaration.register(app, services)
    figures.register(app, services)
    register.register(app, services)
    registration_status.register(app, services)
    registration_upload.register(app, services)
    facility.register(app, services)
    certificate.register(app, services)
    verify.register(app, services)
