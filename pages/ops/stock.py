"""Warehouse stock (Kho vắc xin): a warehouse's lots with on hand, in transit to it, expiry,
the last VVM stage and alerts, each lot linked to its stock card; then the receive, transfer,
incoming-confirmation and adjustment forms (issue "Operations II", warehouse and stock).

Filled and checked by callbacks.ops.stock, stock_forms and stock_incoming; scope is decided
in the data layer. Roles that keep no warehouse get the refusal alone.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from callbacks.shared.viewer import viewer_operates
from pages._components.labels import label
from pages.ops.stock_panels import (
    adjust_panel,
    incoming_panel,
    receive_panel,
    refusal,
    transfer_panel,
    warehouse_picker,
)

dash.register_page(
    __name__, path="/ops/stock", name="Kho vắc xin",
    title="Kho vắc xin · Warehouse stock", order=60,
)


def _lots() -> html.Section:
    return html.Section(
        [label("ops.stock.lots", html.H2),
         html.P(id=ids.OPS_STOCK_LOTS_INFO, className="panel-hint", role="status"),
         html.Div(id=ids.OPS_STOCK_LOTS, role="region", **{"aria-live": "polite"},
                  className="ops-stock-lots"),
         html.Div([dcc.Link(label("ops.stock.to_count"), href="/ops/stock/count",
                            id=ids.OPS_STOCK_COUNT_LINK, className="form-button "
                            "form-button-secondary")], className="ops-actions")],
        className="panel")


def _page(warehouse: object) -> html.Main:
    return html.Main(
        [html.Div(label("ops.stock.title", html.H1), className="page-header"),
         dcc.Store(id=ids.OPS_STOCK_DONE, data=0),
         html.Section(warehouse_picker(warehouse), className="panel ops-filters"),
         _lots(),
         html.Div([receive_panel(), transfer_panel(), incoming_panel(), adjust_panel()],
                  className="ops-stock-forms")],
        className="page page-ops page-ops-stock")


def layout(warehouse: object = None, **_query: Any) -> Component:
    """The stock page for operations roles, the refusal for anyone else."""
    return _page(warehouse) if viewer_operates() else refusal(N_("ops.stock.title"))
