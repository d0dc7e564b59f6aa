"""Facilities page: one province's sites, doses per day against capacity, utilisation and
the sites that stopped reporting.

Everything here is below province level, so every read goes through data.mcc.facilities with
the signed-in principal, which raises Forbidden (a 403) outside the principal's area. The page
never asks for what the user may not see: the area store carries `denied` and the panels then
show a 'no permission' note instead.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import ALL, Input, Output, State, ctx
from dash.development.base_component import Component

from callbacks.mcc import facilities_tables as ft
from callbacks.mcc import figures_facilities as ff
from callbacks.mcc import mcc_common
from callbacks.mcc.figures import empty_figure
from callbacks.mcc.mcc_choices import SILENT_DAYS, WINDOW_DAYS
from callbacks.shared import ids, tables
from callbacks.shared.i18n import t
from callbacks.shared.security import current_principal
from callbacks.shared.urlstate import Filters, parse, to_search
from data.auth.roles import Principal
from data.mcc import common, facilities, names
from data.services import Services

PAGE = "facilities"


def page_filters(as_of: Any, since: Any, province: Any = None) -> Filters:
    """The page's filters: the date range (from, as of) and the province."""
    return parse({"as_of": as_of, "from": since, "province": province})


def window_days(services: Services, f: Filters) -> int:
    """Days of the page's window: the date range when one is set, else WINDOW_DAYS to as_of."""
    return facilities.window_days(common.resolve_as_of(services, f.day), WINDOW_DAYS, f.since)


def blocked(services: Services, area: ft.Area, lang: str) -> Component | None:
    """The note shown instead of data: no province chosen, or no permission (else None)."""
    if area is None:
        return mcc_common.notice(t("fac.choose", lang))
    if area.get("denied"):
        name = mcc_common.province_names(services).get(area["province"], area["province"])
        return mcc_common.notice(t("stock.denied", lang, name=name), "denied")
    return None


def util_table(services: Services, principal: Principal, area: ft.Area,
               f: Filters) -> pd.DataFrame:
    """Utilisation of the area's facilities over the window (Forbidden outside scope)."""
    assert area is not None
    df = facilities.utilisation(services, area["province"], principal, f.day, WINDOW_DAYS,
                                f.since)
    return names.with_names(services, df, ("district",))


def silent_table(services: Services, principal: Principal, area: ft.Area, f: Filters,
                 days: Any) -> pd.DataFrame:
    """Facilities of the area holding stock without doses for `days` days."""
    assert area is not None
    # The silent read filters by scope; asking for another province's detail is refused.
    principal.require_facility_detail(area["province"])
    df = facilities.silent_facilities(services, principal, f.day,
                                      ft.silent_days(days, SILENT_DAYS), area["province"])
    df = df.sort_values("days_silent", ascending=False, na_position="first")
    return names.with_names(services, df, ("district",))


