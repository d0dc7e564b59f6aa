"""AEFI page: rates per 100,000 doses, serious cases by month, signals, unusual lots, cases.

Rates, months, signals and lots are aggregate figures open to every signed-in user; the case
list goes through data.mcc.aefi.case_list with the principal, which decides (and audits)
whether names, ID numbers and phones come back.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import ALL, Input, Output, State, ctx
from dash.development.base_component import Component

from callbacks.mcc import figures_aefi as fa
from callbacks.mcc import mcc_common
from callbacks.mcc.mcc_choices import RATE_BY, SERIOUS_BY
from callbacks.shared import ids, tables
from callbacks.shared.i18n import N_, choices, fmt_int, fmt_number, t
from callbacks.shared.security import current_principal
from callbacks.shared.urlstate import Filters, to_search
from data.auth.roles import Principal
from data.mcc import aefi, names
from data.services import Services

PAGE = "aefi"
SIGNAL_FIELDS = ["vaccine_code", "term", "a", "prr", "chi2", "signal"]
LOT_FIELDS = ["vaccine_code", "lot_number", "doses", "cases", "rate_per_100k",
              "vaccine_rate_per_100k", "expected", "p_value", "unusual"]
CASE_FIELDS = ["report_id", "onset_date", "report_date", "vaccine_code", "dose", "lot_number",
               "severity", "seriousness", "outcome", "classification", "province_name",
               "district_name", "facility_name"]
PLACES = {"province_name": "province", "district_name": "district", "facility_name": "facility"}


def rates_table(services: Services, f: Filters, by: str | None) -> pd.DataFrame:
    """Rates by the chosen breakdown, for the province and vaccine filters."""
    by = by if by in RATE_BY else "vaccine"
    return aefi.rates(services, by, f.day, f.province, f.vaccine)  # type: ignore[arg-type]


def serious_table(services: Services, f: Filters) -> pd.DataFrame:
    """Serious cases by month of onset, for the province and vaccine filters."""
    return aefi.serious_by_month(services, f.day, f.province, f.vaccine)


def signals_table(services: Services, f: Filters) -> pd.DataFrame:
    """Vaccine x term disproportionality, national or within the chosen province, for the
    vaccine filter (each vaccine still compared with every other one)."""
    return aefi.signals(services, f.day, province_code=f.province, vaccine=f.vaccine)


def lots_table(services: Services, f: Filters) -> pd.DataFrame:
    """Lots with reports and their Poisson tail, national or within the chosen province, for
    the vaccine filter."""
    return aefi.unusual_lots(services, f.day, province_code=f.province, vaccine=f.vaccine)


def cases_table(services: Services, principal: Principal, f: Filters) -> pd.DataFrame:
    """The case list within scope (personal columns filled only where the data layer says)."""
    df = aefi.case_list(services, principal, f.day, f.province, source="dashboard")
    df = df[df["vaccine_code"] == f.vaccine] if f.vaccine else df
    return names.with_names(services, df)


def rates_note(f: Filters, lang: str) -> str:
    """What the rates cover: the chosen vaccine's doses and reports only, when one is chosen."""
    return t("aefi.rates.of_vaccine", lang, code=f.vaccine) if f.vaccine else ""


def denied(principal: Principal, province: str | None) -> bool:
    """Whether the principal may see nothing below `province` (the case list's scope)."""
    return bool(province) and not principal.sees_below(str(province))


def kpis(services: Services, f: Filters, lang: str) -> list[Component]:
    """Reports, serious reports, reports per 100,000 doses and signals."""
    by_vaccine = rates_table(services, f, "vaccine")
    cases, serious, doses = (int(by_vaccine[c].sum()) for c in ("cases", "serious", "doses"))
    signals = int(signals_table(services, f)["signal"].sum())
    rate = fmt_number(1e5 * cases / doses, lang) if doses else "—"
    return mcc_common.kpi_row([
        (t("aefi.kpi.cases", lang), fmt_int(cases, lang), "", "blue"),
        (t("aefi.kpi.serious", lang), fmt_int(serious, lang), "", "red"),
        (t("aefi.kpi.rate", lang), rate, f"{fmt_int(doses, lang)} {t('stock.unit.doses', lang)}",
         "teal"),
        (t("aefi.kpi.signals", lang), fmt_int(signals, lang), t("aefi.signals.rule", lang),
         "amber"),
    ])


def prr_text(prr: float, corrected: bool, lang: str) -> str:
    """A PRR for people: '≈ ' before one with the Haldane correction (a cell was 0), 'n/a'
    where none can be computed (no report of the vaccine at all)."""
    if prr is None or pd.isna(prr) or prr == float("inf"):
        return t("aefi.prr.na", lang)
    return f"{'≈ ' if corrected else ''}{fmt_number(prr, lang, 2)}"


