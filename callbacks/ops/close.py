"""Closing a session: the session's lots with the doses given -> the vials opened typed per lot,
the open-vial wastage as it is typed -> one confirmation through
data.ops.commands.closing.close_with_tally, which checks the scope and writes everything.

Every callback authenticates first and treats what the browser sends as hostile: the session
id must look like one, a vial count must be a whole number in range, and the lots are only
those the data layer returned.
"""

from __future__ import annotations

import re
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.command_errors import OpsError
from data.ops.commands.closing import (
    MAX_VIALS,
    SessionTally,
    close_with_tally,
    lot_field,
    session_tally,
)
from data.ops.rules.errors import RuleError
from data.ops.rules.vials import wasted
from data.services import Services

SESSION_ERROR = ids.field_error(ids.OPS_CLOSE_SESSION)
SESSION_ID = re.compile(r"[0-9a-f]{32}")  # data.ops.commands.common.new_id
COLUMNS = (N_("ops.close.col.lot"), N_("ops.close.col.vaccine"), N_("ops.close.col.given"),
           N_("ops.close.col.per_vial"), N_("ops.close.col.vials"), N_("ops.close.col.wasted"))
NONE = "—"
BAD = -1  # a vial count that is not a whole number in range


def lot_id(kind: str, lot: str) -> dict[str, str]:
    """The pattern id of one lot's input, wastage or error."""
    return {"type": kind, "lot": lot}


def vials_of(value: object) -> int | None:
    """What was typed in a lot's field: None when blank, BAD when not 0..MAX_VIALS."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return BAD
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,6}\s*", value):
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= MAX_VIALS else BAD


def _source() -> str:
    return (request.remote_addr if has_request_context() else None) or "unknown"


def _allowed(principal: Principal, session: object) -> str | None:
    """The session id when the principal operates and the id looks like one; else None."""
    if not principal.has(*OPERATIONS_ROLES) or not isinstance(session, str):
        return None
    return session if SESSION_ID.fullmatch(session) else None


def _head(found: SessionTally, lang: str) -> list[Component]:
    facts = t("ops.close.session", lang, facility=found.facility_code,
              day=fmt_date(found.day, lang), start=found.starts_at.strftime("%H:%M"),
              end=found.ends_at.strftime("%H:%M"))
    where = (t("ops.close.warehouse", lang, warehouse=found.warehouse_code)
             if found.warehouse_code else t("ops.close.no_warehouse_yet", lang))
    return [html.P(facts, className="ops-close-facts"),
            html.P(where, className="ops-close-warehouse" if found.warehouse_code
                   else "form-error")]


def _table(found: SessionTally, lang: str, typed: dict[str, object]) -> Component:
    if found.status != "OPEN":
        return html.P(t("ops.close.already", lang), className="form-status")
    if not found.lots:
        return html.P(t("ops.close.no_lots", lang), className="panel-hint")
    head = html.Tr([html.Th(t(k, lang)) for k in COLUMNS])
    rows = []
    for i, lot in enumerate(found.lots):
        field = lot_id(ids.OPS_CLOSE_VIALS, lot.lot_number)
        value = typed.get(lot.lot_number)
        rows.append(html.Tr([
            html.Td(lot.lot_number, className="ops-close-lot"),
            html.Td(lot.vaccine_code),
            html.Td(fmt_int(lot.doses_given, lang), className="num"),
            html.Td(fmt_int(lot.doses_per_vial, lang), className="num"),
            # The label wraps the input (a pattern id cannot be a label's htmlFor target).
            html.Td([html.Label([
                html.Span(f"{t(COLUMNS[4], lang)} {lot.lot_number}", className="sr-only"),
                dcc.Input(id=field, type="number", min=0, max=MAX_VIALS, step=1, value=value,
                          autoFocus=i == 0, n_submit=0, debounce=False, autoComplete="off",
                          inputMode="numeric", className="form-input ops-close-vials")]),
                     html.P(id=lot_id(ids.OPS_CLOSE_VIALS_ERROR, lot.lot_number),
                            className="form-error", role="alert")],
                    className="form-field ops-close-vials-cell"),
            html.Td(NONE, id=lot_id(ids.OPS_CLOSE_WASTED, lot.lot_number), className="num"),
        ]))
    return html.Table([html.Thead(head), html.Tbody(rows)], className="ops-doses ops-close")


def load(services: Services, principal: Principal, lang: str | None, session: object,
         typed: dict[str, object]) -> tuple[list[Component], Component, list[dict[str, Any]],
                                            str, bool]:
    """(head, lots table, lot data for the live wastage, error beside the session, confirm
    disabled) of the page's session."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return [], html.Div(), [], t("ops.denied", lang), True
    if not session:
        return [], html.Div(), [], t("ops.close.no_session", lang), True
    sid = _allowed(principal, session)
    try:
        if sid is None:
            raise OpsError.one("session_id", "session.unknown", str(session)[:64])
        found = session_tally(services.engine, principal, sid)
    except Forbidden:
        return [], html.Div(), [], t("ops.denied", lang), True
    except OpsError as err:
        return [], html.Div(), [], problem_message(err.problems[0], lang), True
    data = [{"lot": lot.lot_number, "given": lot.doses_given, "per_vial": lot.doses_per_vial}
            for lot in found.lots]
    closed = found.status != "OPEN" or found.warehouse_code is None
    return _head(found, lang), _table(found, lang, typed), data, "", closed


