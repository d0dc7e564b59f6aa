"""Pure builders of the facilities page: province choices and scope, KPIs, table columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from dash.development.base_component import Component

from callbacks.mcc import mcc_common
from callbacks.shared import tables
from callbacks.shared.i18n import fmt_date, fmt_int, fmt_pct, t
from callbacks.shared.urlstate import parse
from data.auth.roles import Principal

Area = dict[str, Any] | None
Grid = tuple[list[dict[str, Any]], list[dict[str, Any]]]
UTIL_FIELDS = ["facility_code", "name", "district_code", "district_name", "kind", "status",
               "daily_capacity", "doses", "active_days", "avg_per_day", "peak_day",
               "over_capacity_days", "utilisation_pct"]
SILENT_FIELDS = ["facility_code", "name", "district_code", "district_name", "status", "on_hand",
                 "last_dose_date", "days_silent"]


def area_state(principal: Principal, province: Any) -> Area:
    """The chosen province and whether the principal may see its facilities (None: no choice)."""
    code = parse({"province": province}).province
    if code is None:
        return None
    return {"province": code, "denied": not principal.sees_below(code)}


def default_province(principal: Principal) -> str | None:
    """The province a scoped officer lands on (national roles choose one themselves)."""
    mine = sorted(principal.provinces())
    return None if principal.national or not mine else mine[0]


def province_choices(names: Mapping[str, str], principal: Principal) -> list[dict[str, str]]:
    """The provinces whose facilities the principal may see, by name ('—' first)."""
    mine = principal.provinces()
    shown = [(c, n) for c, n in names.items() if principal.national or c in mine]
    return [{"label": "—", "value": ""}] + [
        {"label": n, "value": c} for c, n in sorted(shown, key=lambda cn: cn[1])]


def facility_choices(util: pd.DataFrame, lang: str | None) -> list[dict[str, str]]:
    """'All facilities' and each facility of the utilisation table, by name."""
    rows = util.sort_values("name") if not util.empty else util
    return [{"label": t("fac.all", lang), "value": ""}] + [
        {"label": f"{r['name']} ({r['facility_code']})", "value": str(r["facility_code"])}
        for _, r in rows.iterrows()]


def overall_utilisation(util: pd.DataFrame, days: int) -> float | None:
    """100 * doses / (capacity * days) over the facilities with a known capacity."""
    known = util[util["daily_capacity"].notna()] if not util.empty else util
    capacity = float(known["daily_capacity"].sum()) * days if not known.empty else 0.0
    return round(100.0 * float(known["doses"].sum()) / capacity, 2) if capacity else None


def kpis(util: pd.DataFrame, days: int, day: Any, lang: str) -> list[Component]:
    """Facilities, doses in the window, overall utilisation, facilities over capacity."""
    over = int((util["over_capacity_days"] > 0).sum()) if not util.empty else 0
    doses = int(util["doses"].sum()) if not util.empty else 0
    return mcc_common.kpi_row([
        (t("fac.kpi.facilities", lang), fmt_int(len(util), lang), "", "blue"),
        (t("fac.kpi.doses", lang), fmt_int(doses, lang),
         t("fac.util.window", lang, n=days, date=fmt_date(day, lang)), "teal"),
        (t("fac.kpi.util", lang), fmt_pct(overall_utilisation(util, days), lang), "", "green"),
        (t("fac.kpi.over", lang), fmt_int(over, lang), t("fac.kpi.over.sub", lang), "red"),
    ])


def facility_labels(df: pd.DataFrame, lang: str | None) -> dict[str, dict[Any, str]]:
    """Display text of the facility kind and status codes present in `df`."""
    return {col: tables.coded(f"facility.{col}", df[col].dropna().unique(), lang)
            for col in ("kind", "status") if col in df}


def util_grid(df: pd.DataFrame, lang: str) -> Grid:
    """Columns and rows of the utilisation table (most used first)."""
    cols = [tables.column("facility_code", "col.code", lang, maxWidth=130),
            tables.column("name", "col.name", lang, minWidth=200, tooltipField="name"),
            tables.named("district", "col.district", lang, minWidth=140),
            tables.column("kind", "col.kind", lang),
            tables.column("status", "col.status", lang),
            tables.column("daily_capacity", "col.capacity", lang, "number"),
            tables.column("doses", "col.doses", lang, "number"),
            tables.column("active_days", "col.active_days", lang, "number"),
            tables.column("avg_per_day", "col.avg_per_day", lang, "number", 1),
            tables.column("peak_day", "col.peak_day", lang, "number"),
            tables.column("over_capacity_days", "col.over_days", lang, "number"),
            tables.column("utilisation_pct", "col.utilisation", lang, "number", 1,
                          sort="desc")]
    return cols, tables.rows(df, UTIL_FIELDS, facility_labels(df, lang))


def silent_grid(df: pd.DataFrame, lang: str) -> Grid:
    """Columns and rows of the silent-facilities table (longest silent first)."""
    cols = [tables.column("facility_code", "col.code", lang, maxWidth=130),
            tables.column("name", "col.name", lang, minWidth=200, tooltipField="name"),
            tables.named("district", "col.district", lang, minWidth=140),
            tables.column("status", "col.status", lang),
            tables.column("on_hand", "stock.metric.on_hand", lang, "number"),
            tables.column("last_dose_date", "col.last_dose", lang, "date"),
            tables.column("days_silent", "col.days_silent", lang, "number", sort="desc")]
    return cols, tables.rows(df, SILENT_FIELDS, facility_labels(df, lang))


def silent_days(value: Any, default: int) -> int:
    """The 'no doses for N days' input as a whole number of days (1 to 90)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1:
        return min(int(value), 90)
    return default
