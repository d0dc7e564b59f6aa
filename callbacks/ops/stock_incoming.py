"""The transfers coming to the warehouse: each one in transit with the quantity actually
received (the doses sent, until corrected) and its confirm button; under them, the last ones
confirmed with their discrepancy (a shortfall is kept on the transfer, lost on the road).

Confirmation goes through data.ops.commands.transfers.confirm with the signed-in principal:
only the receiving warehouse's keepers may confirm, decided there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import ALL, Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from callbacks.ops.aefi_view import fmt_moment
from callbacks.ops.stock import MOMENT_BAD, NUMBER_BAD, head, moment, source, whole
from callbacks.ops.stock_forms import DENIED, bump
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.command_errors import OpsError
from data.ops.commands import transfers
from data.ops.queries.stock_views import Incoming, incoming
from data.services import Services

MAX_ID = 32
CONFIRMED_COLUMNS = (N_("ops.stock.in.from"), N_("ops.stock.lot"), N_("ops.stock.in.sent"),
                     N_("ops.stock.in.received"), N_("ops.stock.in.discrepancy"))


def received_id(transfer_id: str) -> dict[str, str]:
    """The received-quantity field of one transfer."""
    return {"type": ids.OPS_STOCK_RECEIVED, "transfer": transfer_id}


def confirm_id(transfer_id: str) -> dict[str, str]:
    """The confirm button of one transfer."""
    return {"type": ids.OPS_STOCK_CONFIRM, "transfer": transfer_id}


def error_id(transfer_id: str) -> dict[str, str]:
    """The error line beside one transfer's received quantity."""
    return {"type": ids.OPS_STOCK_CONFIRM_ERROR, "transfer": transfer_id}


def _in_transit(x: Incoming, lang: str, tz: str) -> html.Li:
    return html.Li([
        html.P(t("ops.stock.in.line", lang, n=fmt_int(x.sent, lang), vaccine=x.vaccine_code,
                 lot=x.lot_number, expiry=fmt_date(x.expiry_date, lang), src=x.from_warehouse,
                 at=fmt_moment(x.sent_at, lang, tz)), className="ops-stock-in-line"),
        html.Div([
            # The input inside its label: a pattern id has no plain DOM id to point at.
            html.Label([html.Span(t("ops.stock.in.received", lang), className="form-label"),
                        dcc.Input(id=received_id(x.transfer_id), type="text",
                                  inputMode="numeric", value=str(x.sent), maxLength=9,
                                  n_submit=0, autoComplete="off",
                                  className="form-input ops-field-doses")]),
            html.Button(t("ops.stock.in.confirm", lang), id=confirm_id(x.transfer_id),
                        n_clicks=0, type="button", className="form-button form-button-primary"),
        ], className="ops-form-row ops-stock-in-form"),
        html.P(id=error_id(x.transfer_id), className="form-error", role="alert",
               **{"aria-live": "assertive"})], className="ops-stock-in")


def _confirmed(done: Sequence[Incoming], lang: str) -> html.Table:
    rows = [html.Tr([html.Td(x.from_warehouse), html.Td(f"{x.vaccine_code} · {x.lot_number}"),
                     html.Td(fmt_int(x.sent, lang), className="num"),
                     html.Td(fmt_int(x.received, lang), className="num"),
                     html.Td(fmt_int(x.discrepancy, lang) if x.discrepancy else "—",
                             className="num ops-stock-discrepancy" if x.discrepancy
                             else "num")]) for x in done]
    return html.Table([html.Caption(t("ops.stock.in.confirmed", lang)),
                       head(CONFIRMED_COLUMNS, lang, (2, 3, 4)),
                       html.Tbody(rows)], className="ops-stock-table")


