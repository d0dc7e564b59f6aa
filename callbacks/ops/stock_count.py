"""The count sheet: every lot of the warehouse with its ledger balance, a "counted" column and
the VVM stage edited in the grid (ag-grid's undo and redo of cell edits), saved in one go
through data.ops.commands.counts.count_sheet: the system writes each difference as a COUNT
adjustment. A lot left blank is not counted. Problems are shown on their row and listed
beside the grid; one refused line refuses the sheet (nothing is written)."""

from __future__ import annotations

from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from callbacks.ops.stock import MOMENT_BAD, moment, read_holdings, source
from callbacks.ops.stock_forms import DENIED, NOT_SAVED, bump
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from callbacks.shared.tables import LOCALES, column
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.command_errors import OpsError
from data.ops.commands import counts
from data.ops.commands.counts import Counted
from data.services import Services

VVM_CHOICES = ("", "1", "2", "3", "4")
ROW_BAD = N_("ops.stock.count.row_bad")
VVM_BAD = N_("ops.stock.count.vvm_bad")
MAX_ROWS = counts.MAX_LINES


def columns(lang: str | None) -> list[dict[str, Any]]:
    """The sheet's columns, headed in `lang`: the counted quantity and VVM editable."""
    lang = norm_lang(lang)
    return [
        {"field": "vaccine", "headerName": t("ops.stock.vaccine", lang), "width": 110},
        {"field": "lot", "headerName": t("ops.stock.lot", lang), "width": 140},
        {"field": "expiry", "headerName": t("ops.stock.expiry", lang), "width": 130},
        column("balance", "ops.stock.count.balance", lang, "number", width=150) | {
            "filter": False},
        {"field": "counted", "headerName": t("ops.stock.count.counted", lang), "width": 140,
         "editable": True, "cellDataType": "number", "type": "rightAligned",
         # Blank until typed: a lot left blank is not counted.
         "valueFormatter": {"function": "params.value == null ? '' : params.value"
                                        f".toLocaleString('{LOCALES[lang]}')"},
         "cellEditor": "agNumberCellEditor",
         "cellEditorParams": {"min": 0, "precision": 0, "showStepperButtons": False},
         "cellClass": "ops-stock-editable"},
        {"field": "vvm", "headerName": t("ops.stock.vvm", lang), "width": 100,
         "editable": True, "cellDataType": "text", "cellEditor": "agSelectCellEditor",
         "cellEditorParams": {"values": list(VVM_CHOICES)}, "cellClass": "ops-stock-editable"},
        {"field": "error", "headerName": t("ops.stock.count.problem", lang), "flex": 1,
         "minWidth": 220, "wrapText": True, "autoHeight": True,
         "cellClass": "ops-stock-row-problem"},
    ]


def sheet_rows(services: Services, principal: Principal, warehouse: object, lang: str | None
               ) -> list[dict[str, Any]] | None:
    """One row per lot the warehouse holds, nothing counted yet; None when the warehouse is
    not one the principal may read."""
    lang = norm_lang(lang)
    found = read_holdings(services, principal, warehouse)
    if found is None:
        return None
    return [{"key": f"{h.position.vaccine_code}|{h.position.lot_number}",
             "vaccine": h.position.vaccine_code, "lot": h.position.lot_number,
             "expiry": fmt_date(h.position.expiry_date, lang), "balance": h.position.on_hand,
             "counted": None, "vvm": "" if h.vvm_stage is None else str(h.vvm_stage),
             "error": ""} for h in found if h.position.on_hand]


