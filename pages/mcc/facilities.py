"""Vaccination facilities (Cơ sở tiêm chủng): one province's sites, their doses per day against
daily capacity, utilisation, and the sites that stopped reporting while holding stock."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from callbacks.mcc.mcc_choices import SILENT_DAYS
from callbacks.shared import ids
from callbacks.shared.i18n import DEFAULT_LANG, t
from callbacks.shared.urlstate import parse
from pages._components.labels import label
from pages._components.mcc import graph, grid, panel, url_notice, wall_view
from pages._components.mcc_area import area_bar

PAGE = "facilities"

dash.register_page(
    __name__, path="/facilities", name="Cơ sở tiêm chủng",
    title="Cơ sở tiêm chủng · Facilities", order=3,
)


def _daily_panel() -> html.Section:
    facility = dcc.Dropdown(id=ids.FAC_FACILITY, value="", clearable=False,
                            options=[{"label": t("fac.all", DEFAULT_LANG), "value": ""}],
                            className="filter-select")
    return panel("fac.daily.title", [graph(ids.FAC_DAILY)], PAGE, "daily", [facility],
                 className="panel-wide", wall=1)


def _silent_panel() -> html.Section:
    days = html.Label([label("fac.silent.days", className="filter-label"),
                       dcc.Input(id=ids.FAC_SILENT_DAYS, type="number", min=1, max=90, step=1,
                                 value=SILENT_DAYS, debounce=True, className="number-input")],
                      className="inline-filter")
    return panel("fac.silent.title", [grid(ids.FAC_SILENT)], PAGE, "silent", [days],
                 className="panel-wide", wall=2)


def _from_filter(date_from: str | None) -> html.Label:
    """The start of the page's date range (it ends on 'as of'; empty: the last 14 days)."""
    return html.Label([label("filter.from", className="filter-label"),
                       dcc.DatePickerSingle(id=ids.FAC_FROM, date=date_from, clearable=True,
                                            display_format="DD/MM/YYYY", first_day_of_week=1,
                                            placeholder="—")],
                      className="filter")


def layout(**query: Any) -> html.Main:
    """The page; ?from=YYYY-MM-DD&as_of=YYYY-MM-DD&province=CODE set the filters."""
    f = parse(query)
    return html.Main(
        [
            html.Div([label("fac.title", html.H1),
                      html.Div(id=ids.FAC_UPDATED, className="updated-stamp")],
                     className="page-header"),
            area_bar(PAGE, ids.FAC_URL, ids.FAC_AS_OF, ids.FAC_PROVINCE, f,
                     [_from_filter(f.date_from)]),
            url_notice(PAGE, query, ("from", "as_of", "province")),
            # {"province": code, "denied": bool} of the chosen province, None before a choice.
            dcc.Store(id=ids.FAC_AREA),
            html.Div(id=ids.FAC_NOTICE),
            html.Section(id=ids.FAC_KPIS, className="kpi-row", **wall_view(1)),
            _daily_panel(),
            panel("fac.util.title", [grid(ids.FAC_UTIL, "420px")], PAGE, "utilisation",
                  className="panel-wide", wall=2),
            _silent_panel(),
            dcc.Download(id=ids.FAC_DOWNLOAD),
        ],
        className="page page-mcc page-facilities",
    )
