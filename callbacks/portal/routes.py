"""Path -> layout of each portal page (the portal's Dash app routes with these, not with
Dash's page registry, which belongs to the staff app). Each page adds its line."""

from __future__ import annotations

from collections.abc import Callable

from dash.development.base_component import Component

from callbacks.shared import portal_paths
from pages.portal import (
    certificate,
    declaration,
    facility,
    figures,
    home,
    register,
    registration_status,
    self_report,
    verify,
)

ROUTES: dict[str, Callable[[], Component]] = {
    portal_paths.HOME: home.layout,
    portal_paths.SELF_REPORT: self_report.layout,
    portal_paths.DECLARATION: declaration.layout,
    portal_paths.FIGURES: figures.layout,
    portal_paths.REGISTER: register.layout,
    portal_paths.REGISTRATION_STATUS: registration_status.layout,
    portal_paths.FACILITY: facility.layout,
    portal_paths.CERTIFICATE: certificate.layout,
    portal_paths.VERIFY: verify.layout,
}