def live(values: list[object], data: list[dict[str, Any]] | None,
         lang: str | None) -> tuple[list[str], list[str]]:
    """(wastage, error) per lot as the vials are typed (nothing is written)."""
    lang = norm_lang(lang)
    wastes, errors = [], []
    for value, lot in zip(values, data or [], strict=False):
        n = vials_of(value)
        waste, error = NONE, ""
        if n == BAD:
            error = t("close.vials_value", lang, detail=fmt_int(MAX_VIALS, lang))
        elif n is not None:
            try:
                waste = fmt_int(wasted(n, int(lot["per_vial"]), int(lot["given"])), lang)
            except RuleError as err:
                error = t(err.code, lang, detail=err.detail)
        wastes.append(waste)
        errors.append(error)
    return wastes + [NONE] * (len(values) - len(wastes)), errors + [""] * (
        len(values) - len(errors))


def confirm(services: Services, principal: Principal, source: str, lang: str | None,
            session: object, values: list[object], lots: list[str]) -> tuple[str, str, list[str],
                                                                             bool]:
    """(outcome, error beside the session, error beside each lot, confirm disabled) of one
    confirmation."""
    lang = norm_lang(lang)
    errors = [""] * len(lots)
    if not principal.has(*OPERATIONS_ROLES):
        return "", t("ops.denied", lang), errors, True
    sid = _allowed(principal, session)
    if sid is None:
        return "", t("session.unknown", lang, detail=str(session or "")[:64]), errors, True
    counts = [vials_of(v) for v in values]
    bad = [i for i, n in enumerate(counts) if n == BAD]
    if bad:
        text = t("close.vials_value", lang, detail=fmt_int(MAX_VIALS, lang))
        return "", "", [text if i in bad else "" for i in range(len(lots))], False
    vials = {lot: n for lot, n in zip(lots, counts, strict=True) if n is not None}
    try:
        done = close_with_tally(services, principal, sid, vials, lang, source=source)
    except Forbidden:
        return "", t("ops.denied", lang), errors, True
    except OpsError as err:
        fields = [lot_field(lot) for lot in lots]
        beside = [p for p in err.problems if p.field not in fields]
        for p in err.problems:
            if p.field in fields and not errors[fields.index(p.field)]:
                errors[fields.index(p.field)] = problem_message(p, lang)
        general = " ".join(problem_message(p, lang) for p in beside)
        return "", general, errors, False
    given = sum(lot.doses_given for lot in done.lots)
    waste = sum(lot.doses_wasted or 0 for lot in done.lots)
    return t("ops.close.done", lang, given=fmt_int(given, lang), wasted=fmt_int(waste, lang),
             warehouse=done.warehouse_code), "", errors, True


def register(app: dash.Dash, services: Services) -> None:
    """Attach the page's load, live wastage and confirmation callbacks to `app`."""
    vials = {"type": ids.OPS_CLOSE_VIALS, "lot": ALL}

    @app.callback(
        Output(ids.OPS_CLOSE_HEAD, "children"), Output(ids.OPS_CLOSE_LOTS, "children"),
        Output(ids.OPS_CLOSE_LOT_DATA, "data"), Output(SESSION_ERROR, "children"),
        Output(ids.OPS_CLOSE_CONFIRM, "disabled"),
        Input(ids.OPS_CLOSE_SESSION, "data"), Input(ids.SHELL_LANG, "data"),
        State(vials, "value"), State(vials, "id"))
    def _load(session: object, lang: str | None, values: list[object] | None,
              fields: list[dict[str, str]] | None) -> tuple[Any, ...]:
        typed = {f["lot"]: v for f, v in zip(fields or [], values or [], strict=False)
                 if isinstance(f, dict)}
        return load(services, current_principal(), lang, session, typed)

    @app.callback(
        Output({"type": ids.OPS_CLOSE_WASTED, "lot": ALL}, "children"),
        Output({"type": ids.OPS_CLOSE_VIALS_ERROR, "lot": ALL}, "children"),
        Input(vials, "value"), State(ids.OPS_CLOSE_LOT_DATA, "data"),
        State(ids.SHELL_LANG, "data"))
    def _live(values: list[object], data: list[dict[str, Any]] | None,
              lang: str | None) -> tuple[list[str], list[str]]:
        if not current_principal().has(*OPERATIONS_ROLES):
            return [NONE] * len(values), [""] * len(values)
        return live(values, data if isinstance(data, list) else [], lang)

    @app.callback(
        Output(ids.OPS_CLOSE_RESULT, "children"),
        Output(SESSION_ERROR, "children", allow_duplicate=True),
        Output({"type": ids.OPS_CLOSE_VIALS_ERROR, "lot": ALL}, "children",
               allow_duplicate=True),
        Output(ids.OPS_CLOSE_CONFIRM, "disabled", allow_duplicate=True),
        Input(ids.OPS_CLOSE_CONFIRM, "n_clicks"), Input(vials, "n_submit"),
        State(vials, "value"), State(vials, "id"), State(ids.OPS_CLOSE_SESSION, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _confirm(_n: int | None, _submits: list[int | None], values: list[object],
                 fields: list[dict[str, str]], session: object,
                 lang: str | None) -> tuple[Any, ...]:
        if not any(trigger.get("value") for trigger in ctx.triggered):
            raise PreventUpdate  # a lot's input appearing, not a key or a click
        lots = [f.get("lot", "") if isinstance(f, dict) else "" for f in fields]
        return confirm(services, current_principal(), _source(), lang, session, values, lots)