def chart_data(services: Services, principal: Principal, chart: str, area: ft.Area,
               f: Filters, days: Any) -> pd.DataFrame:
    """The data behind one panel of the page, as its CSV download holds it."""
    if chart == "daily":
        assert area is not None
        return facilities.facility_daily(services, area["province"], principal, f.day,
                                         WINDOW_DAYS, f.since)
    if chart == "silent":
        return silent_table(services, principal, area, f, days)
    return util_table(services, principal, area, f)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the facilities page's callbacks to `app`."""
    live = (Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"))
    where = (Input(ids.FAC_AS_OF, "date"), Input(ids.FAC_FROM, "date"),
             Input(ids.FAC_AREA, "data"))

    @app.callback(Output(ids.FAC_PROVINCE, "options"), Output(ids.FAC_PROVINCE, "value"),
                  Input(ids.SHELL_LANG, "data"), State(ids.FAC_PROVINCE, "value"))
    def _options(_lang: str | None, province: str | None) -> tuple[Any, Any]:
        principal = current_principal()
        options = ft.province_choices(mcc_common.province_names(services), principal)
        # Always a value, never no_update: a no_update here would keep the area callback
        # (which waits on this output) from running on the first render.
        return options, province or ft.default_province(principal) or ""

    @app.callback(Output(ids.FAC_AREA, "data"), Input(ids.FAC_PROVINCE, "value"))
    def _area(province: str | None) -> ft.Area:
        return ft.area_state(current_principal(), province)

    @app.callback(Output(ids.FAC_URL, "search"), Input(ids.FAC_AS_OF, "date"),
                  Input(ids.FAC_FROM, "date"), Input(ids.FAC_PROVINCE, "value"))
    def _url(as_of: Any, since: Any, province: Any) -> str:
        return to_search(page_filters(as_of, since, province))

    @app.callback(Output(ids.FAC_NOTICE, "children"), Output(ids.FAC_KPIS, "children"),
                  Output(ids.FAC_UTIL, "columnDefs"), Output(ids.FAC_UTIL, "rowData"),
                  Output(ids.FAC_UTIL, "dashGridOptions"), Output(ids.FAC_FACILITY, "options"),
                  Output(ids.FAC_FACILITY, "value"), Output(ids.FAC_UPDATED, "children"),
                  *live, *where, State(ids.FAC_FACILITY, "value"))
    def _main(_v: Any, lang: str | None, as_of: Any, since: Any, area: ft.Area,
              chosen: str | None) -> tuple[Any, ...]:
        principal = current_principal()
        lang = mcc_common.lang_of(services, lang)
        f = page_filters(as_of, since)
        opts, stamp = tables.grid_options(lang), mcc_common.stamp(services, lang, f.day)
        note = blocked(services, area, lang)
        if note is not None:
            return note, [], [], [], opts, ft.facility_choices(pd.DataFrame(), lang), "", stamp
        util = util_table(services, principal, area, f)
        choices = ft.facility_choices(util, lang)
        keep = chosen if chosen in {c["value"] for c in choices} else ""
        day = common.resolve_as_of(services, f.day)
        return (None, ft.kpis(util, window_days(services, f), day, lang),
                *ft.util_grid(util, lang), opts,
                choices, keep, stamp)

    @app.callback(Output(ids.FAC_DAILY, "figure"), *live, *where,
                  Input(ids.FAC_FACILITY, "value"))
    def _daily(_v: Any, lang: str | None, as_of: Any, since: Any, area: ft.Area,
               facility: str | None) -> Any:
        principal = current_principal()
        lang = mcc_common.lang_of(services, lang)
        if area is None or area.get("denied"):
            return empty_figure(t("fac.choose", lang) if area is None else t("empty.filters", lang),
                                lang)
        f = page_filters(as_of, since)
        daily = chart_data(services, principal, "daily", area, f, None)
        return ff.capacity_figure(daily, facility or None, lang)

    @app.callback(Output(ids.FAC_SILENT, "columnDefs"), Output(ids.FAC_SILENT, "rowData"),
                  Output(ids.FAC_SILENT, "dashGridOptions"), *live,
                  Input(ids.FAC_AS_OF, "date"), Input(ids.FAC_AREA, "data"),
                  Input(ids.FAC_SILENT_DAYS, "value"))
    def _silent(_v: Any, lang: str | None, as_of: Any, area: ft.Area,
                days: Any) -> tuple[Any, ...]:
        # The silent rule looks at the N days ending on as_of, whatever the range's start.
        principal = current_principal()
        lang = mcc_common.lang_of(services, lang)
        if area is None or area.get("denied"):
            return [], [], tables.grid_options(lang)
        df = silent_table(services, principal, area, mcc_common.filters(as_of, None, None), days)
        return (*ft.silent_grid(df, lang), tables.grid_options(lang))

    @app.callback(
        Output(ids.FAC_DOWNLOAD, "data"),
        Input({"type": ids.MCC_DOWNLOAD, "page": PAGE, "chart": ALL}, "n_clicks"),
        State(ids.FAC_AS_OF, "date"), State(ids.FAC_FROM, "date"), State(ids.FAC_AREA, "data"),
        State(ids.FAC_SILENT_DAYS, "value"), prevent_initial_call=True,
    )
    def _download(clicks: list[int | None], as_of: Any, since: Any, area: ft.Area,
                  days: Any) -> Any:
        trigger = ctx.triggered_id
        principal = current_principal()
        if not isinstance(trigger, dict) or not any(clicks) or not area or area.get("denied"):
            return dash.no_update
        f = page_filters(as_of, since, area["province"])
        df = chart_data(services, principal, str(trigger["chart"]), area, f, days)
        return mcc_common.csv_download(df, str(trigger["chart"]), f)
