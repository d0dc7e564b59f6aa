"""Vaccination progress page: data version / language -> KPIs, daily chart, coverage map."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import dash
import plotly.graph_objects as go
from dash import Input, Output, Patch, State

from callbacks.mcc import coverage_marks as cm
from callbacks.mcc import figures, mcc_common
from callbacks.shared import ids
from callbacks.shared.i18n import MAP_METRICS, choices, fmt_date, fmt_int, fmt_time, t
from callbacks.shared.security import current_principal
from data import catalog
from data.clock import local_today
from data.geo.provinces import ATTRIBUTION, load_provinces_geojson
from data.mcc import aggregates
from data.services import Services

KPI_OUTPUTS: tuple[str, ...] = (
    ids.PROGRESS_KPI_DOSES, ids.PROGRESS_KPI_DOSE1, ids.PROGRESS_KPI_DOSE1_PCT,
    ids.PROGRESS_KPI_FULLY, ids.PROGRESS_KPI_FULLY_PCT, ids.PROGRESS_KPI_BOOSTER,
    ids.PROGRESS_KPI_TODAY, ids.PROGRESS_KPI_TODAY_DATE, ids.PROGRESS_KPI_TODAY_LABEL,
)


def _pct_line(pct: float | None, lang: str) -> str:
    if pct is None:
        return t("kpi.no_population", lang)
    text = t("kpi.pct_of_population", lang, pct=cm.fmt_coverage(pct, lang))
    return f"{text} · {cm.MARK} {cm.note(lang)}" if cm.is_over(pct) else text


def day_kpi(k: dict[str, Any], today: dt.date, lang: str) -> dict[str, str]:
    """The day card: today's doses, or, when the data end on another day (a historic
    campaign, a feed that stopped), that day's doses under a label naming it: '0 today'
    would read as a campaign that stopped today."""
    key = int(k.get("last_date_key") or 0)
    last = dt.date(key // 10000, key // 100 % 100, key % 100) if key else None
    if last is None or last == today:
        return {ids.PROGRESS_KPI_TODAY_LABEL: t("kpi.today", lang),
                ids.PROGRESS_KPI_TODAY: fmt_int(k["today"], lang),
                ids.PROGRESS_KPI_TODAY_DATE: t("kpi.today.date", lang,
                                               date=fmt_date(today, lang))}
    return {ids.PROGRESS_KPI_TODAY_LABEL: t("kpi.last_day", lang, date=fmt_date(last, lang)),
            ids.PROGRESS_KPI_TODAY: fmt_int(k["last_day_doses"], lang),
            ids.PROGRESS_KPI_TODAY_DATE: t("kpi.last_day.sub", lang,
                                           n=fmt_int(k["today"], lang))}


def kpi_texts(services: Services, lang: str, today: dt.date | None = None) -> dict[str, str]:
    """Formatted headline numbers, keyed by component id."""
    day = today or local_today(services)
    k = aggregates.national_kpis(services, day)
    return day_kpi(k, day, lang) | {
        ids.PROGRESS_KPI_DOSES: fmt_int(k["doses"], lang),
        ids.PROGRESS_KPI_DOSE1: fmt_int(k["dose1"], lang),
        ids.PROGRESS_KPI_DOSE1_PCT: _pct_line(k["pct_dose1"], lang),  # type: ignore[arg-type]
        ids.PROGRESS_KPI_FULLY: fmt_int(k["fully"], lang),
        ids.PROGRESS_KPI_FULLY_PCT: _pct_line(k["pct_fully"], lang),  # type: ignore[arg-type]
        ids.PROGRESS_KPI_BOOSTER: fmt_int(k["booster"], lang),
    }


def updated_stamp(services: Services, lang: str, now: dt.datetime | None = None) -> str:
    """'Updated at HH:MM:SS · data up to <last day with doses>' in the campaign's time zone."""
    moment = now or dt.datetime.now(ZoneInfo(services.settings.timezone))
    last_key = int(aggregates.national_kpis(services, moment.date())["last_date_key"] or 0)
    if not last_key:
        return t("updated.stamp.empty", lang, time=fmt_time(moment))
    last = dt.date(last_key // 10000, last_key // 100 % 100, last_key % 100)
    return t("updated.stamp", lang, time=fmt_time(moment), date=fmt_date(last, lang))


def daily_figure(services: Services, lang: str) -> go.Figure:
    """Doses per day by dose kind with the 7-day average."""
    labels = {kind: names[lang] for kind, names in catalog.DOSE_KIND_LABELS.items()}
    return figures.daily_doses_figure(aggregates.daily_doses_by_kind(services), labels, lang)


def update_overview(services: Services, lang: str | None) -> tuple[Any, ...]:
    """Outputs of the overview callback: the KPI texts, the daily chart, the stamp."""
    lang = lang if lang in ("vi", "en") else services.settings.default_lang
    day = local_today(services)

    def build() -> tuple[Any, ...]:
        kpis = kpi_texts(services, lang, day)
        return (*(kpis[i] for i in KPI_OUTPUTS), daily_figure(services, lang))

    # Built once per data version, language and day; the stamp tells the time of this call.
    kept = mcc_common.kept(services, "ui.progress.overview", {"lang": lang, "day": day},
                           build)
    return (*kept, updated_stamp(services, lang))


def update_map(
    services: Services, lang: str | None, metric: str | None, built: bool | None
) -> tuple[dict[str, Any] | Patch, bool]:
    """The full choropleth on the first render of a visit, afterwards a Patch without geometry."""
    lang = lang if lang in ("vi", "en") else services.settings.default_lang
    metric = metric or "pct_dose1"
    geojson = load_provinces_geojson()
    values = mcc_common.kept(
        services, "ui.progress.map_values", {"lang": lang, "metric": metric},
        lambda: figures.coverage_map_values(
            aggregates.coverage_by_province(services), geojson, metric, lang))
    if built:
        return figures.coverage_map_patch(values), True
    full = mcc_common.kept(
        services, "ui.progress.map", {"lang": lang, "metric": metric},
        lambda: figures.coverage_map_figure(geojson, values, ATTRIBUTION))
    return full, True


def register(app: dash.Dash, services: Services) -> None:
    """Attach the progress page's callbacks to `app`."""

    @app.callback(
        *(Output(i, "children") for i in KPI_OUTPUTS),
        Output(ids.PROGRESS_DAILY, "figure"),
        Output(ids.PROGRESS_UPDATED, "children"),
        Input(ids.SHELL_VERSION, "data"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _overview(_version: str | None, lang: str | None) -> tuple[Any, ...]:
        # National figures are open to every signed-in user; scoped reads (district detail)
        # take this principal and raise Forbidden outside it.
        current_principal()
        return update_overview(services, lang)

    @app.callback(
        Output(ids.PROGRESS_MAP, "figure"),
        Output(ids.PROGRESS_MAP_BUILT, "data"),
        Input(ids.SHELL_VERSION, "data"),
        Input(ids.SHELL_LANG, "data"),
        Input(ids.PROGRESS_MAP_METRIC, "value"),
        State(ids.PROGRESS_MAP_BUILT, "data"),
    )
    def _map(
        _version: str | None, lang: str | None, metric: str | None, built: bool | None
    ) -> tuple[dict[str, Any] | Patch, bool]:
        current_principal()
        return update_map(services, lang, metric, built)

    @app.callback(Output(ids.PROGRESS_MAP_METRIC, "options"), Input(ids.SHELL_LANG, "data"))
    def _metric_options(lang: str | None) -> list[dict[str, str]]:
        return choices(MAP_METRICS, lang)
