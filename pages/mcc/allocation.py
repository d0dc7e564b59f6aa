"""Allocation and stock (Phân bổ và tồn kho): supply by province with a district drill-down,
allocation decisions, lots nearing expiry and stock-out risk."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from callbacks.mcc.mcc_choices import EXPIRY_BANDS, STOCK_METRICS
from callbacks.shared import ids
from callbacks.shared.i18n import DEFAULT_LANG, choices
from callbacks.shared.urlstate import parse
from pages._components.labels import label
from pages._components.mcc import filter_bar, graph, grid, panel, url_notice, wall_view

PAGE = "allocation"

dash.register_page(
    __name__, path="/allocation", name="Phân bổ và tồn kho",
    title="Phân bổ và tồn kho · Allocation and stock", order=1,
)


def _map_panel() -> html.Section:
    metric = dcc.RadioItems(
        id=ids.ALLOC_MAP_METRIC, options=choices(STOCK_METRICS, DEFAULT_LANG), value="on_hand",
        inline=True, className="segmented", inputClassName="segmented-input",
        labelClassName="segmented-option")
    back = html.Button(label("stock.back"), id=ids.ALLOC_BACK, hidden=True, n_clicks=0,
                       className="back-button")
    return panel("stock.map.title", [
        html.Div([metric, back], className="panel-subheader"),
        # A wall screen has no mouse to click with.
        label("stock.map.hint", html.P, className="panel-hint wall-hide"),
        graph(ids.ALLOC_MAP, "graph-box graph-map", scrollZoom=False),
        # Per visit: False until the first full figure (with the geometry) has been sent.
        dcc.Store(id=ids.ALLOC_MAP_BUILT, data=False),
    ], PAGE, "map", className="panel-map")


def _rank_panel() -> html.Section:
    title = html.H2(id=ids.ALLOC_RANK_TITLE)
    return panel(title, [html.Div(id=ids.ALLOC_NOTICE), graph(ids.ALLOC_RANK)], PAGE, "rank")


def _lower_panels() -> list[Any]:
    band = dcc.RadioItems(
        id=ids.ALLOC_EXPIRY_BAND, value=90, inline=True, className="segmented",
        options=[{"label": f"≤ {n}", "value": n} for n in EXPIRY_BANDS],
        inputClassName="segmented-input", labelClassName="segmented-option")
    days = html.Label([label("stock.risk.days", className="filter-label"),
                       dcc.Input(id=ids.ALLOC_RISK_DAYS, type="number", min=1, max=365, step=1,
                                 value=7, debounce=True, className="number-input")],
                      className="inline-filter")
    return [
        panel("stock.decisions.title", [graph(ids.ALLOC_DECISIONS, "graph-box graph-short")],
              PAGE, "decisions", className="panel-wide", wall=3),
        # What each recipient got of its allocations: a table for the desk, not the wall.
        panel("stock.carried.title", [label("stock.carried.hint", html.P, className="panel-hint"),
                                      grid(ids.ALLOC_CARRIED, "300px")],
              PAGE, "carried", className="panel-wide wall-hide"),
        html.Div([
            panel("stock.expiry.title", [grid(ids.ALLOC_EXPIRY)], PAGE, "expiry", [band]),
            panel("stock.risk.title", [grid(ids.ALLOC_RISK)], PAGE, "risk", [days]),
        ], className="panel-grid panel-grid-even wall-stack", **wall_view(2)),
    ]


def layout(**query: Any) -> html.Main:
    """The page; ?as_of=YYYY-MM-DD&vaccine=CODE&province=CODE set the filters (and drill)."""
    f = parse(query)
    return html.Main(
        [
            html.Div([label("alloc.title", html.H1),
                      html.Div(id=ids.ALLOC_UPDATED, className="updated-stamp")],
                     className="page-header"),
            filter_bar(PAGE, ids.ALLOC_URL, ids.ALLOC_AS_OF, ids.ALLOC_VACCINE,
                       ids.ALLOC_PROVINCE, f),
            url_notice(PAGE, query, ("as_of", "vaccine", "province")),
            dcc.Store(id=ids.ALLOC_DRILL),
            html.Section(id=ids.ALLOC_KPIS, className="kpi-row", **wall_view(1)),
            html.Div([_map_panel(), _rank_panel()], className="panel-grid panel-grid-even",
                     **wall_view(1)),
            *_lower_panels(),
            dcc.Download(id=ids.ALLOC_DOWNLOAD),
        ],
        className="page page-mcc page-allocation",
    )
