"""Glue shared by the command-center pages: language, filters, options, stamps, downloads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from callbacks.shared.i18n import fmt_date, fmt_int, fmt_time, norm_lang, t
from callbacks.shared.urlstate import Filters, parse
from data import catalog
from data.auth.roles import Principal
from data.mcc import common
from data.safe_cells import safe_frame
from data.services import Services

T = TypeVar("T")


def plain(value: T) -> T:
    """Figures (also inside tuples) as the dicts Dash sends, built once: serving a kept dict
    skips plotly's validation and array encoding on every request."""
    if isinstance(value, go.Figure):
        return value.to_dict()  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)  # type: ignore[return-value]
    return value


def kept(services: Services, name: str, params: dict[str, Any], build: Callable[[], T]) -> T:
    """`build()` once per data version and `params` in this worker (figures as plain dicts).

    Scoped views must put the scope they were built for in `params`.
    """
    return services.cache.memo(name, params, lambda: plain(build()))


def scope_key(principal: Principal) -> str:
    """What a scoped view depends on of its user: the roles and where they hold them."""
    return "|".join(sorted(f"{g.role}:{g.scope_level}:{g.scope_code}" for g in principal.grants))


def lang_of(services: Services, lang: str | None) -> str:
    """The language of a request: the shell's store, else the configured default."""
    return norm_lang(lang if lang in ("vi", "en") else services.settings.default_lang)


def filters(as_of: Any, vaccine: Any, province: Any) -> Filters:
    """The page's filters from the filter bar's values (malformed values dropped)."""
    return parse({"as_of": as_of, "vaccine": vaccine, "province": province})


def vaccine_options(lang: str | None) -> list[dict[str, str]]:
    """Every vaccine of the national catalogue, 'all' first."""
    return [{"label": t("filter.all_vaccines", lang), "value": ""}] + [
        {"label": f"{v.code} · {v.name}", "value": v.code} for v in catalog.VACCINES]


def province_names(services: Services) -> dict[str, str]:
    """Province code -> name (Vietnamese, as the reference data holds it)."""
    df = common.provinces(services)
    return dict(zip(df["province_code"].astype(str), df["province_name"].astype(str),
                    strict=True))


def province_options(services: Services, lang: str | None) -> list[dict[str, str]]:
    """Every province by name, 'whole country' first."""
    names = sorted(province_names(services).items(), key=lambda kv: kv[1])
    return [{"label": t("filter.all_provinces", lang), "value": ""}] + [
        {"label": name, "value": code} for code, name in names]


def stamp(services: Services, lang: str, day: dt.date | None) -> str:
    """'Updated at HH:MM:SS · data up to <as of>' in the campaign's time zone."""
    now = dt.datetime.now(ZoneInfo(services.settings.timezone))
    shown = common.resolve_as_of(services, day)
    return t("updated.stamp", lang, time=fmt_time(now), date=fmt_date(shown, lang))


def on_hand_note(row: pd.Series | dict[str, Any], lang: str) -> str:
    """Which stores the on-hand figure counts: every store (national and regional ones named)
    for the country, the province, district and site stores for a province."""
    central = row.get("on_hand_central")
    if central is None or pd.isna(central):
        return t("stock.on_hand.province", lang)
    return t("stock.on_hand.national", lang, n=fmt_int(central, lang))


def kpi_row(items: Sequence[tuple[str, str, str, str]]) -> list[html.Div]:
    """KPI cards from (label, value, context line, accent) tuples."""
    return [html.Div([html.Div(label, className="kpi-label"),
                      html.Div(value, className="kpi-value"),
                      html.Div(sub, className="kpi-sub")], className=f"kpi-card kpi-{accent}")
            for label, value, sub, accent in items]


def notice(text: str, kind: str = "info") -> html.Div:
    """A deliberate message in place of data (no data, no permission)."""
    return html.Div(text, className=f"mcc-notice mcc-notice-{kind}", role="status")


def csv_download(df: pd.DataFrame, chart: str, f: Filters) -> dict[str, Any]:
    """The data behind one chart as a CSV file named after the chart and the filters."""
    parts = [chart, f.province or "VN", f.vaccine or "", f.as_of or ""]
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", "_".join(p for p in parts if p)) + ".csv"
    return dcc.send_data_frame(safe_frame(df).to_csv, name, index=False)
