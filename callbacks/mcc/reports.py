"""Daily report page: one day's summary, doses, coverage, stock and AEFI, nationally or for a
province, and its downloads.

The report holds province-level figures only (open to every signed-in user, like the coverage
map). "Tải Excel" sends data.mcc.reports.to_xlsx (one sheet per section); "Tải CSV" sends one
.zip holding one UTF-8 CSV per section (summary.csv, doses.csv, stock.csv, aefi.csv), so one
click gives the whole report and every file opens in Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, ctx, dcc
from dash.development.base_component import Component

from callbacks.mcc import coverage_marks as cm
from callbacks.mcc import mcc_common
from callbacks.shared import ids, tables
from callbacks.shared.i18n import fmt_int, t
from callbacks.shared.security import current_principal
from callbacks.shared.urlstate import Filters, to_search
from data.mcc import reports
from data.services import Services

Grid = tuple[list[dict[str, Any]], list[dict[str, Any]]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Coverage rows: (summary field, unit). Boosters are doses, so they have no % of population.
COVERAGE: tuple[tuple[str, str], ...] = (
    ("population", "people"), ("dose1", "people"), ("fully", "people"),
    ("booster_doses", "doses"))


def report_kpis(summary: dict[str, Any], lang: str) -> list[Component]:
    """Doses that day and cumulative, first dose and full coverage, stock, AEFI that day."""
    def of_population(col: str) -> str:
        pct = summary.get(f"pct_{col}")
        text = t("report.of_population", lang, pct=cm.fmt_coverage(pct, lang))
        return f"{text} · {cm.MARK} {cm.note(lang)}" if cm.is_over(pct) else text

    return mcc_common.kpi_row([
        (t("report.kpi.day", lang), fmt_int(summary.get("doses_day"), lang), "", "blue"),
        (t("report.kpi.cumulative", lang), fmt_int(summary.get("doses_cumulative"), lang), "",
         "teal"),
        (t("report.kpi.dose1", lang), fmt_int(summary.get("dose1"), lang),
         of_population("dose1"), "green"),
        (t("report.kpi.fully", lang), fmt_int(summary.get("fully"), lang),
         of_population("fully"), "green"),
        (t("report.kpi.on_hand", lang), fmt_int(summary.get("on_hand"), lang),
         mcc_common.on_hand_note(summary, lang), "amber"),
        (t("report.kpi.aefi", lang), fmt_int(summary.get("aefi_day"), lang),
         t("report.kpi.serious", lang, n=fmt_int(summary.get("aefi_serious_day"), lang)), "red"),
    ])


def coverage_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The summary's coverage as rows: metric, count, unit (people or doses), pct_population
    (people only)."""
    return pd.DataFrame([{"metric": c, "count": summary.get(c), "unit": unit,
                          "pct_population": summary.get(f"pct_{c}") if unit == "people"
                          else None} for c, unit in COVERAGE])


def doses_grid(df: pd.DataFrame, lang: str) -> Grid:
    """Columns and rows of the doses section."""
    cols = [tables.column("vaccine_code", "col.vaccine", lang),
            tables.column("dose_kind", "col.dose_kind", lang),
            tables.column("dose_number", "col.dose_number", lang, "number"),
            tables.column("doses_day", "col.doses_day", lang, "number"),
            tables.column("doses_cumulative", "col.doses_cumulative", lang, "number")]
    labels = {"dose_kind": tables.coded("dose_kind", df["dose_kind"].unique(), lang)}
    fields = ["vaccine_code", "dose_kind", "dose_number", "doses_day", "doses_cumulative"]
    return cols, tables.rows(df, fields, labels)


def coverage_grid(df: pd.DataFrame, lang: str) -> Grid:
    """Columns and rows of the coverage section."""
    cols = [tables.column("metric", "col.metric", lang, minWidth=180, wrapText=True,
                          autoHeight=True),
            tables.column("count", "col.count", lang, "number"),
            tables.column("unit", "col.unit", lang, maxWidth=110),
            cm.mark_column(tables.column("pct_population", "col.pct_population", lang,
                                         "number", 2), lang)]
    labels = {"metric": tables.coded("cov", df["metric"], lang),
              "unit": tables.coded("unit", df["unit"], lang)}
    return cols, tables.rows(df, ["metric", "count", "unit", "pct_population"], labels)


