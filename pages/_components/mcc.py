"""Layout fragments of the command-center pages: filter bar, panels, download buttons, grids."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import dash_ag_grid as dag
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.grid_locale import grid_options
from callbacks.shared.i18n import DEFAULT_LANG
from callbacks.shared.urlstate import Filters, asked, to_search
from pages._components.labels import label

# No mode bar: a wall screen has no mouse; analysts still drag to zoom, double-click to reset.
GRAPH_CONFIG: dict[str, Any] = {"displaylogo": False, "displayModeBar": False, "responsive": True}
# Headers wrap onto a second line rather than end in '…' ("Số mũi 7 …"): columns stay
# narrow enough for a laptop and every header reads whole.
DEFAULT_COL: dict[str, Any] = {"sortable": True, "resizable": True, "filter": True, "flex": 1,
                               "minWidth": 110, "wrapHeaderText": True,
                               "autoHeaderHeight": True}


def initial_options(value: str | None) -> list[dict[str, str]]:
    # The URL's value is an option from the start: the dropdown keeps it until the callback
    # brings the labelled list.
    return [{"label": "—", "value": ""}] + ([{"label": value, "value": value}] if value else [])


def as_of_filter(as_of_id: str, f: Filters) -> html.Label:
    """The 'data as of' date picker."""
    return html.Label([label("filter.as_of", className="filter-label"),
                       dcc.DatePickerSingle(id=as_of_id, date=f.as_of, clearable=True,
                                            display_format="DD/MM/YYYY",
                                            first_day_of_week=1, placeholder="—")],
                      className="filter")


def province_filter(province_id: str, f: Filters) -> html.Label:
    """The province dropdown (options arrive from the page's callback)."""
    return html.Label([label("filter.province", className="filter-label"),
                       dcc.Dropdown(id=province_id, value=f.province or "", clearable=False,
                                    options=initial_options(f.province),
                                    className="filter-select")],
                      className="filter")


def filter_bar(page: str, url_id: str, as_of_id: str, vaccine_id: str, province_id: str,
               f: Filters) -> html.Div:
    """Date, vaccine and province filters, and the page's own URL writer (no reload)."""
    return html.Div(
        [
            # refresh=False: writing `search` pushes the URL without re-rendering the page.
            dcc.Location(id=url_id, refresh=False, search=to_search(f)),
            as_of_filter(as_of_id, f),
            html.Label([label("filter.vaccine", className="filter-label"),
                        dcc.Dropdown(id=vaccine_id, value=f.vaccine or "", clearable=False,
                                     options=initial_options(f.vaccine),
                                     searchable=False, className="filter-select")],
                       className="filter"),
            province_filter(province_id, f),
        ],
        className=f"filter-bar filter-bar-{page}",
    )


def url_notice(page: str, query: Mapping[str, Any], keys: Collection[str]) -> html.Div:
    """Where the page says which of its URL's filter values (of `keys`) it could not use
    (callbacks.mcc.url_notice); a wall screen shows none."""
    return html.Div([dcc.Store(id=ids.url_asked(page), data=asked(query, keys)),
                     html.Div(id=ids.url_notice(page))],
                    className="url-notice wall-hide")


def download_button(page: str, chart: str) -> html.Button:
    """'Download CSV' of one chart's data."""
    return html.Button(label("download", at=f"{page}-{chart}"), className="download-button",
                       n_clicks=0,
                       id={"type": ids.MCC_DOWNLOAD, "page": page, "chart": chart})


def wall_view(view: int | None) -> dict[str, str]:
    """The attribute that puts a part of a page in wall view `view` (1-based; callbacks.mcc.wall).
    A part without one shows in every view."""
    return {"data-wall": str(view)} if view else {}


def panel(title: str | Component, body: list[Component], page: str, chart: str | None,
          controls: list[Component] | None = None, className: str = "",
          wall: int | None = None) -> html.Section:
    """A titled panel with optional controls and a download button in its header; `wall` is
    the wall-screen view it belongs to."""
    heading = label(title, html.H2) if isinstance(title, str) else title
    tools = [*(controls or []), *([download_button(page, chart)] if chart else [])]
    return html.Section(
        [html.Div([heading, html.Div(tools, className="panel-tools")], className="panel-header"),
         *body],
        className=f"panel {className}".strip(), **wall_view(wall),
    )


def graph(graph_id: str, className: str = "graph-box", **config: Any) -> html.Div:
    """A chart filled by the page's callbacks."""
    return html.Div(dcc.Graph(id=graph_id, config=GRAPH_CONFIG | config), className=className)


def grid(grid_id: str, height: str = "360px") -> html.Div:
    """A sortable, filterable table filled by the page's callbacks, in the boxes that rebuild
    it in the user's language (callbacks.shared.grid_locale)."""
    table = dag.AgGrid(id=grid_id, columnDefs=[], rowData=[], defaultColDef=DEFAULT_COL,
                       dashGridOptions=grid_options(DEFAULT_LANG), style={"height": height},
                       className="mcc-grid")
    inner = html.Div(table, id={"type": ids.GRID_LANG, "grid": grid_id, "lang": DEFAULT_LANG},
                     className="grid-lang")
    return html.Div([inner], id={"type": ids.GRID_BOX, "grid": grid_id}, className="grid-box")