def incoming_view(services: Services, principal: Principal, lang: str | None,
                  warehouse: object) -> list[Component]:
    """The transfers in transit to the warehouse with their forms, then the confirmed ones."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES) or not isinstance(warehouse, str) \
            or not warehouse or len(warehouse) > 40:
        return []
    try:
        found = incoming(services.engine, principal, warehouse)
    except (Forbidden, OpsError):
        return []
    tz = services.settings.timezone
    open_ = [x for x in found if x.status == "IN_TRANSIT"]
    done = [x for x in found if x.status != "IN_TRANSIT"]
    out: list[Component] = [
        html.Ul([_in_transit(x, lang, tz) for x in open_], className="ops-stock-in-list")
        if open_ else html.P(t("ops.stock.in.none", lang), className="panel-hint")]
    if done:
        out.append(_confirmed(done, lang))
    return out


AT = "at"  # confirm()'s key of the received-at field's error; RECEIVED: the line's
RECEIVED = "received"


def confirm(services: Services, principal: Principal, lang: str | None, transfer_id: object,
            received: object, received_at: object) -> tuple[dict[str, str], str, bool]:
    """({RECEIVED or AT: error}, the status line, whether confirmed)."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return {RECEIVED: t(DENIED, lang)}, "", False
    if not isinstance(transfer_id, str) or not transfer_id or len(transfer_id) > MAX_ID:
        return {RECEIVED: t("ops.refused", lang)}, "", False
    n = whole(received)
    if n is None:
        return {RECEIVED: t(NUMBER_BAD, lang)}, "", False
    when = moment(received_at, services.settings.timezone)
    if when is None:
        return {AT: t(MOMENT_BAD, lang)}, "", False
    try:
        short = transfers.confirm(services, principal, transfer_id, n, when, lang=lang,
                                  source=source())
    except Forbidden:
        return {RECEIVED: t(DENIED, lang)}, "", False
    except OpsError as err:
        p = err.problems[0]
        return {AT if p.field == "received_at" else RECEIVED: problem_message(p, lang)}, "", False
    if short:
        return {}, t("ops.stock.in.done_short", lang, n=fmt_int(n, lang),
                     short=fmt_int(short, lang)), True
    return {}, t("ops.stock.in.done", lang, n=fmt_int(n, lang)), True


def register(app: dash.Dash, services: Services) -> None:
    """Attach the incoming list and its confirmations to `app`."""
    @app.callback(
        Output(ids.OPS_STOCK_INCOMING, "children"),
        Input(ids.OPS_STOCK_WAREHOUSE, "value"), Input(ids.SHELL_LANG, "data"),
        Input(ids.OPS_STOCK_DONE, "data"))
    def _list(warehouse: object, lang: str | None, _done: object) -> list:
        return incoming_view(services, current_principal(), lang, warehouse)

    @app.callback(
        Output({"type": ids.OPS_STOCK_CONFIRM_ERROR, "transfer": ALL}, "children"),
        Output(ids.field_error(ids.OPS_STOCK_CONFIRM_AT), "children"),
        Output(ids.OPS_STOCK_CONFIRM_STATUS, "children"),
        Output(ids.OPS_STOCK_DONE, "data", allow_duplicate=True),
        Input({"type": ids.OPS_STOCK_CONFIRM, "transfer": ALL}, "n_clicks"),
        Input({"type": ids.OPS_STOCK_RECEIVED, "transfer": ALL}, "n_submit"),
        State({"type": ids.OPS_STOCK_RECEIVED, "transfer": ALL}, "value"),
        State({"type": ids.OPS_STOCK_RECEIVED, "transfer": ALL}, "id"),
        State(ids.OPS_STOCK_CONFIRM_AT, "value"), State(ids.OPS_STOCK_DONE, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _confirm(_clicks: list, _submits: list, values: list, fields: list, at: object,
                 done: object, lang: str | None) -> tuple[Any, ...]:
        principal = current_principal()
        trigger = dash.ctx.triggered_id
        pressed = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        if not isinstance(trigger, dict) or not pressed:
            raise PreventUpdate  # a redrawn list, not a press
        wanted = trigger.get("transfer")
        typed = [f.get("transfer") if isinstance(f, dict) else None for f in fields or []]
        value = values[typed.index(wanted)] if wanted in typed and isinstance(values, list) \
            and len(values) == len(typed) else None
        errors, line, confirmed = confirm(services, principal, lang, wanted, value, at)
        # One error line per line the page holds, as the request lists them.
        shown = [o.get("id", {}).get("transfer") if isinstance(o, dict) else None
                 for o in dash.ctx.outputs_list[0]]
        beside = [errors.get(RECEIVED, "") if s == wanted else "" for s in shown]
        return beside, errors.get(AT, ""), line, bump(done) if confirmed else no_update
