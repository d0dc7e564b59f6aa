"""Allocations: the form recording an allocation decision row, and the rows of the user's area
followed to their deliveries (allocated -> dispatched -> received -> owed), one row's transfers
on selection.

The form's fields are the allocations contract's cells, sent as typed to
data.ops.commands.allocations (the contract's rules, worded as a reject report words them);
only the doses field reads the UI language's digit grouping first (1.500 in vi, 1,500 in en),
which the contract would read as a decimal. Scope and role are decided in the data layer.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pandas as pd
from dash import Input, Output, State, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from callbacks.shared import ids, tables
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import Forbidden, Principal
from data.catalog import VACCINES
from data.command_errors import OpsError, Problem
from data.ops.commands.allocations import allocate
from data.ops.queries.allocations import (
    allocations_carried_out,
    deliveries_of,
    may_read,
    recipients,
)
from data.services import Services

# The form's fields, in the order their errors are returned; the contract's field -> form's.
FIELDS = (ids.OPS_ALLOC_DECISION, ids.OPS_ALLOC_DATE, ids.OPS_ALLOC_VACCINE,
          ids.OPS_ALLOC_RECIPIENT, ids.OPS_ALLOC_DOSES, ids.OPS_ALLOC_BATCH,
          ids.OPS_ALLOC_SUBMIT)
FIELD_OF = {"decision_no": ids.OPS_ALLOC_DECISION, "decided_on": ids.OPS_ALLOC_DATE,
            "vaccine_code": ids.OPS_ALLOC_VACCINE, "recipient_code": ids.OPS_ALLOC_RECIPIENT,
            "doses": ids.OPS_ALLOC_DOSES, "batch": ids.OPS_ALLOC_BATCH}
FILTERS = {"OWED": N_("ops.alloc.filter.OWED"), "ALL": N_("ops.alloc.filter.ALL")}
GRID_FIELDS = ["allocation_id", "decided_on", "decision_no", "batch", "vaccine_code",
               "recipient_name", "recipient_code", "doses", "dispatched", "received",
               "in_transit", "short", "owed"]
# Digit groups as each UI language writes them: 40.000 in vi, 40,000 in en (spaces in both).
GROUPED = {"vi": re.compile(r"\d{1,3}([. ]\d{3})+"), "en": re.compile(r"\d{1,3}([, ]\d{3})+")}
MAX_TOKEN = 64


def _source() -> str:
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def doses_cell(value: object, lang: str | None) -> object:
    """The doses field as the contract's cell: digit groups of the UI language joined, any
    other text as typed (the contract then refuses what is not a positive whole number)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    return re.sub(r"[., ]", "", text) if GROUPED[norm_lang(lang)].fullmatch(text) else text


def choices(services: Services, principal: Principal, lang: str | None
            ) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """(products, recipients the principal allocates to, table filter) options."""
    lang = norm_lang(lang)
    products = [{"label": f"{v.code} · {v.name}", "value": v.code} for v in VACCINES]
    places = [{"label": f"{name} ({code})", "value": code}
              for code, name in recipients(services.engine, principal)]
    return products, places, [{"label": t(k, lang), "value": v} for v, k in FILTERS.items()]


def _beside(problems: Sequence[Problem], lang: str) -> dict[str, str]:
    """field -> message; a problem of no field on the form goes beside the button."""
    errors: dict[str, str] = {}
    for p in problems:
        errors.setdefault(FIELD_OF.get(p.field, ids.OPS_ALLOC_SUBMIT), problem_message(p, lang))
    return errors