def stock_grid(df: pd.DataFrame, lang: str) -> Grid:
    """Columns and rows of the stock section."""
    cols = [tables.column("vaccine_code", "col.vaccine", lang),
            tables.column("on_hand", "stock.metric.on_hand", lang, "number"),
            tables.column("expiring_30d", "col.expiring_30d", lang, "number"),
            tables.column("lots", "col.lots", lang, "number")]
    return cols, tables.rows(df, ["vaccine_code", "on_hand", "expiring_30d", "lots"])


def aefi_grid(df: pd.DataFrame, lang: str) -> Grid:
    """Columns and rows of the AEFI section."""
    cols = [tables.column("vaccine_code", "col.vaccine", lang),
            tables.column("severity", "col.severity", lang),
            tables.column("cases", "col.cases", lang, "number")]
    labels = {"severity": tables.coded("severity", df["severity"].unique(), lang)}
    return cols, tables.rows(df, ["vaccine_code", "severity", "cases"], labels)


def file_name(f: Filters, day: dt.date, ext: str) -> str:
    """bao-cao-ngay_<area>_<date>.<ext>."""
    return f"bao-cao-ngay_{f.province or 'VN'}_{day.isoformat()}.{ext}"


def csv_zip(sections: dict[str, pd.DataFrame]) -> bytes:
    """One .zip of data.mcc.reports.to_csv's files (one CSV per section)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in reports.to_csv(sections).items():
            archive.writestr(name, content)
    return buf.getvalue()


def download(sections: dict[str, pd.DataFrame], f: Filters, kind: str) -> dict[str, Any]:
    """The dcc.Download payload of the report: 'xlsx' or 'csv' (a zip)."""
    day = sections["summary"]["date"].iloc[0]
    if kind == "xlsx":
        return dcc.send_bytes(reports.to_xlsx(sections), file_name(f, day, "xlsx"), type=XLSX)
    return dcc.send_bytes(csv_zip(sections), file_name(f, day, "zip"), type="application/zip")


def register(app: dash.Dash, services: Services) -> None:
    """Attach the report page's callbacks to `app`."""
    where = (Input(ids.REPORT_AS_OF, "date"), Input(ids.REPORT_PROVINCE, "value"))

    @app.callback(Output(ids.REPORT_PROVINCE, "options"), Input(ids.SHELL_LANG, "data"))
    def _options(lang: str | None) -> Any:
        current_principal()
        return mcc_common.province_options(services, mcc_common.lang_of(services, lang))

    @app.callback(Output(ids.REPORT_URL, "search"), *where)
    def _url(as_of: Any, province: Any) -> str:
        return to_search(mcc_common.filters(as_of, None, province))

    grids = [ids.REPORT_DOSES, ids.REPORT_COVERAGE, ids.REPORT_STOCK, ids.REPORT_AEFI]

    @app.callback(Output(ids.REPORT_KPIS, "children"),
                  *(Output(g, p) for g in grids
                    for p in ("columnDefs", "rowData", "dashGridOptions")),
                  Output(ids.REPORT_UPDATED, "children"),
                  Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"), *where)
    def _report(_v: Any, lang: str | None, as_of: Any, province: Any) -> tuple[Any, ...]:
        current_principal()
        lang = mcc_common.lang_of(services, lang)
        f = mcc_common.filters(as_of, None, province)
        opts = tables.grid_options(lang)

        def build() -> tuple[Any, ...]:
            sections = reports.daily_report(services, f.day, f.province)
            summary = sections["summary"].iloc[0].to_dict()
            return (report_kpis(summary, lang),
                    *doses_grid(sections["doses"], lang), opts,
                    *coverage_grid(coverage_table(summary), lang), opts,
                    *stock_grid(sections["stock"], lang), opts,
                    *aefi_grid(sections["aefi"], lang), opts)

        return (*mcc_common.kept(services, "ui.reports.daily", {"lang": lang, "f": f}, build),
                mcc_common.stamp(services, lang, f.day))

    @app.callback(Output(ids.REPORT_DOWNLOAD, "data"),
                  Input(ids.REPORT_XLSX, "n_clicks"), Input(ids.REPORT_CSV, "n_clicks"),
                  State(ids.REPORT_AS_OF, "date"), State(ids.REPORT_PROVINCE, "value"),
                  prevent_initial_call=True)
    def _download(xlsx: int | None, csv: int | None, as_of: Any, province: Any) -> Any:
        current_principal()
        if not (xlsx or csv) or ctx.triggered_id not in (ids.REPORT_XLSX, ids.REPORT_CSV):
            return dash.no_update
        f = mcc_common.filters(as_of, None, province)
        sections = reports.daily_report(services, f.day, f.province)
        return download(sections, f, "xlsx" if ctx.triggered_id == ids.REPORT_XLSX else "csv")
