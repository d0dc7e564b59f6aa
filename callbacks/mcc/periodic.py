"""The province's periodic report on the reports page: a period (default: the month of the
report's day, up to that day) and the province of the page's filter (or the reader's own one)
-> an Excel workbook or a .zip of CSV files (data.mcc.periodic, data.mcc.periodic_export).

Scope is decided in the data layer: a reader outside the national roles gets only a province
they work in, whatever the page sent. The workbook's words are translated here, in the UI
language, and handed to the writer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import Input, Output, State, ctx, dcc

from callbacks.mcc import mcc_common
from callbacks.shared import ids
from callbacks.shared.codes import code_text
from callbacks.shared.i18n import N_, t
from callbacks.shared.security import current_principal
from data.auth.roles import Forbidden, Principal
from data.catalog import CLASSIFICATIONS, DOSE_KINDS, PRIORITY_GROUPS, SEVERITIES
from data.mcc import common
from data.mcc.periodic import PeriodError, PeriodicReport, periodic_report
from data.mcc.periodic_export import to_csv_zip, to_xlsx
from data.services import Services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORDS = (
    N_("periodic.title"), N_("periodic.province"), N_("periodic.period"),
    N_("periodic.generated_at"), N_("periodic.summary"), N_("periodic.notes"),
    N_("periodic.none"), N_("periodic.sheet.summary"), N_("periodic.sheet.doses"),
    N_("periodic.sheet.detail"), N_("periodic.sheet.stock"), N_("periodic.sheet.wastage"),
    N_("periodic.sheet.aefi"), N_("periodic.doses.by_product"), N_("periodic.doses.by_group"),
    N_("periodic.doses.detail"), N_("periodic.stock.title"),
    N_("periodic.wastage.by_product"), N_("periodic.wastage.by_reason"),
    N_("periodic.aefi.by_vaccine"), N_("periodic.aefi.serious"), N_("periodic.col.total"),
    N_("periodic.col.vaccine"), N_("periodic.col.group"), N_("periodic.col.dose_kind"),
    N_("periodic.col.doses"), N_("periodic.col.on_hand"), N_("periodic.col.expiring_30d"),
    N_("periodic.col.lots"), N_("periodic.col.administered"), N_("periodic.col.wasted"),
    N_("periodic.col.used"), N_("periodic.col.rate_pct"), N_("periodic.col.reason"),
    N_("periodic.col.classification"), N_("periodic.col.cases"),
    N_("periodic.total.doses"), N_("periodic.total.on_hand"), N_("periodic.total.wasted"),
    N_("periodic.total.rate_pct"), N_("periodic.total.aefi"),
    N_("periodic.total.aefi_serious"))
REASONS = {"EXPIRED": N_("reason.EXPIRED"), "VVM_CHANGE": N_("reason.VVM_CHANGE"),
           "BROKEN": N_("reason.BROKEN"), "CONTAMINATED": N_("reason.CONTAMINATED"),
           "OPEN_VIAL": N_("reason.OPEN_VIAL"), "COUNT": N_("reason.COUNT"),
           "OTHER": N_("reason.OTHER")}
PROBLEMS = (N_("periodic.reversed"), N_("periodic.too_long"), N_("periodic.pick_province"),
            N_("periodic.forbidden"), N_("periodic.ready"))


def words(lang: str) -> dict[str, str]:
    """Every word the workbook needs, in `lang`."""
    out = {key: t(key, lang) for key in WORDS}
    out |= {f"dose_kind.{k}": code_text("dose_kind", k, lang) for k in DOSE_KINDS}
    out |= {f"severity.{k}": code_text("severity", k, lang) for k in SEVERITIES}
    out |= {f"class.{k}": code_text("class", k, lang) for k in (*CLASSIFICATIONS, "NONE")}
    out |= {f"reason.{r}": t(key, lang) for r, key in REASONS.items()}
    out |= {f"group.{g}": f"{g}. {names[lang]}" for g, names in PRIORITY_GROUPS.items()}
    return out


def province_of(principal: Principal, chosen: object) -> str | None:
    """The page's province, else the reader's only province (None: none to report on)."""
    if isinstance(chosen, str) and chosen:
        return chosen
    own = principal.provinces()
    return next(iter(own)) if len(own) == 1 and not principal.national else None


def period_of(services: Services, start: object, end: object, as_of: object
              ) -> tuple[dt.date, dt.date]:
    """The picked period; missing ends: the month of the report's day up to that day."""
    day = common.resolve_as_of(services, mcc_common.filters(as_of, None, None).day)
    first = _date(start) or day.replace(day=1)
    return first, _date(end) or max(day, first)


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def build(services: Services, principal: Principal, province: object, start: object,
          end: object, as_of: object) -> PeriodicReport | str:
    """The report, or the message id of why there is none."""
    code = province_of(principal, province)
    if code is None:
        return "periodic.pick_province"
    first, last = period_of(services, start, end, as_of)
    try:
        return periodic_report(services, principal, code, first, last)
    except PeriodError as err:
        return err.code
    except (Forbidden, LookupError):
        return "periodic.forbidden"


def file_name(report: PeriodicReport, ext: str) -> str:
    """bao-cao-dinh-ky_<province>_<start>_<end>.<ext>."""
    return (f"bao-cao-dinh-ky_{report.province_code}_{report.start.isoformat()}_"
            f"{report.end.isoformat()}.{ext}")


def download(services: Services, principal: Principal, lang: str, kind: str, province: object,
             start: object, end: object, as_of: object) -> tuple[Any, str]:
    """The dcc.Download payload ('xlsx' or 'csv') and the status line."""
    report = build(services, principal, province, start, end, as_of)
    if isinstance(report, str):
        return dash.no_update, t(report, lang)
    tz, said = services.settings.timezone, words(lang)
    if kind == "xlsx":
        sent = dcc.send_bytes(to_xlsx(report, said, tz), file_name(report, "xlsx"), type=XLSX)
    else:
        sent = dcc.send_bytes(to_csv_zip(report, said, tz), file_name(report, "zip"),
                              type="application/zip")
    return sent, t("periodic.ready", lang, province=report.province_name,
                   start=f"{report.start:%d/%m/%Y}", end=f"{report.end:%d/%m/%Y}")


def register(app: dash.Dash, services: Services) -> None:
    """Attach the downloads' callback to `app`."""
    @app.callback(
        Output(ids.REPORT_PERIODIC_DOWNLOAD, "data"),
        Output(ids.REPORT_PERIODIC_STATUS, "children"),
        Input(ids.REPORT_PERIODIC_XLSX, "n_clicks"), Input(ids.REPORT_PERIODIC_CSV, "n_clicks"),
        State(ids.REPORT_PROVINCE, "value"), State(ids.REPORT_PERIODIC_RANGE, "start_date"),
        State(ids.REPORT_PERIODIC_RANGE, "end_date"), State(ids.REPORT_AS_OF, "date"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _download(xlsx: int | None, csv: int | None, province: Any, start: Any, end: Any,
                  as_of: Any, lang: str | None) -> tuple[Any, str]:
        principal = current_principal()
        if not (xlsx or csv) or ctx.triggered_id not in (ids.REPORT_PERIODIC_XLSX,
                                                         ids.REPORT_PERIODIC_CSV):
            raise dash.exceptions.PreventUpdate
        kind = "xlsx" if ctx.triggered_id == ids.REPORT_PERIODIC_XLSX else "csv"
        return download(services, principal, mcc_common.lang_of(services, lang), kind,
                        province, start, end, as_of)
