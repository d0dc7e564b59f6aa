"""The public figures page's data: one callback fills the cards, the province bar list, the
supply table and the AEFI table from data.portal.figures, in the page's language.

It is the page's data endpoint: the portal's refresh timer calls it, and it answers with
no_update unless the data version moved since the page's last read (the version is in a
store of the page), so an open page costs one version read per tick.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import dash
from dash import Input, Output, State, ctx, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, fmt_number, fmt_pct, norm_lang, t
from callbacks.shared.ids_portal import (
    FIG_AEFI,
    FIG_CSV,
    FIG_KPIS,
    FIG_NATIONAL_DOSES,
    FIG_PROVINCES,
    FIG_SORT,
    FIG_STAMP,
    FIG_SUPPLY,
    FIG_VERSION,
    PORTAL_REFRESH,
)
from callbacks.shared.json_ready import as_dicts
from callbacks.shared.portal_paths import PUBLIC_FIGURES_CSV
from callbacks.shared.public_figures import RATE_SUPPRESSED, SUPPRESSED
from data.clock import local_today
from data.portal import figures
from data.services import Services

SORTS = ("coverage", "name", "doses")


def _int(value: int | None, lang: str) -> str:
    return SUPPRESSED if value is None else fmt_int(value, lang)


def _pct(value: float | None, lang: str) -> str:
    return SUPPRESSED if value is None else fmt_pct(value, lang)


def _rate(value: float | None, lang: str) -> str:
    return RATE_SUPPRESSED if value is None else fmt_number(value, lang, 2)


def _card(title: str, value: str, sub: str = "", ident: str | None = None) -> html.Div:
    value_props: dict[str, Any] = {"id": ident} if ident else {}
    return html.Div([html.Div(title, className="pf-card-title"),
                     html.Div(value, className="pf-card-value", **value_props),
                     html.Div(sub, className="pf-card-sub")], className="pf-card")


def kpi_cards(figs: dict[str, Any], lang: str) -> list[Component]:
    """Doses, today's (or the last day's) doses, first doses, fully vaccinated, boosters,
    registrations."""
    n = figs["national"]
    if n["last_date"] and n["last_date"] != n["today"]:
        day = (t("portal.figures.last_day", lang), _int(n["last_day_doses"], lang),
               fmt_date(dt.date.fromisoformat(n["last_date"]), lang))
    else:
        day = (t("portal.figures.today", lang), _int(n["today_doses"], lang),
               fmt_date(dt.date.fromisoformat(n["today"]), lang))
    of_pop = N_("portal.figures.of_population")
    return [
        _card(t("portal.figures.doses", lang), _int(n["doses"], lang), ident=FIG_NATIONAL_DOSES),
        _card(*day),
        _card(t("portal.figures.dose1", lang), _int(n["dose1"], lang),
              t(of_pop, lang, pct=_pct(n["pct_dose1"], lang))),
        _card(t("portal.figures.fully", lang), _int(n["fully"], lang),
              t(of_pop, lang, pct=_pct(n["pct_fully"], lang))),
        _card(t("portal.figures.booster", lang), _int(n["booster"], lang)),
        _card(t("portal.figures.registrations", lang), _int(n["registrations"], lang)),
    ]


def sorted_provinces(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Highest coverage (fully vaccinated) first, most doses first, or by name; suppressed
    figures last."""
    if sort == "name":
        return sorted(rows, key=lambda r: name_key(r["province_name"]))
    col = "doses" if sort == "doses" else "pct_fully"
    return sorted(rows, key=lambda r: (r[col] is None, -(r[col] or 0),
                                       name_key(r["province_name"])))


def _width(pct: float | None) -> str:
    return f"{0.0 if pct is None else max(0.0, min(100.0, pct)):.1f}%"


def name_key(name: str) -> tuple[str, str]:
    """Sort key of a Vietnamese place name: its letters without tone marks first (Bắc Giang
    before Bình Dương, Đà Nẵng among the D's), the exact spelling to break ties."""
    bare = "".join(c for c in unicodedata.normalize("NFD", name)
                   if unicodedata.category(c) != "Mn")
    return bare.replace("Đ", "D").replace("đ", "d").casefold(), name


def province_list(figs: dict[str, Any], sort: str, lang: str) -> list[Component]:
    """One compact row per province: name and doses, then one bar with two fills (>= 1 dose
    light, fully vaccinated dark over it) and both percentages."""
    legend = html.Div([html.Span(t("portal.figures.pct_dose1", lang), className="pf-key pf-d1"),
                       html.Span(t("portal.figures.pct_fully", lang), className="pf-key pf-full")],
                      className="pf-legend")
    rows = [
        html.Li([
            html.Div([html.Span(r["province_name"], className="pf-name"),
                      html.Span(t("portal.figures.n_doses", lang, n=_int(r["doses"], lang)),
                                className="pf-doses")], className="pf-row-head"),
            html.Div([
                html.Div([html.Div(className="pf-bar-fill pf-d1",
                                   style={"width": _width(r["pct_dose1"])}),
                          html.Div(className="pf-bar-fill pf-full",
                                   style={"width": _width(r["pct_fully"])})],
                         className="pf-bar"),
                html.Span([html.Span(_pct(r["pct_dose1"], lang), className="pf-pct-d1"), " · ",
                           html.Span(_pct(r["pct_fully"], lang), className="pf-pct-full")],
                          className="pf-pct"),
            ], className="pf-bar-line"),
        ], className="pf-row", **{"data-code": r["province_code"]})
        for r in sorted_provinces(figs["provinces"], sort)]
    return [legend, html.Ol(rows, className="pf-list")]


