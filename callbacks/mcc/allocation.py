"""Allocation and stock page: filters <-> URL, the province map with its drill-down, ranking.

Province-level figures are open to every signed-in user; everything below a province (its
districts, its facilities) is read through data.mcc with the signed-in principal, which raises
Forbidden (a 403) outside the principal's area. The page itself never asks for what the user
may not see: the drill state carries `denied` and the panels then show a 'no permission' note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, Patch, State, ctx
from dash.development.base_component import Component

from callbacks.mcc import figures_stock as fs
from callbacks.mcc import mcc_common
from callbacks.mcc.mcc_choices import EXPIRY_BANDS, STOCK_METRICS
from callbacks.shared import ids
from callbacks.shared.i18n import choices, fmt_int, fmt_number, t
from callbacks.shared.security import current_principal
from callbacks.shared.urlstate import Filters, parse, to_search
from data.auth.roles import Principal
from data.geo.provinces import ATTRIBUTION, load_provinces_geojson
from data.mcc import stock
from data.services import Services

Drill = dict[str, Any] | None


def drill_state(principal: Principal, province: str | None) -> Drill:
    """The province drilled into and whether the principal may see below it."""
    code = parse({"province": province}).province
    if code is None:
        return None
    return {"province": code, "denied": not principal.sees_below(code)}


def clicked_province(click: dict[str, Any] | None) -> str | None:
    """The province code of a click on the choropleth (other traces: None)."""
    points = (click or {}).get("points") or []
    if not points or points[0].get("curveNumber") != 0:
        return None
    return parse({"province": points[0].get("location")}).province


def _sites(services: Services, principal: Principal, drill: Drill,
           day: dt.date | None, lang: str, vaccine: str | None = None
           ) -> dict[str, list[Any]] | None:
    if not drill or drill.get("denied"):
        return None
    points = stock.facility_points(services, drill["province"], principal, day, vaccine)
    return fs.site_points(points, lang)


def update_map(services: Services, principal: Principal, lang: str, metric: str | None,
               drill: Drill, day: dt.date | None, built: bool | None,
               vaccine: str | None = None) -> tuple[Any, bool]:
    """The full map on the first render of a visit, afterwards a Patch without geometry."""
    geojson = load_provinces_geojson()
    key = {"lang": lang, "metric": metric, "day": day, "vaccine": vaccine}
    values = mcc_common.kept(services, "ui.alloc.map_values", key, lambda: fs.stock_map_values(
        stock.stock_by_province(services, day, vaccine), geojson, metric, lang))
    view = fs.province_view(geojson, drill["province"]) if drill else None
    # Facility points lie below the province: kept per scope (the read checks it).
    key |= {"drill": drill, "scope": mcc_common.scope_key(principal)}
    sites = mcc_common.kept(services, "ui.alloc.sites", key,
                            lambda: _sites(services, principal, drill, day, lang, vaccine))
    if built:
        return fs.stock_map_patch(values, view, sites), True

    def full() -> go.Figure:
        fig = fs.stock_map_figure(geojson, values, ATTRIBUTION)
        _apply_view(fig, view, sites)
        return fig

    return mcc_common.kept(services, "ui.alloc.map", key, full), True


def _apply_view(fig: go.Figure, view: tuple[dict[str, float], float] | None,
                sites: dict[str, list[Any]] | None) -> None:
    if view:
        center, zoom = view
        fig.update_layout(map={"center": center, "zoom": zoom},
                          uirevision=f"{center['lon']:.3f},{center['lat']:.3f}")
    if sites:
        fig.data[2].update(sites)


def area_kpis(row: pd.Series | dict[str, Any], lang: str) -> list[Component]:
    """Allocated, received, administered, on hand and days of supply of one area."""
    days = row.get("days_of_supply")
    days_text = "—" if days is None or pd.isna(days) else fmt_number(float(days), lang)
    used = row.get("used_7d") or 0
    return mcc_common.kpi_row([
        (t("stock.metric.allocated", lang), fmt_int(row.get("allocated"), lang),
         t("stock.unit.doses", lang), "blue"),
        (t("stock.metric.received", lang), fmt_int(row.get("received"), lang),
         t("stock.unit.doses", lang), "teal"),
        (t("stock.metric.administered", lang), fmt_int(row.get("administered"), lang),
         t("stock.unit.doses", lang), "green"),
        (t("stock.metric.on_hand", lang), fmt_int(row.get("on_hand"), lang),
         mcc_common.on_hand_note(row, lang), "amber"),
        (t("stock.metric.days_of_supply", lang), days_text,
         t("stock.per_day", lang, n=fmt_number(used / 7, lang))
         if used else t("stock.no_use", lang), "red"),
    ])


def national_row(table: pd.DataFrame, central: int = 0) -> dict[str, Any]:
    """The country's totals and days of supply (on hand / average daily use). On hand adds
    the `central` (national and regional) stores to the provinces', as the daily report does."""
    cols = ["allocated", "received", "administered", "on_hand", "used_7d"]
    total = {c: int(table[c].sum()) for c in cols} if not table.empty else dict.fromkeys(cols, 0)
    total["on_hand"] += central
    total["on_hand_central"] = central
    use = total["used_7d"] / stock.USE_DAYS
    return total | {"days_of_supply": round(total["on_hand"] / use, 1) if use else None}


def rank_table(services: Services, principal: Principal, drill: Drill,
               day: dt.date | None, vaccine: str | None = None) -> pd.DataFrame:
    """The ranked areas: provinces nationally, the districts of an allowed drill-down."""
    if drill and not drill.get("denied"):
        return stock.stock_by_district(services, drill["province"], principal, day, vaccine)
    return stock.stock_by_province(services, day, vaccine)


