"""Adverse events following immunisation (Phản ứng sau tiêm): rates, serious cases by month,
safety signals, unusual lots and the case list."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from callbacks.mcc.mcc_choices import RATE_BY, SERIOUS_BY
from callbacks.shared import ids
from callbacks.shared.i18n import DEFAULT_LANG, choices
from callbacks.shared.urlstate import parse
from pages._components.labels import label
from pages._components.mcc import filter_bar, graph, grid, panel, url_notice, wall_view

PAGE = "aefi"

dash.register_page(
    __name__, path="/aefi", name="Phản ứng sau tiêm",
    title="Phản ứng sau tiêm · AEFI", order=2,
)


def _toggle(toggle_id: str, options: dict[str, str], value: str) -> dcc.RadioItems:
    return dcc.RadioItems(id=toggle_id, options=choices(options, DEFAULT_LANG), value=value,
                          inline=True, className="segmented", inputClassName="segmented-input",
                          labelClassName="segmented-option")


def _charts() -> html.Div:
    rates = panel("aefi.rates.title", [
        html.P(id=ids.AEFI_RATES_NOTE, className="panel-hint"), graph(ids.AEFI_RATES)],
        PAGE, "rates", [_toggle(ids.AEFI_RATES_BY, RATE_BY, "vaccine")])
    serious = panel("aefi.serious.title", [graph(ids.AEFI_SERIOUS)], PAGE, "serious",
                    [_toggle(ids.AEFI_SERIOUS_BY, SERIOUS_BY, "outcome")])
    return html.Div([rates, serious], className="panel-grid panel-grid-even", **wall_view(1))


def _safety() -> html.Div:
    signals = panel("aefi.signals.title", [
        label("aefi.signals.rule", html.P, className="panel-hint"),
        label("aefi.prr.corrected", html.P, className="panel-hint"),
        label("aefi.signals.scope", html.P, className="panel-hint"), grid(ids.AEFI_SIGNALS)],
        PAGE, "signals")
    lots = panel("aefi.lots.title", [
        label("aefi.lots.rule", html.P, className="panel-hint"),
        label("aefi.lots.scope", html.P, className="panel-hint"), grid(ids.AEFI_LOTS)],
        PAGE, "lots")
    return html.Div([signals, lots], className="panel-grid panel-grid-even wall-stack",
                    **wall_view(2))


def layout(**query: Any) -> html.Main:
    """The page; ?as_of=YYYY-MM-DD&vaccine=CODE&province=CODE set the filters."""
    f = parse(query)
    return html.Main(
        [
            html.Div([label("aefi.title", html.H1),
                      html.Div(id=ids.AEFI_UPDATED, className="updated-stamp")],
                     className="page-header"),
            filter_bar(PAGE, ids.AEFI_URL, ids.AEFI_AS_OF, ids.AEFI_VACCINE, ids.AEFI_PROVINCE,
                       f),
            url_notice(PAGE, query, ("as_of", "vaccine", "province")),
            html.Section(id=ids.AEFI_KPIS, className="kpi-row kpi-row-4", **wall_view(1)),
            _charts(),
            _safety(),
            panel("aefi.cases.title", [html.Div(id=ids.AEFI_CASES_NOTE),
                                       grid(ids.AEFI_CASES, "420px")],
                  PAGE, "cases", className="panel-wide", wall=3),
            # Health declarations (callbacks.mcc.declarations): counts only, small cells
            # suppressed.
            panel("aefi.decl.title", [label("aefi.decl.hint", html.P, className="panel-hint"),
                                      html.Div(id=ids.AEFI_DECLARATIONS)],
                  PAGE, None, className="panel-wide"),
            dcc.Download(id=ids.AEFI_DOWNLOAD),
        ],
        className="page page-mcc page-aefi",
    )
