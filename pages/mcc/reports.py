"""The daily report (Báo cáo): one day's figures nationally or for a province, with Excel and
CSV downloads."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from callbacks.shared import ids
from callbacks.shared.urlstate import parse
from pages._components.labels import label
from pages._components.mcc import grid, panel, url_notice, wall_view
from pages._components.mcc_area import area_bar

PAGE = "reports"

dash.register_page(
    __name__, path="/reports", name="Báo cáo",
    title="Báo cáo · Reports", order=4,
)


def _downloads() -> html.Div:
    return html.Div([
        html.Button(label("report.xlsx"), id=ids.REPORT_XLSX, n_clicks=0,
                    className="download-button"),
        html.Button(label("report.csv"), id=ids.REPORT_CSV, n_clicks=0,
                    className="download-button"),
        label("report.csv.hint", className="panel-hint"),
    ], className="filter report-downloads")


def _periodic() -> html.Section:
    # The province's periodic report (callbacks.mcc.periodic): a period, two downloads; hidden
    # on the wall (assets/reconciliation.css), where nobody downloads.
    return panel("periodic.panel", [
        label("periodic.panel.hint", html.P, className="panel-hint"),
        html.Div([
            html.Label([label("periodic.panel.period", className="filter-label"),
                        dcc.DatePickerRange(id=ids.REPORT_PERIODIC_RANGE,
                                            display_format="DD/MM/YYYY", first_day_of_week=1,
                                            clearable=True, minimum_nights=0,
                                            start_date_placeholder_text="dd/mm/yyyy",
                                            end_date_placeholder_text="dd/mm/yyyy")],
                       className="filter"),
            html.Button(label("periodic.xlsx"), id=ids.REPORT_PERIODIC_XLSX, n_clicks=0,
                        className="download-button"),
            html.Button(label("periodic.csv"), id=ids.REPORT_PERIODIC_CSV, n_clicks=0,
                        className="download-button"),
        ], className="filter-bar report-periodic"),
        html.P(id=ids.REPORT_PERIODIC_STATUS, className="form-status", role="status",
               **{"aria-live": "polite"}),
        dcc.Download(id=ids.REPORT_PERIODIC_DOWNLOAD),
    ], PAGE, None, className="panel-wide report-periodic-panel")


def layout(**query: Any) -> html.Main:
    """The page; ?as_of=YYYY-MM-DD&province=CODE set the report's day and area."""
    f = parse(query)
    return html.Main(
        [
            html.Div([label("report.title", html.H1),
                      html.Div(id=ids.REPORT_UPDATED, className="updated-stamp")],
                     className="page-header"),
            area_bar(PAGE, ids.REPORT_URL, ids.REPORT_AS_OF, ids.REPORT_PROVINCE, f,
                     [_downloads()]),
            url_notice(PAGE, query, ("as_of", "province")),
            html.Section(id=ids.REPORT_KPIS, className="kpi-row", **wall_view(1)),
            panel("report.doses.title", [grid(ids.REPORT_DOSES)], PAGE, None,
                  className="panel-wide", wall=1),
            html.Div([
                panel("report.coverage.title", [grid(ids.REPORT_COVERAGE, "300px")], PAGE, None),
                panel("report.stock.title", [grid(ids.REPORT_STOCK, "300px")], PAGE, None),
            ], className="panel-grid panel-grid-even", **wall_view(2)),
            panel("report.aefi.title", [grid(ids.REPORT_AEFI, "240px")], PAGE, None,
                  className="panel-wide", wall=2),
            # Reconciliation (callbacks.mcc.reconciliation): the discrepancy rate of the area.
            panel("report.recon.title", [
                html.P(id=ids.REPORT_RECON_PERIOD, className="panel-hint"),
                html.Div(id=ids.REPORT_RECON_KPIS, className="kpi-row"),
                grid(ids.REPORT_RECON_GRID, "220px")], PAGE, None,
                className="panel-wide report-recon", wall=3),
            _periodic(),
            dcc.Download(id=ids.REPORT_DOWNLOAD),
        ],
        className="page page-mcc page-reports",
    )
