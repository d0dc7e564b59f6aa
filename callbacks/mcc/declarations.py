"""The AEFI page's health-declaration panel: the country's (or the chosen province's) counts
of the last days, and the provinces' counts of the latest day, from data.mcc.declarations
(small cells already suppressed there, shown as "< 5")."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, html
from dash.development.base_component import Component

from callbacks.mcc import mcc_common
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, t
from callbacks.shared.security import current_principal
from data.mcc import declarations
from data.services import Services

COLUMNS = {"declarations": N_("aefi.decl.declarations"),
           "with_symptoms": N_("aefi.decl.with_symptoms"),
           "with_contact": N_("aefi.decl.with_contact"),
           "with_travel": N_("aefi.decl.with_travel")}


def _cell(value: Any, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("aefi.decl.suppressed", lang, n=declarations.MIN_CELL)
    return fmt_int(int(value), lang)


def _table(df: pd.DataFrame, first: str, first_key: str, lang: str, label: Any) -> Component:
    head = html.Tr([html.Th(t(first_key, lang)),
                    *(html.Th(t(k, lang), className="num") for k in COLUMNS.values())])
    body = [html.Tr([html.Td(label(row[first])),
                     *(html.Td(_cell(row[m], lang), className="num") for m in COLUMNS)])
            for _, row in df.iterrows()]
    return html.Table([html.Thead(head), html.Tbody(body)], className="decl-table")


def panel_body(services: Services, province: str | None, lang: str) -> list[Component]:
    """The panel's tables, or a line saying there is nothing yet."""
    days = declarations.by_day(services, province_code=province)
    if days.empty:
        return [html.P(t("aefi.decl.none", lang), className="panel-hint")]
    names = mcc_common.province_names(services)
    out: list[Component] = [_table(days, "day", N_("aefi.decl.day"), lang,
                                   lambda d: fmt_date(d, lang))]
    if not province:
        latest = declarations.by_province(services)
        if not latest.empty:
            out += [html.H3(t("aefi.decl.latest", lang,
                              day=fmt_date(latest["day"].iloc[0], lang))),
                    _table(latest, "province_code", N_("aefi.decl.province"), lang,
                           lambda c: names.get(c, c))]
    return out


def register(app: dash.Dash, services: Services) -> None:
    """Attach the declaration panel's callback to `app`."""

    @app.callback(Output(ids.AEFI_DECLARATIONS, "children"),
                  Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"),
                  Input(ids.AEFI_PROVINCE, "value"))
    def _panel(_v: Any, lang: str | None, province: Any) -> list[Component]:
        current_principal()
        lang = mcc_common.lang_of(services, lang)
        f = mcc_common.filters(None, None, province)
        return panel_body(services, f.province, lang)