def _counted(value: object) -> int | None | str:
    """A cell's count: None when blank, the whole number, or "bad"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "bad"
    return int(value) if float(value).is_integer() and value >= 0 else "bad"


def _vvm(value: object) -> int | None | str:
    if value is None or value == "":
        return None
    return int(str(value)) if str(value) in VVM_CHOICES else "bad"


Saved = tuple[list[dict[str, Any]], list[Component], dict[str, str], str, bool]


def save_sheet(services: Services, principal: Principal, lang: str | None, warehouse: object,
               rows: object, counted_at: object) -> Saved:
    """(the rows with their problems, the problems listed, field -> error, the status line,
    whether saved) of one sheet."""
    lang = norm_lang(lang)
    given = [dict(r) for r in rows if isinstance(r, dict)][:MAX_ROWS] \
        if isinstance(rows, list) else []
    for r in given:
        r["error"] = ""
    if not principal.has(*OPERATIONS_ROLES):
        return given, [], {ids.OPS_STOCK_COUNT_SAVE: t(DENIED, lang)}, "", False
    when = moment(counted_at, services.settings.timezone)
    if when is None:
        return given, [], {ids.OPS_STOCK_COUNT_AT: t(MOMENT_BAD, lang)}, t(NOT_SAVED, lang), False
    lines, by_lot = [], {}
    for r in given:
        n, vvm = _counted(r.get("counted")), _vvm(r.get("vvm"))
        vaccine, lot = r.get("vaccine"), r.get("lot")
        if not isinstance(vaccine, str) or not isinstance(lot, str) or n is None:
            continue
        if n == "bad" or vvm == "bad":
            r["error"] = t(ROW_BAD if n == "bad" else VVM_BAD, lang)
            continue
        lines.append(Counted(vaccine, lot, n, vvm))  # type: ignore[arg-type]
        by_lot[counts.line_field(lot)] = r
    if not lines and not any(r["error"] for r in given):
        return given, [], {ids.OPS_STOCK_COUNT_SAVE: t("ops.stock.count.nothing", lang)}, "", False
    errors: dict[str, str] = {}
    if not any(r["error"] for r in given):
        try:
            counts.count_sheet(services, principal, str(warehouse)[:40], lines, when,
                               lang=lang, source=source())
        except Forbidden:
            return given, [], {ids.OPS_STOCK_COUNT_SAVE: t(DENIED, lang)}, "", False
        except OpsError as err:
            for p in err.problems:
                message = problem_message(p, lang)
                if p.field in by_lot:
                    by_lot[p.field]["error"] = by_lot[p.field]["error"] or message
                elif p.field == "counted_at":
                    errors[ids.OPS_STOCK_COUNT_AT] = message
                else:
                    errors.setdefault(ids.OPS_STOCK_COUNT_SAVE, message)
        else:
            moved = sum(1 for line in lines if line.counted != by_lot[
                counts.line_field(line.lot_number)].get("balance"))
            return given, [], {}, t("ops.stock.count.saved", lang,
                                    n=fmt_int(len(lines), lang), moved=fmt_int(moved, lang)), True
    listed: list[Component] = [html.Li(f"{r['lot']}: {r['error']}") for r in given if r["error"]]
    return given, listed, errors, t(NOT_SAVED, lang), False


def register(app: dash.Dash, services: Services) -> None:
    """Attach the sheet, its save and its undo/redo buttons to `app`."""
    @app.callback(
        Output(ids.OPS_STOCK_COUNT_GRID, "columnDefs"),
        Output(ids.OPS_STOCK_COUNT_GRID, "rowData"),
        Output(ids.OPS_STOCK_COUNT_ERRORS, "children"),
        Input(ids.OPS_STOCK_WAREHOUSE, "value"), Input(ids.SHELL_LANG, "data"),
        Input(ids.OPS_STOCK_COUNT_DONE, "data"))
    def _sheet(warehouse: object, lang: str | None, _done: object) -> tuple:
        rows = sheet_rows(services, current_principal(), warehouse, lang)
        return columns(lang), rows or [], [] if rows is not None else [
            html.Li(t("ops.stock.no_warehouse", norm_lang(lang)))]

    @app.callback(
        Output(ids.OPS_STOCK_COUNT_GRID, "rowData", allow_duplicate=True),
        Output(ids.OPS_STOCK_COUNT_ERRORS, "children", allow_duplicate=True),
        Output(ids.field_error(ids.OPS_STOCK_COUNT_AT), "children"),
        Output(ids.field_error(ids.OPS_STOCK_COUNT_SAVE), "children"),
        Output(ids.OPS_STOCK_COUNT_STATUS, "children"),
        Output(ids.OPS_STOCK_COUNT_DONE, "data"),
        Input(ids.OPS_STOCK_COUNT_SAVE, "n_clicks"),
        State(ids.OPS_STOCK_COUNT_GRID, "virtualRowData"),
        State(ids.OPS_STOCK_COUNT_GRID, "rowData"), State(ids.OPS_STOCK_WAREHOUSE, "value"),
        State(ids.OPS_STOCK_COUNT_AT, "value"), State(ids.OPS_STOCK_COUNT_DONE, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _save(clicks: int | None, edited: object, rows: object, warehouse: object,
              at: object, done: object, lang: str | None) -> tuple:
        principal = current_principal()
        if not clicks:
            raise PreventUpdate
        # The grid reports its edited rows as virtualRowData; rowData until the first edit.
        given, listed, errors, line, saved = save_sheet(
            services, principal, lang, warehouse, edited if edited else rows, at)
        if saved:
            return no_update, [], "", "", line, bump(done)
        return (given, listed, errors.get(ids.OPS_STOCK_COUNT_AT, ""),
                errors.get(ids.OPS_STOCK_COUNT_SAVE, ""), line, no_update)

    for button, function in ((ids.OPS_STOCK_COUNT_UNDO, "undo"),
                             (ids.OPS_STOCK_COUNT_REDO, "redo")):
        app.clientside_callback(
            ClientsideFunction(namespace="vx_stock", function_name=function),
            Output(button, "title"), Input(button, "n_clicks"), prevent_initial_call=True)