def update_rank(services: Services, principal: Principal, lang: str, metric: str | None,
                drill: Drill, day: dt.date | None, vaccine: str | None = None
                ) -> tuple[Any, str, Any, list[Component]]:
    """Ranking chart, its title, the drill notice and the KPI row (of the vaccine filter)."""
    provinces = stock.stock_by_province(services, day, vaccine)
    if not drill:
        fig = fs.ranking_figure(provinces, "province_code", "province_name", metric, lang)
        central = stock.national_on_hand(services, day, vaccine)["central"]
        return (fig, t("stock.rank.national", lang), None,
                area_kpis(national_row(provinces, central), lang))
    code = drill["province"]
    match = provinces[provinces["province_code"] == code]
    row = match.iloc[0].to_dict() if len(match) else {}
    name = str(row.get("province_name") or code)
    title = t("stock.rank.province", lang, name=name)
    # Facility staff see their facility on the map but no district totals: the note instead.
    facility_only = principal.districts_in(code) == frozenset() and principal.sees_below(code)
    if drill.get("denied") or facility_only:
        text = t("stock.denied", lang, name=name)
        return (fs.empty_figure(text, lang), title, mcc_common.notice(text, "denied"),
                area_kpis(row, lang))
    districts = rank_table(services, principal, drill, day, vaccine)
    fig = fs.ranking_figure(districts, "district_code", "district_name", metric, lang)
    return fig, title, None, area_kpis(row, lang)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the allocation page's map, drill-down, URL and option callbacks to `app`."""

    @app.callback(
        Output(ids.ALLOC_VACCINE, "options"), Output(ids.ALLOC_PROVINCE, "options"),
        Output(ids.ALLOC_MAP_METRIC, "options"), Output(ids.ALLOC_EXPIRY_BAND, "options"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _options(lang: str | None) -> tuple[Any, ...]:
        current_principal()
        lang = mcc_common.lang_of(services, lang)
        bands = [{"label": t("stock.expiry.band", lang, n=n), "value": n} for n in EXPIRY_BANDS]
        return (mcc_common.vaccine_options(lang), mcc_common.province_options(services, lang),
                choices(STOCK_METRICS, lang), bands)

    @app.callback(
        Output(ids.ALLOC_PROVINCE, "value"),
        Input(ids.ALLOC_MAP, "clickData"), Input(ids.ALLOC_BACK, "n_clicks"),
        prevent_initial_call=True,
    )
    def _select(click: dict[str, Any] | None, _back: int | None) -> Any:
        if ctx.triggered_id == ids.ALLOC_BACK:
            return ""
        return clicked_province(click) or dash.no_update

    @app.callback(Output(ids.ALLOC_DRILL, "data"), Output(ids.ALLOC_BACK, "hidden"),
                  Input(ids.ALLOC_PROVINCE, "value"))
    def _drill(province: str | None) -> tuple[Drill, bool]:
        state = drill_state(current_principal(), province)
        return state, state is None

    @app.callback(
        Output(ids.ALLOC_URL, "search"),
        Input(ids.ALLOC_AS_OF, "date"), Input(ids.ALLOC_VACCINE, "value"),
        Input(ids.ALLOC_PROVINCE, "value"),
    )
    def _url(as_of: str | None, vaccine: str | None, province: str | None) -> str:
        return to_search(mcc_common.filters(as_of, vaccine, province))

    @app.callback(
        Output(ids.ALLOC_MAP, "figure"), Output(ids.ALLOC_MAP_BUILT, "data"),
        Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"),
        Input(ids.ALLOC_MAP_METRIC, "value"), Input(ids.ALLOC_DRILL, "data"),
        Input(ids.ALLOC_AS_OF, "date"), Input(ids.ALLOC_VACCINE, "value"),
        State(ids.ALLOC_MAP_BUILT, "data"),
    )
    def _map(_v: Any, lang: str | None, metric: str | None, drill: Drill, as_of: str | None,
             vaccine: str | None, built: bool | None) -> tuple[go.Figure | Patch, bool]:
        f: Filters = mcc_common.filters(as_of, vaccine, None)
        return update_map(services, current_principal(), mcc_common.lang_of(services, lang),
                          metric, drill, f.day, built, f.vaccine)

    @app.callback(
        Output(ids.ALLOC_RANK, "figure"), Output(ids.ALLOC_RANK_TITLE, "children"),
        Output(ids.ALLOC_NOTICE, "children"), Output(ids.ALLOC_KPIS, "children"),
        Output(ids.ALLOC_UPDATED, "children"),
        Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"),
        Input(ids.ALLOC_MAP_METRIC, "value"), Input(ids.ALLOC_DRILL, "data"),
        Input(ids.ALLOC_AS_OF, "date"), Input(ids.ALLOC_VACCINE, "value"),
    )
    def _rank(_v: Any, lang: str | None, metric: str | None, drill: Drill,
              as_of: str | None, vaccine: str | None) -> tuple[Any, ...]:
        lang = mcc_common.lang_of(services, lang)
        f = mcc_common.filters(as_of, vaccine, None)
        principal = current_principal()
        key = {"lang": lang, "metric": metric, "drill": drill, "day": f.day,
               "vaccine": f.vaccine, "scope": mcc_common.scope_key(principal)}
        out = mcc_common.kept(services, "ui.alloc.rank", key, lambda: update_rank(
            services, principal, lang, metric, drill, f.day, f.vaccine))
        return (*out, mcc_common.stamp(services, lang, f.day))