def _table(head: list[str], rows: list[list[str]], first_text: bool = True) -> html.Div:
    cells = [html.Tr([html.Th(h, scope="col") for h in head])]
    cells += [html.Tr([html.Th(r[0], scope="row") if first_text else html.Td(r[0]),
                       *(html.Td(c, className="pf-num") for c in r[1:])]) for r in rows]
    return html.Div(html.Table(html.Tbody(cells), className="pf-table"), className="pf-scroll")


def supply_table(figs: dict[str, Any], lang: str) -> Component:
    """Per vaccine: doses allocated to the provinces and received by them."""
    if not figs["vaccines"]:
        return html.P(t("portal.figures.none", lang), className="pf-sub")
    return _table([t("portal.figures.vaccine", lang), t("portal.figures.allocated", lang),
                   t("portal.figures.received", lang)],
                  [[v["vaccine_name"], _int(v["allocated"], lang), _int(v["received"], lang)]
                   for v in figs["vaccines"]])


def aefi_view(figs: dict[str, Any], lang: str) -> list[Component]:
    """National rates per 100,000 doses as cards, then the provinces' table."""
    a = figs["aefi"]
    nat = a["national"]
    per = t("portal.figures.per_100k", lang)
    cards = html.Div([
        _card(f"{t('portal.figures.aefi_rate', lang)} {per}", _rate(nat["rate_per_100k"], lang),
              t("portal.figures.n_cases", lang, n=_int(nat["cases"], lang))),
        _card(f"{t('portal.figures.aefi_serious_rate', lang)} {per}",
              _rate(nat["serious_per_100k"], lang),
              t("portal.figures.n_cases", lang, n=_int(nat["serious"], lang))),
    ], className="pf-kpis pf-kpis-two")
    head = [t("portal.figures.province", lang), t("portal.figures.aefi_cases", lang),
            f"{t('portal.figures.aefi_rate', lang)} {per}", t("portal.figures.aefi_serious", lang),
            f"{t('portal.figures.aefi_serious_rate', lang)} {per}"]
    rows = [[r["province_name"], _int(r["cases"], lang), _rate(r["rate_per_100k"], lang),
             _int(r["serious"], lang), _rate(r["serious_per_100k"], lang)]
            for r in sorted(a["provinces"], key=lambda r: name_key(r["province_name"]))]
    # 63 rows: folded, so a phone reaches the downloads; the national rates stay in view.
    table = html.Details([html.Summary(t("portal.figures.aefi_by_province", lang,
                                         n=fmt_int(len(rows), lang))), _table(head, rows)],
                         className="pf-details")
    return [cards, table]


def sort_options(lang: str) -> list[dict[str, str]]:
    keys = {"coverage": t("portal.figures.sort.coverage", lang),
            "name": t("portal.figures.sort.name", lang),
            "doses": t("portal.figures.sort.doses", lang)}
    return [{"label": keys[s], "value": s} for s in SORTS]


def render(services: Services, lang: str, sort: str) -> tuple[Any, ...]:
    """Every output of the page for one language and sort (kept per data version)."""
    figs = figures.public_figures(services)
    stamp = t("portal.figures.as_of", lang, date=fmt_date(dt.date.fromisoformat(figs["as_of"]),
                                                           lang))
    return tuple(as_dicts(part) for part in (
        kpi_cards(figs, lang), province_list(figs, sort, lang), supply_table(figs, lang),
        aefi_view(figs, lang), stamp, sort_options(lang), f"{PUBLIC_FIGURES_CSV}?lang={lang}"))


def register(app: dash.Dash, services: Services) -> None:
    """Attach the figures page's callback to the portal app."""

    @app.callback(
        Output(FIG_KPIS, "children"), Output(FIG_PROVINCES, "children"),
        Output(FIG_SUPPLY, "children"), Output(FIG_AEFI, "children"),
        Output(FIG_STAMP, "children"), Output(FIG_SORT, "options"), Output(FIG_CSV, "href"),
        Output(FIG_VERSION, "data"),
        Input(PORTAL_REFRESH, "n_intervals"), Input(ids.SHELL_LANG, "data"),
        Input(FIG_SORT, "value"),
        State(FIG_VERSION, "data"),
    )
    def _figures(_tick: Any, lang: Any, sort: Any, seen: Any) -> tuple[Any, ...]:
        version = figures.version(services)
        if ctx.triggered_id == PORTAL_REFRESH and seen == version:
            raise dash.exceptions.PreventUpdate  # nothing moved: the page keeps its figures
        lang = norm_lang(lang if isinstance(lang, str) else None)
        sort = sort if sort in SORTS else SORTS[0]
        params = {"lang": lang, "sort": sort, "today": local_today(services).isoformat()}
        out = services.cache.memo("ui.portal.figures", params,
                                  lambda: render(services, lang, sort))
        return (*out, version)
