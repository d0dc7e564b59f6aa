"""Audit page: filters (user, table, date range) -> the newest matching entries.

Reads go through data.auth.admin.audit_entries, which refuses anyone but a system
administrator (Forbidden -> 403, nothing returned).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pandas as pd
from dash import Input, Output, html

from callbacks import ids
from callbacks.i18n import N_, norm_lang, t
from callbacks.security import current_principal
from data.auth import admin
from data.auth.roles import Principal
from data.services import Services

LIMIT = 500
COLUMNS: tuple[tuple[str, str], ...] = (
    ("at", N_("admin.audit.col.at")), ("username", N_("admin.audit.col.user")),
    ("source", N_("admin.audit.col.source")), ("action", N_("admin.audit.col.action")),
    ("table_name", N_("admin.audit.col.table")), ("record_key", N_("admin.audit.col.key")),
    ("before", N_("admin.audit.col.before")), ("after", N_("admin.audit.col.after")),
    ("detail", N_("admin.audit.col.detail")),
)
JSON_COLUMNS = frozenset({"before", "after", "detail"})
TIME_FORMAT = {"vi": "%d/%m/%Y %H:%M:%S", "en": "%Y-%m-%d %H:%M:%S"}
DATE_FORMAT = {"vi": "DD/MM/YYYY", "en": "D MMM YYYY"}


def parse_day(value: str | None) -> dt.date | None:
    """A DatePickerRange value ('2021-10-01' or '2021-10-01T00:00:00') as a date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def compact_json(value: Any) -> str:
    """Before/after values on one short line (keys sorted, Vietnamese kept readable)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _cell(column: str, value: Any) -> html.Td:
    if column in JSON_COLUMNS:
        text = compact_json(value)
        return html.Td(html.Code(text, title=text) if text else "", className="audit-json")
    return html.Td("" if value is None or value is pd.NaT else str(value))


def entries_table(df: pd.DataFrame, lang: str | None, timezone: str) -> html.Table | html.P:
    """The entries as a table, times in the campaign's time zone; a line when there are none."""
    lang = norm_lang(lang)
    if df.empty:
        return html.P(t("admin.empty", lang), className="admin-empty")
    shown = df.copy()
    shown["at"] = (pd.to_datetime(shown["at"], utc=True).dt.tz_convert(ZoneInfo(timezone))
                   .dt.strftime(TIME_FORMAT[lang]))
    rows = [html.Tr([_cell(c, getattr(r, c)) for c, _ in COLUMNS])
            for r in shown.itertuples(index=False)]
    return html.Table(
        [html.Thead(html.Tr([html.Th(t(key, lang), scope="col") for _, key in COLUMNS])),
         html.Tbody(rows)],
        className="admin-table audit-table",
    )


def load_audit(services: Services, principal: Principal, lang: str | None,
               username: str | None, table: str | None, start: str | None, end: str | None
               ) -> tuple[Any, ...]:
    """Outputs of the audit callback: count line, table, user and table filter options."""
    with services.engine.connect() as conn:
        df = admin.audit_entries(conn, principal, username or None, table or None,
                                 parse_day(start), parse_day(end), LIMIT)
        names, tables = admin.audit_facets(conn, principal)
    return (t("admin.audit.count", lang, n=len(df)),
            entries_table(df, lang, services.settings.timezone),
            [{"label": n, "value": n} for n in names],
            [{"label": n, "value": n} for n in tables],
            t("admin.audit.all", lang), t("admin.audit.all", lang))


def date_texts(lang: str | None) -> tuple[str, str, str]:
    """Placeholders and display format of the date range picker in `lang`."""
    lang = norm_lang(lang)
    return t("admin.audit.from", lang), t("admin.audit.to", lang), DATE_FORMAT[lang]


def register(app: dash.Dash, services: Services) -> None:
    """Attach the audit page's callbacks to `app`."""

    @app.callback(
        Output(ids.ADMIN_AUDIT_DATES, "start_date_placeholder_text"),
        Output(ids.ADMIN_AUDIT_DATES, "end_date_placeholder_text"),
        Output(ids.ADMIN_AUDIT_DATES, "display_format"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _dates(lang: str | None) -> tuple[str, str, str]:
        return date_texts(lang)

    @app.callback(
        Output(ids.ADMIN_AUDIT_COUNT, "children"),
        Output(ids.ADMIN_AUDIT_RESULTS, "children"),
        Output(ids.ADMIN_AUDIT_USER, "options"),
        Output(ids.ADMIN_AUDIT_TABLE_FILTER, "options"),
        Output(ids.ADMIN_AUDIT_USER, "placeholder"),
        Output(ids.ADMIN_AUDIT_TABLE_FILTER, "placeholder"),
        Input(ids.SHELL_LANG, "data"),
        Input(ids.ADMIN_AUDIT_USER, "value"),
        Input(ids.ADMIN_AUDIT_TABLE_FILTER, "value"),
        Input(ids.ADMIN_AUDIT_DATES, "start_date"),
        Input(ids.ADMIN_AUDIT_DATES, "end_date"),
        Input(ids.ADMIN_AUDIT_REFRESH, "n_clicks"),
    )
    def _audit(lang: str | None, username: str | None, table: str | None,
               start: str | None, end: str | None, _n: int | None) -> tuple[Any, ...]:
        return load_audit(services, current_principal(), lang, username, table, start, end)
