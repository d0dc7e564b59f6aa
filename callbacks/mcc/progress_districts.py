"""Progress page: coverage of the districts of one province (picked on the map or in a list).

Below the province the data layer applies the user's scope: a province or district officer
sees their own area (and starts on their province, which the selector shows: it offers no
'whole country' to them); others get a 'no permission' note. The picked province is written
into the URL (?province=79), so the view can be shared as a link.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output

from callbacks.mcc import figures, mcc_common
from callbacks.mcc import figures_progress as fp
from callbacks.mcc.allocation import clicked_province
from callbacks.shared import ids
from callbacks.shared.i18n import MAP_METRICS, t
from callbacks.shared.security import current_principal
from callbacks.shared.urlstate import Filters, parse, to_search
from data.auth.roles import Forbidden, Principal
from data.mcc import aggregates
from data.services import Services


def home_province(principal: Principal) -> str | None:
    """The one province a non-national user works in (None: national, or several)."""
    provinces = principal.provinces()
    return next(iter(provinces)) if not principal.national and len(provinces) == 1 else None


def district_options(services: Services, principal: Principal, lang: str | None
                     ) -> list[dict[str, str]]:
    """Provinces by name; 'whole country' first only for users without a home province
    (for an officer the panel always shows a province: theirs unless they pick another)."""
    options = mcc_common.province_options(services, mcc_common.lang_of(services, lang))
    return options[1:] if home_province(principal) else options


def url_search(province: str | None) -> str:
    """The page's query string for the picked province ('' for none)."""
    return to_search(Filters(province=parse({"province": province}).province))


def update_districts(services: Services, principal: Principal, lang: str | None,
                     province: str | None, metric: str | None) -> tuple[Any, Any]:
    """The district chart and the note beside it (pick a province / no permission /
    districts without a population figure)."""
    lang = mcc_common.lang_of(services, lang)
    code = parse({"province": province}).province or home_province(principal)
    if code is None:
        return figures.empty_figure(t("progress.district.pick", lang), lang), None
    metric = metric if metric in MAP_METRICS else "pct_dose1"
    key = {"lang": lang, "province": code, "metric": metric,
           "scope": mcc_common.scope_key(principal)}

    def build() -> tuple[Any, Any]:
        try:
            df = aggregates.coverage_by_district(services, code, principal)
        except Forbidden:
            name = mcc_common.province_names(services).get(code, code)
            text = t("stock.denied", lang, name=name)
            return figures.empty_figure(text, lang), mcc_common.notice(text, "denied")
        missing = df[df["population"].isna() & (df["doses"] > 0)]
        note = None if missing.empty else mcc_common.notice(t(
            "progress.district.no_population", lang,
            names=", ".join(f"{n} ({c})" for n, c in zip(
                missing["district_name"], missing["district_code"], strict=True))))
        return fp.district_figure(df, metric, lang), note

    return mcc_common.kept(services, "ui.progress.districts", key, build)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the district panel's callbacks to `app`."""

    @app.callback(Output(ids.PROGRESS_DISTRICT_PROVINCE, "options"),
                  Input(ids.SHELL_LANG, "data"))
    def _options(lang: str | None) -> list[dict[str, str]]:
        return district_options(services, current_principal(), lang)

    @app.callback(Output(ids.PROGRESS_URL, "search"),
                  Input(ids.PROGRESS_DISTRICT_PROVINCE, "value"))
    def _url(province: str | None) -> str:
        return url_search(province)

    @app.callback(Output(ids.PROGRESS_DISTRICT_PROVINCE, "value"),
                  Input(ids.PROGRESS_MAP, "clickData"), prevent_initial_call=True)
    def _pick(click: dict[str, Any] | None) -> Any:
        return clicked_province(click) or dash.no_update

    @app.callback(
        Output(ids.PROGRESS_DISTRICT_CHART, "figure"),
        Output(ids.PROGRESS_DISTRICT_NOTICE, "children"),
        Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"),
        Input(ids.PROGRESS_DISTRICT_PROVINCE, "value"), Input(ids.PROGRESS_MAP_METRIC, "value"),
    )
    def _districts(_v: Any, lang: str | None, province: str | None,
                   metric: str | None) -> tuple[Any, Any]:
        return update_districts(services, current_principal(), lang, province, metric)
