"""Allocation and stock page, lower panels: decisions over time, the allocations carried out
per recipient and product, expiring lots, stock-out risk, and the CSV download of every
chart's data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
import pandas as pd
from dash import ALL, Input, Output, State, ctx

from callbacks.mcc import allocation, mcc_common
from callbacks.mcc import figures_stock as fs
from callbacks.mcc.mcc_choices import EXPIRY_BANDS
from callbacks.shared import ids, tables
from callbacks.shared.security import current_principal
from callbacks.shared.urlstate import Filters
from data.auth.roles import Principal
from data.mcc import common, names, stock
from data.services import Services

PAGE = "allocation"
EXPIRY_FIELDS = ["warehouse_name", "level", "province_code", "province_name", "district_code",
                 "district_name", "vaccine_code", "lot_number", "expiry_date", "days_left",
                 "doses"]
CARRIED_FIELDS = ["recipient_name", "recipient_code", "recipient_level", "vaccine_code",
                  "allocated", "dispatched", "received", "owed"]
RISK_FIELDS = ["level", "code", "name", "province_code", "province_name", "district_code",
               "district_name", "on_hand", "used_7d", "avg_daily_use", "days_of_supply"]


def _province(drill: allocation.Drill) -> str | None:
    return drill["province"] if drill else None


def _recipient_names(services: Services, f: Filters) -> dict[str, str]:
    recipients = mcc_common.province_names(services)
    if f.province:
        recipients |= dict(common.districts(services, f.province)[
            ["district_code", "district_name"]].astype(str).values)
    return recipients


def decisions_table(services: Services, principal: Principal, f: Filters) -> pd.DataFrame:
    """Allocation decisions of the country (or the drilled province), for the vaccine filter,
    each with what was dispatched, received and is still owed against it."""
    df = stock.allocation_decisions(services, principal, f.province, f.day, f.vaccine)
    return df.assign(recipient_name=df["recipient_code"].map(_recipient_names(services, f)))


def carried_table(services: Services, principal: Principal, f: Filters) -> pd.DataFrame:
    """The same decisions summed per recipient and product: allocated, dispatched, received,
    owed."""
    df = stock.allocations_by_recipient(services, principal, f.province, f.day, f.vaccine)
    return df.assign(recipient_name=df["recipient_code"].map(_recipient_names(services, f)))


def carried_grid(df: pd.DataFrame, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Columns and rows of the allocations carried out."""
    cols = [tables.column("recipient_name", "col.recipient", lang, minWidth=180,
                          tooltipField="recipient_code"),
            tables.column("recipient_level", "col.level", lang),
            tables.column("vaccine_code", "col.vaccine", lang),
            tables.column("allocated", "stock.metric.allocated", lang, "number"),
            tables.column("dispatched", "col.dispatched", lang, "number"),
            tables.column("received", "col.received_alloc", lang, "number"),
            tables.column("owed", "col.owed", lang, "number", sort="desc")]
    labels = {"recipient_level": tables.coded("level", df["recipient_level"].unique(), lang)}
    return cols, tables.rows(df, CARRIED_FIELDS, labels)


def expiry_table(services: Services, principal: Principal, f: Filters, band: int | None
                 ) -> pd.DataFrame:
    """Lots on hand expiring within `band` days and where they are (within scope)."""
    df = stock.expiring_lots(services, principal, f.day, EXPIRY_BANDS, f.province, f.vaccine)
    df = df[df["days_left"] <= (band if band in EXPIRY_BANDS else max(EXPIRY_BANDS))]
    return names.with_names(services, df.reset_index(drop=True), ("province", "district"))


def risk_table(services: Services, principal: Principal, f: Filters, days: float | None
               ) -> pd.DataFrame:
    """Districts and facilities with fewer than `days` days of supply (within scope), of the
    vaccine filter's product when one is chosen."""
    threshold = float(days) if isinstance(days, int | float) and days > 0 else 7.0
    df = stock.stockout_risk(services, principal, threshold, f.day, f.province, f.vaccine)
    return names.with_names(services, df, ("province", "district"))


