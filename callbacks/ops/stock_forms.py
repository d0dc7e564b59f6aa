"""The stock page's forms: receive (from a supplier or a warehouse), transfer to another
warehouse (the first-expiry-first-out lot preselected) and adjust with a typed reason.

Writes go through data.ops.commands.stock and transfers with the signed-in principal: the
warehouse's scope and every ledger rule are decided there. Refusals are told beside the field
they concern, in the UI language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import dash
from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from callbacks.ops.fields import parse_day
from callbacks.ops.stock import (
    MOMENT_BAD,
    NUMBER_BAD,
    lot_label,
    lot_value,
    moment,
    read_holdings,
    source,
    split_lot,
    today,
    warehouse_label,
    whole,
)
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.command_errors import OpsError, Problem
from data.ops.commands import stock, transfers
from data.ops.queries.allocation_lines import deliverable_lines
from data.ops.queries.stock_views import all_warehouses, readable_warehouses, vaccine_codes
from data.ops.rules.stock_alerts import fefo
from data.services import Services

SUPPLIER = "SUPPLIER"  # the receive form's "from": no counterparty
REASON_KEYS = {
    "EXPIRED": N_("ops.stock.reason.EXPIRED"),
    "VVM_CHANGE": N_("ops.stock.reason.VVM_CHANGE"),
    "BROKEN": N_("ops.stock.reason.BROKEN"),
    "CONTAMINATED": N_("ops.stock.reason.CONTAMINATED"),
    "OPEN_VIAL": N_("ops.stock.reason.OPEN_VIAL"),
    "OTHER": N_("ops.stock.reason.OTHER"),
    "COLD_CHAIN_FAILURE": N_("ops.stock.reason.COLD_CHAIN_FAILURE"),
    "LOST": N_("ops.stock.reason.LOST"),
    "STOLEN": N_("ops.stock.reason.STOLEN"),
}
LOT_NEEDED = N_("ops.stock.lot_needed")
DAY_BAD = N_("ops.stock.day_bad")
DENIED = N_("ops.stock.denied")
NOT_SAVED = N_("ops.stock.not_saved")

RCV_FIELDS = (ids.OPS_STOCK_RCV_LOT, ids.OPS_STOCK_RCV_VACCINE, ids.OPS_STOCK_RCV_EXPIRY,
              ids.OPS_STOCK_RCV_DOSES, ids.OPS_STOCK_RCV_VVM, ids.OPS_STOCK_RCV_FROM,
              ids.OPS_STOCK_RCV_AT, ids.OPS_STOCK_RCV_SUBMIT)
RCV_FIELD_OF = {"lot_number": ids.OPS_STOCK_RCV_LOT, "vaccine_code": ids.OPS_STOCK_RCV_VACCINE,
                "expiry_date": ids.OPS_STOCK_RCV_EXPIRY, "doses": ids.OPS_STOCK_RCV_DOSES,
                "vvm_stage": ids.OPS_STOCK_RCV_VVM,
                "counterparty_code": ids.OPS_STOCK_RCV_FROM,
                "occurred_at": ids.OPS_STOCK_RCV_AT}
TRF_FIELDS = (ids.OPS_STOCK_TRF_TO, ids.OPS_STOCK_TRF_LOT, ids.OPS_STOCK_TRF_DOSES,
              ids.OPS_STOCK_TRF_AT, ids.OPS_STOCK_TRF_ALLOC, ids.OPS_STOCK_TRF_SUBMIT)
TRF_FIELD_OF = {"to_warehouse": ids.OPS_STOCK_TRF_TO, "counterparty_code": ids.OPS_STOCK_TRF_TO,
                "lot_number": ids.OPS_STOCK_TRF_LOT, "vaccine_code": ids.OPS_STOCK_TRF_LOT,
                "doses": ids.OPS_STOCK_TRF_DOSES, "sent_at": ids.OPS_STOCK_TRF_AT,
                "occurred_at": ids.OPS_STOCK_TRF_AT, "allocation_id": ids.OPS_STOCK_TRF_ALLOC,
                "from_warehouse": ids.OPS_STOCK_TRF_ALLOC}
ADJ_FIELDS = (ids.OPS_STOCK_ADJ_LOT, ids.OPS_STOCK_ADJ_DOSES, ids.OPS_STOCK_ADJ_REASON,
              ids.OPS_STOCK_ADJ_AT, ids.OPS_STOCK_ADJ_SUBMIT)
ADJ_FIELD_OF = {"lot_number": ids.OPS_STOCK_ADJ_LOT, "vaccine_code": ids.OPS_STOCK_ADJ_LOT,
                "doses": ids.OPS_STOCK_ADJ_DOSES, "reason": ids.OPS_STOCK_ADJ_REASON,
                "occurred_at": ids.OPS_STOCK_ADJ_AT}

Result = tuple[dict[str, str], str, bool]  # (field -> error, status line, written)


def beside(problems: Sequence[Problem], field_of: dict[str, str], fallback: str, lang: str
           ) -> dict[str, str]:
    """field -> message; a problem of no field on the form goes beside its button."""
    errors: dict[str, str] = {}
    for p in problems:
        errors.setdefault(field_of.get(p.field, fallback), problem_message(p, lang))
    return errors


def _code(value: object) -> str:
    return value.strip() if isinstance(value, str) and len(value) <= 40 else ""


def _run(write: Callable[[], object], field_of: dict[str, str], button: str, lang: str,
         done: Callable[[object], str]) -> Result:
    """Run a command; its refusals beside their fields."""
    try:
        out = write()
    except Forbidden:
        return {button: t(DENIED, lang)}, "", False
    except OpsError as err:
        return beside(err.problems, field_of, button, lang), t(NOT_SAVED, lang), False
    return {}, done(out), True


# -- choices -----------------------------------------------------------------------------

def static_choices(services: Services, lang: str | None
                   ) -> tuple[list[dict], list[dict], list[dict]]:
    """(vaccines, VVM stages, adjustment reasons) in `lang`."""
    lang = norm_lang(lang)
    vaccines = [{"label": f"{c} · {n}", "value": c} for c, n in vaccine_codes(services.engine)]
    vvm = [{"label": t("ops.stock.vvm_stage", lang, n=n), "value": n} for n in (1, 2, 3, 4)]
    reasons = [{"label": t(REASON_KEYS[r], lang), "value": r} for r in stock.ADJUST_REASONS]
    return vaccines, vvm, reasons


def warehouse_choices(services: Services, principal: Principal, warehouse: object,
                      lang: str | None) -> dict[str, Any]:
    """The choices that depend on the warehouse: where from / to (any other warehouse; those
    outside the user's area by code alone), its lots with stock, and the FEFO lot preselected
    with its hint line."""
    lang = norm_lang(lang)
    empty = {"from": [], "to": [], "lots": [], "fefo": None, "hint": ""}
    found = read_holdings(services, principal, warehouse)
    if found is None:
        return empty
    mine = {w.code for w in readable_warehouses(services.engine, principal)}
    others = [{"label": warehouse_label(w) if w.code in mine else w.code, "value": w.code}
              for w in all_warehouses(services.engine) if w.code != warehouse]
    held = [h for h in found if h.position.on_hand > 0]
    lots = [{"label": lot_label(h, lang),
             "value": lot_value(h.position.vaccine_code, h.position.lot_number)} for h in held]
    pick = fefo([(lot_value(h.position.vaccine_code, h.position.lot_number),
                  h.position.expiry_date, h.position.on_hand, h.vvm_stage) for h in held],
                today(services))
    hint = t("ops.stock.trf.no_fefo", lang) if held else ""
    if pick is not None:
        h = next(h for h in held
                 if lot_value(h.position.vaccine_code, h.position.lot_number) == pick)
        hint = t("ops.stock.trf.fefo", lang, lot=h.position.lot_number,
                 expiry=fmt_date(h.position.expiry_date, lang))
    supplier = [{"label": t("ops.stock.rcv.supplier", lang), "value": SUPPLIER}]
    return {"from": supplier + others, "to": others, "lots": lots, "fefo": pick, "hint": hint}


# -- the forms ---------------------------------------------------------------------------

def receive(services: Services, principal: Principal, lang: str | None, warehouse: object,
            values: dict[str, object]) -> Result:
    """Record a receipt; `values` by the form's field ids."""
    lang = norm_lang(lang)
    tz = services.settings.timezone
    if not principal.has(*OPERATIONS_ROLES):
        return {ids.OPS_STOCK_RCV_SUBMIT: t(DENIED, lang)}, "", False
    lot = _code(values.get(ids.OPS_STOCK_RCV_LOT))
    errors: dict[str, str] = {}
    if not lot:
        errors[ids.OPS_STOCK_RCV_LOT] = t(LOT_NEEDED, lang)
    expiry = parse_day(values.get(ids.OPS_STOCK_RCV_EXPIRY))
    if expiry is None:
        errors[ids.OPS_STOCK_RCV_EXPIRY] = t(DAY_BAD, lang)
    doses = whole(values.get(ids.OPS_STOCK_RCV_DOSES))
    if doses is None:
        errors[ids.OPS_STOCK_RCV_DOSES] = t(NUMBER_BAD, lang)
    when = moment(values.get(ids.OPS_STOCK_RCV_AT), tz)
    if when is None:
        errors[ids.OPS_STOCK_RCV_AT] = t(MOMENT_BAD, lang)
    if errors:
        return errors, t(NOT_SAVED, lang), False
    vvm = values.get(ids.OPS_STOCK_RCV_VVM)
    source_code = _code(values.get(ids.OPS_STOCK_RCV_FROM))
    return _run(lambda: stock.receive(
        services, principal, _code(warehouse), _code(values.get(ids.OPS_STOCK_RCV_VACCINE)),
        lot, expiry, doses, when,  # type: ignore[arg-type]
        counterparty_code=None if source_code in ("", SUPPLIER) else source_code,
        vvm_stage=vvm if vvm is None or isinstance(vvm, int) else -1,
        lang=lang, source=source()),
        RCV_FIELD_OF, ids.OPS_STOCK_RCV_SUBMIT, lang,
        lambda _id: t("ops.stock.rcv.done", lang, n=fmt_int(doses, lang), lot=lot))


def transfer(services: Services, principal: Principal, lang: str | None, warehouse: object,
             values: dict[str, object]) -> Result:
    """Send a lot to another warehouse (in transit until it confirms)."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return {ids.OPS_STOCK_TRF_SUBMIT: t(DENIED, lang)}, "", False
    errors: dict[str, str] = {}
    to = _code(values.get(ids.OPS_STOCK_TRF_TO))
    if not to:
        errors[ids.OPS_STOCK_TRF_TO] = t("ops.stock.trf.to_needed", lang)
    lot = split_lot(values.get(ids.OPS_STOCK_TRF_LOT))
    if lot is None:
        errors[ids.OPS_STOCK_TRF_LOT] = t(LOT_NEEDED, lang)
    doses = whole(values.get(ids.OPS_STOCK_TRF_DOSES))
    if doses is None:
        errors[ids.OPS_STOCK_TRF_DOSES] = t(NUMBER_BAD, lang)
    when = moment(values.get(ids.OPS_STOCK_TRF_AT), services.settings.timezone)
    if when is None:
        errors[ids.OPS_STOCK_TRF_AT] = t(MOMENT_BAD, lang)
    if errors or lot is None:
        return errors, t(NOT_SAVED, lang), False
    allocation = _code(values.get(ids.OPS_STOCK_TRF_ALLOC)) or None
    return _run(lambda: transfers.send(
        services, principal, _code(warehouse), to, lot[0], lot[1], doses,  # type: ignore[arg-type]
        when, lang=lang, source=source(), allocation_id=allocation),  # type: ignore[arg-type]
        TRF_FIELD_OF, ids.OPS_STOCK_TRF_SUBMIT, lang,
        lambda _id: t("ops.stock.trf.done", lang, n=fmt_int(doses, lang), lot=lot[1], to=to))


def adjust(services: Services, principal: Principal, lang: str | None, warehouse: object,
           values: dict[str, object]) -> Result:
    """Adjust a lot's balance with a typed reason (a debit negative)."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return {ids.OPS_STOCK_ADJ_SUBMIT: t(DENIED, lang)}, "", False
    errors: dict[str, str] = {}
    lot = split_lot(values.get(ids.OPS_STOCK_ADJ_LOT))
    if lot is None:
        errors[ids.OPS_STOCK_ADJ_LOT] = t(LOT_NEEDED, lang)
    doses = whole(values.get(ids.OPS_STOCK_ADJ_DOSES))
    if doses is None:
        errors[ids.OPS_STOCK_ADJ_DOSES] = t(NUMBER_BAD, lang)
    reason = values.get(ids.OPS_STOCK_ADJ_REASON)
    if reason not in stock.ADJUST_REASONS:
        errors[ids.OPS_STOCK_ADJ_REASON] = t("ops.stock.adj.reason_needed", lang)
    when = moment(values.get(ids.OPS_STOCK_ADJ_AT), services.settings.timezone)
    if when is None:
        errors[ids.OPS_STOCK_ADJ_AT] = t(MOMENT_BAD, lang)
    if errors or lot is None:
        return errors, t(NOT_SAVED, lang), False
    return _run(lambda: stock.adjust(
        services, principal, _code(warehouse), lot[0], lot[1], doses,  # type: ignore[arg-type]
        str(reason), when, lang=lang, source=source()),  # type: ignore[arg-type]
        ADJ_FIELD_OF, ids.OPS_STOCK_ADJ_SUBMIT, lang,
        lambda _id: t("ops.stock.adj.done", lang, n=fmt_int(doses, lang), lot=lot[1],
                      reason=t(REASON_KEYS[str(reason)], lang)))


def allocation_choices(services: Services, principal: Principal, warehouse: object,
                       to: object, lang: str | None) -> list[dict[str, str]]:
    """The allocation lines still owed that a transfer from `warehouse` to `to` may deliver:
    decision, day, vaccine and doses owed."""
    if not (isinstance(warehouse, str) and isinstance(to, str)):
        return []
    lang = norm_lang(lang)
    lines = deliverable_lines(services.engine, principal, warehouse, to)
    return [{"label": t("ops.stock.trf.allocation_line", lang, decision=line.decision_no,
                        day=fmt_date(line.decided_on, lang), vaccine=line.vaccine_code,
                        n=fmt_int(line.owed, lang)),
             "value": line.allocation_id} for line in lines]


def bump(done: object) -> int:
    """The next value of a page's "something was written" counter."""
    return (done if isinstance(done, int) and not isinstance(done, bool) else 0) + 1


def _submit_callback(app: dash.Dash, services: Services, fields: tuple[str, ...],
                     submit: str, status_id: str, inputs: tuple[str, ...],
                     write: Callable[..., Result], clear: tuple[str, ...]) -> None:
    """Submit a form by its button or Enter in `inputs`; once written, the `clear` fields are
    emptied, so a second Enter cannot record the same movement twice."""
    values_of = tuple(f for f in fields if f != submit)

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in fields],
        *[Output(f, "value") for f in clear],
        Output(status_id, "children"),
        Output(ids.OPS_STOCK_DONE, "data", allow_duplicate=True),
        Input(submit, "n_clicks"), *[Input(f, "n_submit") for f in inputs],
        *[State(f, "value") for f in values_of],
        State(ids.OPS_STOCK_WAREHOUSE, "value"), State(ids.OPS_STOCK_DONE, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _submit(*args: Any) -> tuple:
        principal = current_principal()
        if not any(args[:1 + len(inputs)]):
            raise PreventUpdate
        values = dict(zip(values_of, args[1 + len(inputs):], strict=False))
        warehouse, done, lang = args[-3:]
        errors, line, written = write(services, principal, lang, warehouse, values)
        return (*[errors.get(f, "") for f in fields],
                *[("" if written else no_update) for _f in clear], line,
                bump(done) if written else no_update)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the forms' choices and their submits to `app`."""
    @app.callback(
        Output(ids.OPS_STOCK_RCV_VACCINE, "options"), Output(ids.OPS_STOCK_RCV_VVM, "options"),
        Output(ids.OPS_STOCK_ADJ_REASON, "options"), Input(ids.SHELL_LANG, "data"))
    def _static(lang: str | None) -> tuple[list, list, list]:
        current_principal()  # authenticated first
        return static_choices(services, lang)

    @app.callback(
        Output(ids.OPS_STOCK_RCV_FROM, "options"), Output(ids.OPS_STOCK_RCV_FROM, "value"),
        Output(ids.OPS_STOCK_TRF_TO, "options"), Output(ids.OPS_STOCK_TRF_LOT, "options"),
        Output(ids.OPS_STOCK_TRF_LOT, "value"), Output(ids.OPS_STOCK_TRF_HINT, "children"),
        Output(ids.OPS_STOCK_ADJ_LOT, "options"),
        Input(ids.OPS_STOCK_WAREHOUSE, "value"), Input(ids.SHELL_LANG, "data"),
        Input(ids.OPS_STOCK_DONE, "data"), State(ids.OPS_STOCK_RCV_FROM, "value"))
    def _choices(warehouse: object, lang: str | None, _done: object, source_code: object
                 ) -> tuple:
        c = warehouse_choices(services, current_principal(), warehouse, lang)
        kept = source_code if any(o["value"] == source_code for o in c["from"]) else SUPPLIER
        return c["from"], kept, c["to"], c["lots"], c["fefo"], c["hint"], c["lots"]

    @app.callback(
        Output(ids.OPS_STOCK_TRF_ALLOC, "options"), Output(ids.OPS_STOCK_TRF_ALLOC, "value"),
        Input(ids.OPS_STOCK_WAREHOUSE, "value"), Input(ids.OPS_STOCK_TRF_TO, "value"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_STOCK_DONE, "data"))
    def _allocations(warehouse: object, to: object, lang: str | None, _done: object
                     ) -> tuple[list, None]:
        return allocation_choices(services, current_principal(), warehouse, to, lang), None

    _submit_callback(app, services, RCV_FIELDS, ids.OPS_STOCK_RCV_SUBMIT,
                     ids.OPS_STOCK_RCV_STATUS, (ids.OPS_STOCK_RCV_LOT, ids.OPS_STOCK_RCV_EXPIRY,
                                               ids.OPS_STOCK_RCV_DOSES, ids.OPS_STOCK_RCV_AT),
                     receive, (ids.OPS_STOCK_RCV_LOT, ids.OPS_STOCK_RCV_DOSES))
    _submit_callback(app, services, TRF_FIELDS, ids.OPS_STOCK_TRF_SUBMIT,
                     ids.OPS_STOCK_TRF_STATUS, (ids.OPS_STOCK_TRF_DOSES, ids.OPS_STOCK_TRF_AT),
                     transfer, (ids.OPS_STOCK_TRF_DOSES,))
    _submit_callback(app, services, ADJ_FIELDS, ids.OPS_STOCK_ADJ_SUBMIT,
                     ids.OPS_STOCK_ADJ_STATUS, (ids.OPS_STOCK_ADJ_DOSES, ids.OPS_STOCK_ADJ_AT),
                     adjust, (ids.OPS_STOCK_ADJ_DOSES,))
