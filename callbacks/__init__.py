"""Callback glue: each module has plain functions plus register(app, services)."""

from __future__ import annotations

import dash

from callbacks.admin import admin_access, admin_audit, admin_users
from callbacks.mcc import (
    aefi,
    allocation,
    allocation_panels,
    facilities,
    progress,
    progress_breakdowns,
    progress_districts,
    reports,
    url_notice,
    wall,
)
from callbacks.mcc import declarations as mcc_declarations
from callbacks.mcc import periodic as mcc_periodic
from callbacks.mcc import reconciliation as mcc_reconciliation
from callbacks.ops import aefi as ops_aefi
from callbacks.ops import allocations as ops_allocations
from callbacks.ops import (
    arrival,
    checkin,
    close,
    injection,
    invitations,
    observation,
    sessions,
    stock_card,
    stock_count,
    stock_forms,
    stock_incoming,
)
from callbacks.ops import facilities as ops_facilities
from callbacks.ops import lot as ops_lot
from callbacks.ops import nav as ops_nav
from callbacks.ops import reconciliation as ops_reconciliation
from callbacks.ops import registrations as ops_registrations
from callbacks.ops import registrations_upload as ops_registrations_upload
from callbacks.ops import screening as ops_screening
from callbacks.ops import stock as ops_stock
from callbacks.shared import grid_lang, shell
from data.services import Services


def register_all(app: dash.Dash, services: Services) -> None:
    """Attach every callback of the app to `app` (never to a global: Dash issue 3024)."""
    shell.register(app, services)
    grid_lang.register(app, services)
    admin_access.register(app, services)
    admin_users.register(app, services)
    admin_audit.register(app, services)
    progress.register(app, services)
    allocation.register(app, services)
    allocation_panels.register(app, services)
    aefi.register(app, services)
    mcc_declarations.register(app, services)
    progress_breakdowns.register(app, services)
    progress_districts.register(app, services)
    wall.register(app, services)
    facilities.register(app, services)
    reports.register(app, services)
    mcc_reconciliation.register(app, services)
    mcc_periodic.register(app, services)
    url_notice.register(app, services)
    checkin.register(app, services)
    ops_nav.register(app, services)
    arrival.register(app, services)
    ops_screening.register(app, services)
    observation.register(app, services)
    close.register(app, services)
    injection.register(app, services)
    sessions.register(app, services)
    invitations.register(app, services)
    ops_aefi.register(app, services)
    ops_lot.register(app, services)

    ops_stock.register(app, services)
    stock_forms.register(app, services)
    stock_incoming.register(app, services)
    stock_card.register(app, services)
    stock_count.register(app, services)
    ops_facilities.register(app, services)
    ops_registrations.register(app, services)
    ops_registrations_upload.register(app, services)
    ops_reconciliation.register(app, services)
    ops_allocations.register(app, services)