def submit(services: Services, principal: Principal, lang: str | None, token: object,
           values: dict[str, object]) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, whether recorded) of the form; `values` by field id."""
    lang = norm_lang(lang)
    key = token if isinstance(token, str) and 0 < len(token) <= MAX_TOKEN else None
    cells = {c: values.get(f) for c, f in FIELD_OF.items()}
    cells["doses"] = doses_cell(cells["doses"], lang)
    try:
        aid = allocate(services, principal, cells, allocation_id=key, lang=lang,
                       source=_source())
    except Forbidden:
        return ({ids.OPS_ALLOC_RECIPIENT: t("ops.alloc.denied", lang)},
                t("ops.alloc.not_saved", lang), False)
    except OpsError as err:
        return _beside(err.problems, lang), t("ops.alloc.not_saved", lang), False
    return {}, t("ops.alloc.saved", lang, id=aid), True


def carried_columns(lang: str) -> list[dict[str, Any]]:
    """The table's columns in `lang` (1366 wide: every header on whole words)."""
    # Numbers and dates filter from the column menu: their header keeps room for the words.
    def number(field: str, key: str) -> dict[str, Any]:
        return tables.column(field, key, lang, "number", minWidth=108,
                             suppressHeaderFilterButton=True)

    return [tables.column("decided_on", "ops.alloc.col.date", lang, "date", minWidth=112,
                          maxWidth=130, sort="desc", suppressHeaderFilterButton=True),
            tables.column("decision_no", "ops.alloc.col.decision", lang, minWidth=120,
                          tooltipField="batch"),
            tables.column("vaccine_code", "col.vaccine", lang, minWidth=96, maxWidth=110),
            tables.column("recipient_name", "col.recipient", lang, minWidth=150, flex=1.5,
                          tooltipField="recipient_name"),
            number("doses", N_("stock.metric.allocated")),
            number("dispatched", N_("col.dispatched")),
            number("received", N_("col.received_alloc")), number("owed", N_("col.owed")),
            number("in_transit", N_("ops.alloc.col.in_transit")),
            number("short", N_("ops.alloc.col.short")),
            tables.column("allocation_id", "ops.alloc.col.id", lang, minWidth=120,
                          tooltipField="allocation_id")]