def signal_grid(df: pd.DataFrame, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Columns and rows of the signal panel (PRR text by prr_text)."""
    cols = [tables.column("signal", "col.signal", lang, maxWidth=120),
            tables.column("vaccine_code", "col.vaccine", lang, maxWidth=120),
            tables.column("term", "col.term", lang, minWidth=160),
            tables.column("a", "col.cases", lang, "number"),
            {"field": "prr", "headerName": "PRR", "type": "rightAligned",
             "headerTooltip": t("aefi.prr.corrected", lang)},
            {"field": "chi2", "headerName": "χ²", "type": "rightAligned"}]
    corrected = df["prr_corrected"] if "prr_corrected" in df else pd.Series(False, df.index)
    shown = df.assign(prr=[prr_text(v, bool(c), lang)
                           for v, c in zip(df["prr"], corrected, strict=True)],
                      chi2=[fmt_number(v, lang, 2) for v in df["chi2"]])
    labels = {"signal": {True: "⚠ " + t("yes", lang), False: ""}}
    return cols, tables.rows(shown, SIGNAL_FIELDS, labels)


def lot_grid(df: pd.DataFrame, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Columns and rows of the unusual-lots panel."""
    cols = [tables.column("unusual", "col.signal", lang, maxWidth=120),
            tables.column("vaccine_code", "col.vaccine", lang, maxWidth=120),
            tables.column("lot_number", "col.lot", lang),
            tables.column("doses", "col.doses", lang, "number"),
            tables.column("cases", "col.cases", lang, "number"),
            tables.column("rate_per_100k", "col.rate", lang, "number", 1),
            tables.column("vaccine_rate_per_100k", "col.vaccine_rate", lang, "number", 1),
            tables.column("expected", "col.expected", lang, "number", 2),
            tables.column("p_value", "col.p_value", lang, "number", 4)]
    labels = {"unusual": {True: "⚠ " + t("yes", lang), False: ""}}
    return cols, tables.rows(df, LOT_FIELDS, labels)


def case_grid(df: pd.DataFrame, lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Columns and rows of the case list; personal columns only when the data layer filled
    some of them."""
    personal = [c for c in aefi.PERSONAL if c in df and df[c].notna().any()]
    keys = {"report_id": N_("col.report_id"), "onset_date": N_("col.onset"),
            "report_date": N_("col.reported"), "vaccine_code": N_("col.vaccine"),
            "dose": N_("col.dose"),
            "lot_number": N_("col.lot"), "severity": N_("col.severity"),
            "seriousness": N_("col.seriousness"), "outcome": N_("col.outcome"),
            "classification": N_("col.classification"), "province_name": N_("col.province"),
            "district_name": N_("col.district"), "facility_name": N_("col.facility"),
            "full_name": N_("col.full_name"), "person_id": N_("col.person_id"),
            "phone": N_("col.phone")}
    fields = [*CASE_FIELDS[:1], *personal, *CASE_FIELDS[1:]]
    # Facility names are long ("Trung tâm Y tế huyện ..."): that column gets the room, within
    # what lets the 13 columns of the ministry's view fit a wall screen without scrolling.
    cols = [tables.named(PLACES[f], keys[f], lang, minWidth=190 if f == "facility_name" else 120)
            if f in PLACES
            else tables.column(f, keys[f], lang, "date" if f.endswith("_date") else "text")
            for f in fields]
    fields += [f"{level}_code" for level in PLACES.values()]
    df = df.assign(dose=fa.rate_labels(df, "dose", lang))
    labels = {"severity": tables.coded("severity", df["severity"].unique(), lang),
              "outcome": tables.coded("outcome", df["outcome"].dropna().unique(), lang),
              "classification": tables.coded("class", df["classification"].dropna().unique(),
                                              lang)}
    return cols, tables.rows(df, fields, labels)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the AEFI page's callbacks to `app`."""
    filters_in = (Input(ids.AEFI_AS_OF, "date"), Input(ids.AEFI_VACCINE, "value"),
                  Input(ids.AEFI_PROVINCE, "value"))
    live = (Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"))

    @app.callback(Output(ids.AEFI_VACCINE, "options"), Output(ids.AEFI_PROVINCE, "options"),
                  Output(ids.AEFI_RATES_BY, "options"), Output(ids.AEFI_SERIOUS_BY, "options"),
                  Input(ids.SHELL_LANG, "data"))
    def _options(lang: str | None) -> tuple[Any, ...]:
        current_principal()
        lang = mcc_common.lang_of(services, lang)
        return (mcc_common.vaccine_options(lang), mcc_common.province_options(services, lang),
                choices(RATE_BY, lang), choices(SERIOUS_BY, lang))

    @app.callback(Output(ids.AEFI_URL, "search"), *filters_in)
    def _url(as_of: Any, vaccine: Any, province: Any) -> str:
        return to_search(mcc_common.filters(as_of, vaccine, province))

    @app.callback(Output(ids.AEFI_KPIS, "children"), Output(ids.AEFI_RATES, "figure"),
                  Output(ids.AEFI_RATES_NOTE, "children"), Output(ids.AEFI_SERIOUS, "figure"),
                  Output(ids.AEFI_UPDATED, "children"), *live, *filters_in,
                  Input(ids.AEFI_RATES_BY, "value"), Input(ids.AEFI_SERIOUS_BY, "value"))
    def _charts(_v: Any, lang: str | None, as_of: Any, vaccine: Any, province: Any,
                by: str | None, serious_by: str | None) -> tuple[Any, ...]:
        current_principal()
        lang = mcc_common.lang_of(services, lang)
        f = mcc_common.filters(as_of, vaccine, province)
        by = by if by in RATE_BY else "vaccine"
        serious_by = serious_by or "outcome"

        def build() -> tuple[Any, ...]:
            return (kpis(services, f, lang),
                    fa.rates_figure(rates_table(services, f, by), by, lang), rates_note(f, lang),
                    fa.serious_figure(serious_table(services, f), serious_by, lang))

        # Aggregates only (no personal data): the same for every signed-in user.
        key = {"lang": lang, "f": f, "by": by, "serious_by": serious_by}
        return (*mcc_common.kept(services, "ui.aefi.charts", key, build),
                mcc_common.stamp(services, lang, f.day))

    @app.callback(Output(ids.AEFI_SIGNALS, "columnDefs"), Output(ids.AEFI_SIGNALS, "rowData"),
                  Output(ids.AEFI_SIGNALS, "dashGridOptions"), Output(ids.AEFI_LOTS, "columnDefs"),
                  Output(ids.AEFI_LOTS, "rowData"), Output(ids.AEFI_LOTS, "dashGridOptions"),
                  *live, *filters_in)
    def _safety(_v: Any, lang: str | None, as_of: Any, vaccine: Any, province: Any
                ) -> tuple[Any, ...]:
        current_principal()
        lang = mcc_common.lang_of(services, lang)
        f = mcc_common.filters(as_of, vaccine, province)
        opts = tables.grid_options(lang)
        signals, lots = mcc_common.kept(
            services, "ui.aefi.safety", {"lang": lang, "f": f},
            lambda: (signal_grid(signals_table(services, f), lang),
                     lot_grid(lots_table(services, f), lang)))
        return (*signals, opts, *lots, opts)

    @app.callback(Output(ids.AEFI_CASES, "columnDefs"), Output(ids.AEFI_CASES, "rowData"),
                  Output(ids.AEFI_CASES, "dashGridOptions"),
                  Output(ids.AEFI_CASES_NOTE, "children"),
                  *live, *filters_in)
    def _cases(_v: Any, lang: str | None, as_of: Any, vaccine: Any, province: Any
               ) -> tuple[Any, ...]:
        principal = current_principal()
        lang = mcc_common.lang_of(services, lang)
        f = mcc_common.filters(as_of, vaccine, province)
        if denied(principal, f.province):
            name = mcc_common.province_names(services).get(f.province, f.province)
            text = t("stock.denied", lang, name=name)
            return [], [], tables.grid_options(lang), mcc_common.notice(text, "denied")
        df = cases_table(services, principal, f)
        cols, rows = case_grid(df, lang)
        personal = any(c["field"] in aefi.PERSONAL for c in cols)
        note = mcc_common.notice(t("aefi.cases.personal", lang), "audit") if personal else None
        return cols, rows, tables.grid_options(lang), note

    @app.callback(
        Output(ids.AEFI_DOWNLOAD, "data"),
        Input({"type": ids.MCC_DOWNLOAD, "page": PAGE, "chart": ALL}, "n_clicks"),
        State(ids.AEFI_AS_OF, "date"), State(ids.AEFI_VACCINE, "value"),
        State(ids.AEFI_PROVINCE, "value"), State(ids.AEFI_RATES_BY, "value"),
        prevent_initial_call=True,
    )
    def _download(clicks: list[int | None], as_of: Any, vaccine: Any, province: Any,
                  by: str | None) -> Any:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return dash.no_update
        principal = current_principal()
        f = mcc_common.filters(as_of, vaccine, province)
        chart = str(trigger["chart"])
        if chart == "cases" and denied(principal, f.province):
            return dash.no_update
        tables_by_chart = {"rates": lambda: rates_table(services, f, by),
                           "serious": lambda: serious_table(services, f),
                           "signals": lambda: signals_table(services, f),
                           "lots": lambda: lots_table(services, f),
                           "cases": lambda: cases_table(services, principal, f)}
        if chart not in tables_by_chart:  # a forged button id
            return dash.no_update
        return mcc_common.csv_download(tables_by_chart[chart](), chart, f)
