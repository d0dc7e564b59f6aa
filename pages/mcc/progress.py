"""Vaccination progress (Tiến độ tiêm chủng): headline numbers, doses per day, coverage map."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from callbacks.shared import ids
from callbacks.shared.i18n import DEFAULT_LANG, MAP_METRICS, N_, choices
from callbacks.shared.urlstate import Filters, parse, to_search
from callbacks.shared.viewer import viewer_home_province
from pages._components.kpi import kpi_card
from pages._components.labels import label
from pages._components.mcc import graph, grid, initial_options, panel, url_notice, wall_view

PAGE = "progress"

dash.register_page(
    __name__,
    path="/",
    redirect_from=["/progress"],
    name="Tiến độ tiêm chủng",
    title="Tiến độ tiêm chủng · Vaccination progress",
    order=0,
)

# No mode bar: a wall screen has no mouse; analysts still drag to zoom, double-click to reset.
GRAPH_CONFIG: dict[str, Any] = {"displaylogo": False, "displayModeBar": False, "responsive": True}


def _kpis() -> html.Section:
    return html.Section(
        [
            kpi_card("kpi.doses", ids.PROGRESS_KPI_DOSES, label("kpi.doses.sub"), "blue"),
            kpi_card("kpi.dose1", ids.PROGRESS_KPI_DOSE1,
                     html.Span(id=ids.PROGRESS_KPI_DOSE1_PCT), "teal"),
            kpi_card("kpi.fully", ids.PROGRESS_KPI_FULLY,
                     html.Span(id=ids.PROGRESS_KPI_FULLY_PCT), "green"),
            kpi_card("kpi.booster", ids.PROGRESS_KPI_BOOSTER, label("kpi.booster.sub"), "amber"),
            kpi_card("kpi.today", ids.PROGRESS_KPI_TODAY,
                     html.Span(id=ids.PROGRESS_KPI_TODAY_DATE), "red",
                     label_id=ids.PROGRESS_KPI_TODAY_LABEL),
        ],
        className="kpi-row", **wall_view(1),
    )


def _daily_panel() -> html.Section:
    return html.Section(
        [
            html.Div(label("chart.daily.title", html.H2), className="panel-header"),
            html.Div(dcc.Graph(id=ids.PROGRESS_DAILY, config=GRAPH_CONFIG), className="graph-box"),
        ],
        className="panel panel-daily",
    )


def _map_panel() -> html.Section:
    return html.Section(
        [
            html.Div(
                [
                    label("map.title", html.H2),
                    dcc.RadioItems(
                        id=ids.PROGRESS_MAP_METRIC,
                        options=choices(MAP_METRICS, DEFAULT_LANG),
                        value="pct_dose1", inline=True, className="segmented",
                        inputClassName="segmented-input", labelClassName="segmented-option",
                    ),
                ],
                className="panel-header",
            ),
            html.Div(
                dcc.Graph(id=ids.PROGRESS_MAP, config=GRAPH_CONFIG | {"scrollZoom": False}),
                className="graph-box graph-map",
            ),
            # Per visit: False until the first full figure (with the geometry) has been sent.
            dcc.Store(id=ids.PROGRESS_MAP_BUILT, data=False),
        ],
        className="panel panel-map",
    )


def _breakdowns() -> list[html.Div]:
    def box(title: str, graph_id: str, hint: str | None = None) -> html.Section:
        body = [label(hint, html.P, className="panel-hint")] if hint else []
        return panel(title, [*body, graph(graph_id)], PAGE, None)

    return [
        html.Div([box("progress.by_group.title", ids.PROGRESS_BY_GROUP),
                  box("progress.by_age.title", ids.PROGRESS_BY_AGE, N_("progress.by_age.hint"))],
                 className="panel-grid panel-grid-even", **wall_view(2)),
        html.Div([box("progress.by_sex.title", ids.PROGRESS_BY_SEX),
                  box("progress.by_vaccine.title", ids.PROGRESS_BY_VACCINE),
                  box("progress.dropout.title", ids.PROGRESS_DROPOUT, N_("progress.dropout.hint"))],
                 className="panel-grid panel-grid-three", **wall_view(2)),
    ]


def _districts(province_code: str) -> html.Section:
    province = html.Label(
        [label("progress.district.province", className="filter-label"),
         dcc.Dropdown(id=ids.PROGRESS_DISTRICT_PROVINCE, value=province_code, clearable=False,
                      options=initial_options(province_code), className="filter-select")],
        className="filter wall-hide")
    return panel("progress.district.title",
                 [html.Div(id=ids.PROGRESS_DISTRICT_NOTICE),
                  graph(ids.PROGRESS_DISTRICT_CHART, "graph-box graph-tall")],
                 PAGE, None, [province], className="panel-wide panel-districts", wall=3)


def _targets() -> html.Section:
    target = html.Label(
        [label("progress.target.input", className="filter-label"),
         # Wall screens have no keyboard: the input hides in wall mode (.wall-hide).
         dcc.Input(id=ids.PROGRESS_TARGET, type="number", min=1, max=100, step=1, value=70,
                   debounce=True, className="target-input")],
        className="filter target-filter wall-hide")
    return panel("progress.target.title",
                 [html.Div(id=ids.PROGRESS_TARGET_KPIS, className="kpi-row kpi-row-3"),
                  graph(ids.PROGRESS_TARGET_CHART)],
                 PAGE, None, [target], className="panel-wide")


def layout(**query: Any) -> html.Main:
    """The page: KPI row, the daily chart beside the coverage map, the stamp, the districts
    of a picked province, then the breakdowns, the province ranking and the target.

    ?province=79 picks the province of the district panel; without it a province or district
    officer starts on their own province (the selector says which).
    """
    asked = parse(query).province
    province = asked or viewer_home_province() or ""
    return html.Main(
        [
            # refresh=False: a pick on the map or in the list rewrites ?province= in place.
            # `search` is the URL as opened, so an officer's own province is written into it.
            dcc.Location(id=ids.PROGRESS_URL, refresh=False,
                         search=to_search(Filters(province=asked))),
            html.Div(
                [
                    label("progress.title", html.H1),
                    html.Div(id=ids.PROGRESS_UPDATED, className="updated-stamp"),
                ],
                className="page-header",
            ),
            url_notice(PAGE, query, ("province",)),
            _kpis(),
            html.Div([_daily_panel(), _map_panel()], className="panel-grid", **wall_view(1)),
            _districts(province),
            *_breakdowns(),
            html.Div([panel("progress.ranking.title", [grid(ids.PROGRESS_RANKING, "420px")],
                            PAGE, None, className="panel-rank"), _targets()],
                     className="panel-grid panel-grid-even panel-grid-rank", **wall_view(3)),
        ],
        className="page page-progress",
    )