def carried(services: Services, principal: Principal, lang: str | None, which: object
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """(columns, rows, the line above the table) of the principal's allocations: those still
    owed, or all of them."""
    lang = norm_lang(lang)
    if not may_read(principal):
        return [], [], t("ops.alloc.page_denied", lang)
    df = allocations_carried_out(services.engine, principal)
    if which != "ALL":
        df = df[df["owed"] > 0]
    owed = int(df["owed"].sum()) if len(df) else 0
    info = t("ops.alloc.count", lang, n=fmt_int(len(df), lang), owed=fmt_int(owed, lang)) \
        if len(df) else t("ops.alloc.empty", lang)
    df = df.assign(decided_on=pd.to_datetime(df["decided_on"]).dt.date)
    return carried_columns(lang), tables.rows(df, GRID_FIELDS), info


def _moment(at: object, lang: str, tz: str) -> str:
    if at is None or (isinstance(at, float) and pd.isna(at)) or at is pd.NaT:
        return "—"
    stamp = pd.Timestamp(at)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    local = stamp.tz_convert(ZoneInfo(tz))
    return f"{fmt_date(local.date(), lang)} {local:%H:%M}"


def deliveries_view(services: Services, principal: Principal, lang: str | None,
                    selected: object) -> Component | str:
    """The transfers that delivered the selected row, or the hint to select one."""
    lang = norm_lang(lang)
    rows = selected if isinstance(selected, list) else []
    aid = rows[0].get("allocation_id") if rows and isinstance(rows[0], dict) else None
    if not isinstance(aid, str) or not aid or len(aid) > MAX_TOKEN:
        return ""
    try:
        df = deliveries_of(services.engine, principal, aid)
    except Forbidden:
        return html.P(t("ops.alloc.row_denied", lang), role="alert")
    title = html.H3(t("ops.alloc.deliveries", lang, id=aid))
    if df.empty:
        return html.Div([title, html.P(t("ops.alloc.no_deliveries", lang),
                                       className="panel-hint")])
    tz = services.settings.timezone
    head = html.Tr([html.Th(t(k, lang)) for k in (
        N_("ops.alloc.d.sent_at"), N_("ops.alloc.d.route"), N_("ops.alloc.d.lot"),
        N_("ops.alloc.d.sent"), N_("ops.alloc.d.received_at"), N_("ops.alloc.d.received"),
        N_("ops.alloc.d.short"))])
    body = [html.Tr([
        html.Td(_moment(r["sent_at"], lang, tz)),
        html.Td(f"{r['from_warehouse']} → {r['to_warehouse']}"),
        html.Td(r["lot_number"]), html.Td(fmt_int(r["sent"], lang), className="num"),
        html.Td(_moment(r["received_at"], lang, tz) if r["status"] == "RECEIVED"
                else t("ops.alloc.d.in_transit", lang)),
        html.Td(fmt_int(r["received"], lang) if r["status"] == "RECEIVED" else "—",
                className="num"),
        html.Td(fmt_int(r["discrepancy"], lang) if r["status"] == "RECEIVED" else "—",
                className="num")]) for r in df.to_dict("records")]
    return html.Div([title, html.Table([html.Thead(head), html.Tbody(body)],
                                       className="ops-table ops-alloc-transfers")])


def _today(services: Services) -> str:
    return f"{dt.datetime.now(ZoneInfo(services.settings.timezone)).date():%d/%m/%Y}"


def register(app: dash.Dash, services: Services) -> None:
    """Attach the form's and the table's callbacks to `app`."""
    @app.callback(
        Output(ids.OPS_ALLOC_VACCINE, "options"), Output(ids.OPS_ALLOC_RECIPIENT, "options"),
        Output(ids.OPS_ALLOC_DATE, "value"),
        Input(ids.SHELL_LANG, "data"), State(ids.OPS_ALLOC_DATE, "value"))
    def _choices(lang: str | None, day: object) -> tuple[list, list, str]:
        products, places, _ = choices(services, current_principal(), lang)
        return products, places, day if isinstance(day, str) and day else _today(services)

    @app.callback(Output(ids.OPS_ALLOC_FILTER, "options"), Input(ids.SHELL_LANG, "data"))
    def _filters(lang: str | None) -> list:
        current_principal()  # authenticated first, though nothing is read
        lang = norm_lang(lang)
        return [{"label": t(k, lang), "value": v} for v, k in FILTERS.items()]

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in FIELDS],
        Output(ids.OPS_ALLOC_STATUS, "children", allow_duplicate=True),
        Output(ids.OPS_ALLOC_DONE, "data"),
        Output(ids.OPS_ALLOC_TOKEN, "data"), Output(ids.OPS_ALLOC_DOSES, "value"),
        Input(ids.OPS_ALLOC_SUBMIT, "n_clicks"), Input(ids.OPS_ALLOC_DOSES, "n_submit"),
        Input(ids.OPS_ALLOC_BATCH, "n_submit"),
        *[State(f, "value") for f in FIELDS[:-1]],
        State(ids.OPS_ALLOC_TOKEN, "data"), State(ids.OPS_ALLOC_DONE, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _submit(clicks: int | None, doses_enter: int | None, batch_enter: int | None,
                *rest: Any) -> tuple:
        principal = current_principal()
        if not (clicks or doses_enter or batch_enter):
            raise PreventUpdate
        *values, token, done, lang = rest
        errors, line, ok = submit(services, principal, lang, token,
                                  dict(zip(FIELDS[:-1], values, strict=True)))
        texts = tuple(errors.get(f, "") for f in FIELDS)
        if not ok:
            return (*texts, line, no_update, no_update, no_update)
        count = done if isinstance(done, int) and not isinstance(done, bool) else 0
        # A new row's id for the next decision; the doses field is emptied for it.
        return (*texts, line, count + 1, f"ALC-{uuid.uuid4().hex}", "")

    @app.callback(Output(ids.OPS_ALLOC_STATUS, "children", allow_duplicate=True),
                  Input(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _new_language(_lang: str | None) -> str:
        current_principal()
        return ""  # the last line was said in the other language

    @app.callback(
        Output(ids.OPS_ALLOC_GRID, "columnDefs"), Output(ids.OPS_ALLOC_GRID, "rowData"),
        Output(ids.OPS_ALLOC_INFO, "children"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_ALLOC_FILTER, "value"),
        Input(ids.OPS_ALLOC_DONE, "data"), Input(ids.SHELL_VERSION, "data"))
    def _table(lang: str | None, which: object, _done: object, _version: object) -> tuple:
        # The grid's own texts (pager, filters) follow the language in callbacks.shared.grid_lang.
        return carried(services, current_principal(), lang, which)

    @app.callback(
        Output(ids.OPS_ALLOC_DELIVERIES, "children"),
        Input(ids.OPS_ALLOC_GRID, "selectedRows"), Input(ids.SHELL_LANG, "data"),
        Input(ids.OPS_ALLOC_DONE, "data"))
    def _deliveries(selected: object, lang: str | None, _done: object) -> Component | str:
        return deliveries_view(services, current_principal(), lang, selected)