def expiry_grid(df: pd.DataFrame, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Columns and rows of the expiring-lots table."""
    cols = [tables.column("warehouse_name", "col.warehouse", lang, minWidth=180,
                          tooltipField="warehouse_name"),
            tables.column("level", "col.level", lang),
            tables.named("province", "col.province", lang, minWidth=140),
            tables.named("district", "col.district", lang, minWidth=140),
            tables.column("vaccine_code", "col.vaccine", lang),
            tables.column("lot_number", "col.lot", lang),
            tables.column("expiry_date", "col.expiry", lang, "date"),
            tables.column("days_left", "col.days_left", lang, "number", sort="asc"),
            tables.column("doses", "col.doses", lang, "number")]
    labels = {"level": tables.coded("level", df["level"].unique(), lang)}
    return cols, tables.rows(df, EXPIRY_FIELDS, labels)


def risk_grid(df: pd.DataFrame, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Columns and rows of the stock-out risk table."""
    cols = [tables.column("level", "col.level", lang),
            tables.column("code", "col.code", lang, maxWidth=130),
            tables.column("name", "col.name", lang, minWidth=180, tooltipField="name"),
            tables.named("province", "col.province", lang, minWidth=140),
            tables.named("district", "col.district", lang, minWidth=140),
            tables.column("on_hand", "stock.metric.on_hand", lang, "number"),
            tables.column("used_7d", "col.used_7d", lang, "number"),
            tables.column("avg_daily_use", "col.avg_daily_use", lang, "number", 1),
            tables.column("days_of_supply", "stock.metric.days_of_supply", lang, "number", 1,
                          sort="asc")]
    labels = {"level": tables.coded("level", df["level"].unique(), lang)}
    return cols, tables.rows(df, RISK_FIELDS, labels)


def chart_data(services: Services, principal: Principal, chart: str, f: Filters,
               drill: allocation.Drill, state: dict[str, Any]) -> pd.DataFrame:
    """The data behind one chart of the page, as its CSV download holds it."""
    if chart == "map":
        return stock.stock_by_province(services, f.day, f.vaccine)
    if chart == "rank":
        return allocation.rank_table(services, principal, drill, f.day, f.vaccine)
    if chart == "decisions":
        return decisions_table(services, principal, f)
    if chart == "carried":
        return carried_table(services, principal, f)
    if chart == "expiry":
        return expiry_table(services, principal, f, state.get("band"))
    return risk_table(services, principal, f, state.get("days"))


def register(app: dash.Dash, services: Services) -> None:
    """Attach the allocation page's panel and download callbacks to `app`."""
    filters_in = (Input(ids.ALLOC_AS_OF, "date"), Input(ids.ALLOC_VACCINE, "value"),
                  Input(ids.ALLOC_DRILL, "data"))

    def _filters(as_of: Any, vaccine: Any, drill: allocation.Drill) -> Filters:
        return mcc_common.filters(as_of, vaccine, _province(drill))

    def _grid(name: str, lang: str | None, f: Filters, limit: Any,
              build: Callable[[Principal, str], tuple[Any, Any]]) -> tuple[Any, ...]:
        # A lot or risk table kept per data version, filters, limit and scope.
        principal, lang = current_principal(), mcc_common.lang_of(services, lang)
        key = {"lang": lang, "f": f, "limit": limit, "scope": mcc_common.scope_key(principal)}
        grid = mcc_common.kept(services, name, key, lambda: build(principal, lang))
        return (*grid, tables.grid_options(lang))

    @app.callback(Output(ids.ALLOC_DECISIONS, "figure"), Input(ids.SHELL_VERSION, "data"),
                  Input(ids.SHELL_LANG, "data"), *filters_in)
    def _decisions(_v: Any, lang: str | None, as_of: Any, vaccine: Any,
                   drill: allocation.Drill) -> Any:
        principal, f = current_principal(), _filters(as_of, vaccine, drill)
        lang = mcc_common.lang_of(services, lang)
        key = {"lang": lang, "f": f, "scope": mcc_common.scope_key(principal)}
        return mcc_common.kept(services, "ui.alloc.decisions", key, lambda: fs.decisions_figure(
            decisions_table(services, principal, f), lang))

    @app.callback(Output(ids.ALLOC_CARRIED, "columnDefs"), Output(ids.ALLOC_CARRIED, "rowData"),
                  Output(ids.ALLOC_CARRIED, "dashGridOptions"),
                  Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"), *filters_in)
    def _carried(_v: Any, lang: str | None, as_of: Any, vaccine: Any,
                 drill: allocation.Drill) -> tuple[Any, ...]:
        f = _filters(as_of, vaccine, drill)
        return _grid("ui.alloc.carried", lang, f, None, lambda p, lg: carried_grid(
            carried_table(services, p, f), lg))

    @app.callback(Output(ids.ALLOC_EXPIRY, "columnDefs"), Output(ids.ALLOC_EXPIRY, "rowData"),
                  Output(ids.ALLOC_EXPIRY, "dashGridOptions"),
                  Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"), *filters_in,
                  Input(ids.ALLOC_EXPIRY_BAND, "value"))
    def _expiry(_v: Any, lang: str | None, as_of: Any, vaccine: Any, drill: allocation.Drill,
                band: int | None) -> tuple[Any, ...]:
        f = _filters(as_of, vaccine, drill)
        return _grid("ui.alloc.expiry", lang, f, band, lambda p, lg: expiry_grid(
            expiry_table(services, p, f, band), lg))

    @app.callback(Output(ids.ALLOC_RISK, "columnDefs"), Output(ids.ALLOC_RISK, "rowData"),
                  Output(ids.ALLOC_RISK, "dashGridOptions"),
                  Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"), *filters_in,
                  Input(ids.ALLOC_RISK_DAYS, "value"))
    def _risk(_v: Any, lang: str | None, as_of: Any, vaccine: Any, drill: allocation.Drill,
              days: float | None) -> tuple[Any, ...]:
        f = _filters(as_of, vaccine, drill)
        return _grid("ui.alloc.risk", lang, f, days, lambda p, lg: risk_grid(
            risk_table(services, p, f, days), lg))

    @app.callback(
        Output(ids.ALLOC_DOWNLOAD, "data"),
        Input({"type": ids.MCC_DOWNLOAD, "page": PAGE, "chart": ALL}, "n_clicks"),
        State(ids.ALLOC_AS_OF, "date"), State(ids.ALLOC_VACCINE, "value"),
        State(ids.ALLOC_DRILL, "data"), State(ids.ALLOC_EXPIRY_BAND, "value"),
        State(ids.ALLOC_RISK_DAYS, "value"), prevent_initial_call=True,
    )
    def _download(clicks: list[int | None], as_of: Any, vaccine: Any, drill: allocation.Drill,
                  band: int | None, days: float | None) -> Any:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return dash.no_update
        f = _filters(as_of, vaccine, drill)
        df = chart_data(services, current_principal(), str(trigger["chart"]), f, drill,
                        {"band": band, "days": days})
        return mcc_common.csv_download(df, str(trigger["chart"]), f)
