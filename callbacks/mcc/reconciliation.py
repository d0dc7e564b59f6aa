"""The reconciliation panel of the reports page: over the 7 days ending on the report's day,
the share of facility-days whose registry, stock ledger and session tallies disagree beyond
the tolerance, the doses apart, the counted warehouses apart; by province below (the country)
or for the chosen province. Province-level counts only, open like the rest of the report;
the records behind them are on the operations page /ops/reconciliation, within each
officer's area.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output
from dash.development.base_component import Component

from callbacks.mcc import mcc_common
from callbacks.shared import ids, tables
from callbacks.shared.i18n import fmt_date, fmt_int, fmt_number, fmt_pct, t
from callbacks.shared.security import current_principal
from data.mcc import common
from data.mcc import reconciliation as rec
from data.services import Services

Grid = tuple[list[dict[str, Any]], list[dict[str, Any]]]
FIELDS = ["province", "facility_days", "flagged_days", "pct_flagged", "gap_doses",
          "warehouses", "flagged_warehouses"]


def kpis(found: dict[str, Any], lang: str) -> list[Component]:
    """Flagged facility-days (rate), doses apart, flagged counted warehouses (rate)."""
    return mcc_common.kpi_row([
        (t("report.recon.kpi.days", lang), fmt_pct(found["pct_days"], lang, 1),
         t("report.recon.kpi.days_note", lang, flagged=fmt_int(found["flagged_days"], lang),
           total=fmt_int(found["facility_days"], lang)), "red"),
        (t("report.recon.kpi.gap", lang), fmt_int(found["gap_doses"], lang),
         t("report.recon.kpi.gap_note", lang), "amber"),
        (t("report.recon.kpi.stores", lang), fmt_pct(found["pct_warehouses"], lang, 1),
         t("report.recon.kpi.stores_note", lang,
           flagged=fmt_int(found["flagged_warehouses"], lang),
           total=fmt_int(found["warehouses"], lang)), "amber"),
    ])


def province_grid(df: pd.DataFrame, names: dict[str, str], lang: str) -> Grid:
    """One row per province (central stores on their own row), flagged first."""
    out = df.assign(
        province=[names.get(p, p) if isinstance(p, str) else t("col.recon_central", lang)
                  for p in df["province_code"]],
        pct_flagged=common.pct(df["flagged_days"], df["facility_days"]))
    out = out.sort_values(["flagged_days", "flagged_warehouses", "province"],
                          ascending=[False, False, True])
    cols = [tables.column("province", "col.recon_province", lang, minWidth=160),
            tables.column("facility_days", "col.facility_days", lang, "number"),
            tables.column("flagged_days", "col.flagged_days", lang, "number"),
            tables.column("pct_flagged", "col.pct_flagged", lang, "number", 2),
            tables.column("gap_doses", "col.gap_doses", lang, "number"),
            tables.column("warehouses", "col.warehouses", lang, "number"),
            tables.column("flagged_warehouses", "col.flagged_warehouses", lang, "number")]
    return cols, tables.rows(out, FIELDS)


def panel_view(services: Services, lang: str, as_of: Any, province: Any) -> tuple[Any, ...]:
    """Outputs: the period line, the KPI cards, the grid's columns, rows and options."""
    f = mcc_common.filters(as_of, None, province)
    found = rec.rate(services, f.day, f.province)
    tol = rec.tolerance(services)
    df = rec.by_province(services, found["end"])
    if f.province:
        df = df[df["province_code"] == f.province]
    period = t("report.recon.period", lang, start=fmt_date(found["start"], lang),
               end=fmt_date(found["end"], lang), pct=fmt_number(tol.pct, lang),
               doses=fmt_int(tol.doses, lang))
    names = mcc_common.province_names(services)
    return (period, kpis(found, lang), *province_grid(df, names, lang),
            tables.grid_options(lang))


def register(app: dash.Dash, services: Services) -> None:
    """Attach the panel's callback to `app`."""
    @app.callback(
        Output(ids.REPORT_RECON_PERIOD, "children"), Output(ids.REPORT_RECON_KPIS, "children"),
        Output(ids.REPORT_RECON_GRID, "columnDefs"), Output(ids.REPORT_RECON_GRID, "rowData"),
        Output(ids.REPORT_RECON_GRID, "dashGridOptions"),
        Input(ids.SHELL_VERSION, "data"), Input(ids.SHELL_LANG, "data"),
        Input(ids.REPORT_AS_OF, "date"), Input(ids.REPORT_PROVINCE, "value"))
    def _panel(_v: Any, lang: str | None, as_of: Any, province: Any) -> tuple[Any, ...]:
        current_principal()
        lang = mcc_common.lang_of(services, lang)
        f = mcc_common.filters(as_of, None, province)
        return mcc_common.kept(services, "ui.reports.recon", {"lang": lang, "f": f},
                               lambda: panel_view(services, lang, as_of, province))
