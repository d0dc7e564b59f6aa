"""A lot's stock card (Thẻ kho) at one warehouse: every event with its running balance, kind,
reason, counterparty, VVM stage and who entered it (?warehouse=..&vaccine=..&lot=..).
Drawn by callbacks.ops.stock_card; the reader's scope is checked in the data layer."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.viewer import viewer_operates
from pages._components.labels import label
from pages.ops.stock_panels import refusal

dash.register_page(
    __name__, path="/ops/stock/card", name="Thẻ kho",
    title="Thẻ kho · Stock card", order=61,
)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 40 else None


def layout(warehouse: object = None, vaccine: object = None, lot: object = None,
           **_query: Any) -> Component:
    """The card of the lot the query names, for operations roles; the refusal otherwise."""
    if not viewer_operates():
        return refusal("ops.stock.card.title")
    query = {"warehouse": _text(warehouse), "vaccine": _text(vaccine), "lot": _text(lot)}
    return html.Main(
        [html.Div(label("ops.stock.card.title", html.H1), className="page-header"),
         dcc.Store(id=ids.OPS_STOCK_CARD_QUERY, data=query),
         html.Section([html.H2(id=ids.OPS_STOCK_CARD_TITLE),
                       html.Div(id=ids.OPS_STOCK_CARD, role="region")], className="panel")],
        className="page page-ops page-ops-stock-card")
