"""Audit page: filters (user, event, table, date range) -> the newest matching entries in a
paged grid, with events, tables and before/after changes in words.

Reads go through data.auth.admin, which refuses anyone but a system administrator
(Forbidden -> 403, nothing returned).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pandas as pd
from dash import Input, Output

from callbacks.admin.audit_labels import action_label, change_text, table_label
from callbacks.shared import ids, tables
from callbacks.shared.i18n import N_, fmt_int, norm_lang, t
from callbacks.shared.security import current_principal
from data.auth import admin
from data.auth.roles import Principal
from data.services import Services

LIMIT = 1000
PAGE_SIZE = 20
FIELDS = ("at", "username", "source", "action", "action_label", "table_name", "table_label",
          "record_key", "change")
DATE_FORMAT = {"vi": "DD/MM/YYYY", "en": "D MMM YYYY"}
# Local times travel as 'YYYY-MM-DD HH:MM:SS' (so they sort as text); vi shows DD/MM/YYYY.
VI_TIME = ("params.value ? params.value.slice(8, 10) + '/' + params.value.slice(5, 7) + '/' "
           "+ params.value.slice(0, 4) + params.value.slice(10) : ''")


def parse_day(value: str | None) -> dt.date | None:
    """A DatePickerRange value ('2021-10-01' or '2021-10-01T00:00:00') as a date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _coded(label_field: str, code_field: str, key: str, lang: str, **extra: Any
           ) -> dict[str, Any]:
    # The label shown, the code the software writes in the tooltip (for a search in the logs).
    return tables.column(label_field, key, lang, tooltipField=code_field, **extra)


def audit_columns(lang: str | None) -> list[dict[str, Any]]:
    """The grid's columns: time, user, source, event, table, record, what changed."""
    lang = norm_lang(lang)
    at = tables.column("at", "admin.audit.col.at", lang, minWidth=170, maxWidth=190)
    if lang == "vi":
        at["valueFormatter"] = {"function": VI_TIME}
    return [at,
            tables.column("username", "admin.audit.col.user", lang, minWidth=120, maxWidth=170),
            tables.column("source", "admin.audit.col.source", lang, minWidth=110, maxWidth=150),
            _coded("action_label", "action", N_("admin.audit.action"), lang, minWidth=170),
            _coded("table_label", "table_name", N_("admin.audit.col.table"), lang, minWidth=140),
            tables.column("record_key", "admin.audit.col.key", lang, minWidth=120,
                          tooltipField="record_key"),
            tables.column("change", "admin.audit.col.change", lang, minWidth=320, flex=3,
                          wrapText=True, autoHeight=True, cellClass="audit-change")]


def audit_rows(df: pd.DataFrame, lang: str | None, timezone: str,
               places: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The entries as grid rows, times in the campaign's time zone, scope codes named from
    `places`."""
    lang = norm_lang(lang)
    if df.empty:
        return []
    at = (pd.to_datetime(df["at"], utc=True).dt.tz_convert(ZoneInfo(timezone))
          .dt.strftime("%Y-%m-%d %H:%M:%S"))
    shown = df.assign(
        at=at,
        action_label=[action_label(a, lang) for a in df["action"]],
        table_label=[table_label(n, lang) for n in df["table_name"]],
        change=[change_text(r.action, r.before, r.after, r.detail, lang, places)
                for r in df.itertuples(index=False)])
    return tables.rows(shown, FIELDS)


def grid_options(lang: str | None) -> dict[str, Any]:
    """Paged, and as tall as one page (no inner scrollbar)."""
    return tables.grid_options(lang) | {"paginationPageSize": PAGE_SIZE,
                                        "domLayout": "autoHeight"}


def count_line(shown: int, total: int, lang: str | None) -> str:
    """'N newest entries', or 'the newest N of M' when the filters match more than shown."""
    if total > shown:
        return t("admin.audit.shown", lang, n=fmt_int(shown, lang), total=fmt_int(total, lang))
    return t("admin.audit.count", lang, n=fmt_int(shown, lang))


def _options(values: list[str], label: Any, lang: str) -> list[dict[str, str]]:
    pairs = [(label(v, lang), v) for v in values]
    return [{"label": text, "value": v} for text, v in sorted(pairs)]


def load_audit(services: Services, principal: Principal, lang: str | None,
               username: str | None, action: str | None, table: str | None,
               start: str | None, end: str | None) -> tuple[Any, ...]:
    """Outputs of the audit callback: count line, grid columns, rows and options, the
    user, event and table options and the three placeholders."""
    admin.require_admin(principal)  # rights before reading any input (issue 10, defect 13)
    lang = norm_lang(lang)
    # The filters are dropdowns of text; a forged number matches nothing (PostgreSQL refused
    # comparing it with the text columns: a 500).
    username, action, table = (v if isinstance(v, str) else None
                               for v in (username, action, table))
    where = (username or None, table or None, parse_day(start), parse_day(end))
    with services.engine.connect() as conn:
        df = admin.audit_entries(conn, principal, *where, LIMIT, action or None)
        total = admin.audit_total(conn, principal, *where, action or None)
        names, table_names, actions = admin.audit_facets(conn, principal)
        places = admin.scope_names(conn, principal)
    every = t("admin.audit.all", lang)
    return (count_line(len(df), total, lang),
            audit_columns(lang), audit_rows(df, lang, services.settings.timezone, places),
            grid_options(lang),
            [{"label": n, "value": n} for n in names],
            _options(actions, action_label, lang), _options(table_names, table_label, lang),
            every, every, every)


def date_texts(lang: str | None) -> tuple[str, str, str]:
    """Placeholders and display format of the date range picker in `lang`."""
    lang = norm_lang(lang)
    return t("admin.audit.from", lang), t("admin.audit.to", lang), DATE_FORMAT[lang]


OUTPUTS: tuple[tuple[str, str], ...] = (
    (ids.ADMIN_AUDIT_COUNT, "children"), (ids.ADMIN_AUDIT_RESULTS, "columnDefs"),
    (ids.ADMIN_AUDIT_RESULTS, "rowData"), (ids.ADMIN_AUDIT_RESULTS, "dashGridOptions"),
    (ids.ADMIN_AUDIT_USER, "options"), (ids.ADMIN_AUDIT_ACTION_FILTER, "options"),
    (ids.ADMIN_AUDIT_TABLE_FILTER, "options"), (ids.ADMIN_AUDIT_USER, "placeholder"),
    (ids.ADMIN_AUDIT_ACTION_FILTER, "placeholder"), (ids.ADMIN_AUDIT_TABLE_FILTER, "placeholder"),
)
INPUTS: tuple[tuple[str, str], ...] = (
    (ids.SHELL_LANG, "data"), (ids.ADMIN_AUDIT_USER, "value"),
    (ids.ADMIN_AUDIT_ACTION_FILTER, "value"), (ids.ADMIN_AUDIT_TABLE_FILTER, "value"),
    (ids.ADMIN_AUDIT_DATES, "start_date"), (ids.ADMIN_AUDIT_DATES, "end_date"),
    (ids.ADMIN_AUDIT_REFRESH, "n_clicks"),
)


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

    @app.callback(*(Output(i, p) for i, p in OUTPUTS), *(Input(i, p) for i, p in INPUTS))
    def _audit(lang: str | None, username: str | None, action: str | None, table: str | None,
               start: str | None, end: str | None, _n: int | None) -> tuple[Any, ...]:
        return load_audit(services, current_principal(), lang, username, action, table, start,
                          end)
