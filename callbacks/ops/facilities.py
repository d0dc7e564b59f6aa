"""Facilities of the officer's area: the list by status -> one facility, the steps open to
it (approve, refuse with a reason, suspend, reactivate), its details to edit, its
warehouses; and the form registering a new facility (Operations II).

Reads go through data.ops.queries.facilities and writes through
data.ops.commands.facilities*, with the signed-in principal: scope and role are decided
there, whatever the page offered. Refusals are told beside their field, in the UI language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_int, fmt_number, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data import catalog
from data.auth.roles import Forbidden, Principal
from data.command_errors import OpsError, Problem
from data.ops.commands.facilities import (
    CREATE_STATUSES,
    MANAGER_ROLES,
    FacilityForm,
    create_facility,
    edit_facility,
)
from data.ops.commands.facilities_status import change_status, steps_from
from data.ops.commands.facilities_warehouses import WarehouseForm, add_warehouse
from data.ops.queries.facilities import (
    FacilityDetail,
    FacilityRow,
    facility_detail,
    managed_districts,
    managed_facilities,
    wards_of,
)
from data.services import Services

ALL = "ALL"
FILTERS = (*catalog.FACILITY_STATUSES, ALL)
MAX_CODE = 40
# The step buttons, in the order of data.ops.commands.facilities_status.STEPS.
STEP_BUTTONS = {"approve": ids.OPS_FAC_APPROVE, "refuse": ids.OPS_FAC_REFUSE,
                "suspend": ids.OPS_FAC_SUSPEND, "reactivate": ids.OPS_FAC_REACTIVATE}
STEP_DONE = {"approve": N_("ops.fac.approved"), "refuse": N_("ops.fac.refused"),
             "suspend": N_("ops.fac.suspended"), "reactivate": N_("ops.fac.reactivated")}
STEP_FIELDS = (ids.OPS_FAC_REASON, ids.OPS_FAC_APPROVE)
STEP_FIELD_OF = {"reason": ids.OPS_FAC_REASON}
EDIT_FIELDS = (ids.OPS_FAC_EDIT_NAME, ids.OPS_FAC_EDIT_KIND, ids.OPS_FAC_EDIT_DISTRICT,
               ids.OPS_FAC_EDIT_WARD, ids.OPS_FAC_EDIT_ADDRESS, ids.OPS_FAC_EDIT_CAPACITY,
               ids.OPS_FAC_EDIT_SUBMIT)
NEW_FIELDS = (ids.OPS_FAC_NEW_CODE, ids.OPS_FAC_NEW_STATUS_CHOICE, ids.OPS_FAC_NEW_NAME,
              ids.OPS_FAC_NEW_KIND, ids.OPS_FAC_NEW_DISTRICT, ids.OPS_FAC_NEW_WARD,
              ids.OPS_FAC_NEW_ADDRESS, ids.OPS_FAC_NEW_CAPACITY, ids.OPS_FAC_NEW_SUBMIT)
WH_FIELDS = (ids.OPS_FAC_WH_CODE, ids.OPS_FAC_WH_NAME, ids.OPS_FAC_WH_LITRES,
             ids.OPS_FAC_WH_SUBMIT)
# The contract's and the commands' field names -> each form's inputs.
CONTRACT_FIELDS = ("facility_code", "name", "kind", "district_code", "ward_code", "address",
                   "daily_capacity", "status")
EDIT_FIELD_OF = dict(zip(CONTRACT_FIELDS[1:7], EDIT_FIELDS[:6], strict=True))
NEW_FIELD_OF = dict(zip(CONTRACT_FIELDS, (
    ids.OPS_FAC_NEW_CODE, ids.OPS_FAC_NEW_NAME, ids.OPS_FAC_NEW_KIND, ids.OPS_FAC_NEW_DISTRICT,
    ids.OPS_FAC_NEW_WARD, ids.OPS_FAC_NEW_ADDRESS, ids.OPS_FAC_NEW_CAPACITY,
    ids.OPS_FAC_NEW_STATUS_CHOICE), strict=True))
WH_FIELD_OF = {"warehouse_code": ids.OPS_FAC_WH_CODE, "name": ids.OPS_FAC_WH_NAME,
               "capacity_litres": ids.OPS_FAC_WH_LITRES}
LITRES_BAD = N_("warehouse.litres_bad")


def _source() -> str:
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def _manages(principal: Principal) -> bool:
    return principal.has(*MANAGER_ROLES)


def status_text(status: str, lang: str) -> str:
    """A facility status (or ALL) in words."""
    if status == ALL:
        return t("ops.fac.all", lang)
    key = CODE_KEYS["facility.status"].get(status)
    return t(key, lang) if key else status


def kind_text(kind: str, lang: str) -> str:
    """A facility kind in words."""
    key = CODE_KEYS["facility.kind"].get(kind)
    return t(key, lang) if key else kind


def _text(value: object, limit: int = 2000) -> str:
    """A typed text, trimmed ('' when not text or beyond any field's width many times over;
    the command words a text merely too long for its column)."""
    return value.strip() if isinstance(value, str) and len(value) <= limit else ""


def _optional(value: object) -> str | None:
    return _text(value) or None


def choices(services: Services, principal: Principal, lang: str | None
            ) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(status filter, kinds, districts the principal manages, statuses of a new facility)."""
    lang = norm_lang(lang)
    districts = managed_districts(services.engine, principal) if _manages(principal) else []
    return ([{"label": status_text(s, lang), "value": s} for s in FILTERS],
            [{"label": kind_text(k, lang), "value": k} for k in catalog.FACILITY_KINDS],
            [{"label": f"{c} · {n}", "value": c} for c, n in districts],
            [{"label": status_text(s, lang), "value": s} for s in CREATE_STATUSES])


def ward_options(services: Services, district: object) -> list[dict]:
    """The wards of the chosen district (none when nothing sensible is chosen)."""
    if not isinstance(district, str) or len(district) != 3 or not district.isdigit():
        return []
    return [{"label": f"{c} · {n}", "value": c} for c, n in wards_of(services.engine, district)]


# -- the list ----------------------------------------------------------------------------

def facility_option(f: FacilityRow, lang: str) -> dict[str, Any]:
    """One radio of the list: status, code and name; then kind, district, capacity."""
    capacity = t("ops.fac.per_day", lang, n=fmt_int(f.daily_capacity, lang)) \
        if f.daily_capacity is not None else "—"
    label = html.Span(
        [html.Span([html.B(status_text(f.status, lang),
                           className=f"ops-fac-status ops-fac-{f.status.lower()}"), " ",
                    html.Span(f"{f.code} · {f.name}", className="ops-queue-name")]),
         html.Span(" · ".join([kind_text(f.kind, lang), f.district_code, capacity,
                               t("ops.fac.n_warehouses", lang, n=fmt_int(f.warehouses, lang))]),
                   className="ops-queue-facts")],
        className="ops-fac-label")
    return {"label": label, "value": f.code}


def list_view(services: Services, principal: Principal, lang: str | None, status: object
              ) -> tuple[list[dict[str, Any]], str]:
    """(options, the line above the list) of the facilities the principal manages."""
    lang = norm_lang(lang)
    if not _manages(principal):
        return [], t("ops.fac.denied", lang)
    wanted = status if status in catalog.FACILITY_STATUSES else None
    rows = managed_facilities(services.engine, principal, wanted)  # type: ignore[arg-type]
    if not rows:
        return [], t("ops.fac.empty", lang)
    return ([facility_option(f, lang) for f in rows],
            t("ops.fac.count", lang, n=fmt_int(len(rows), lang)))


# -- one facility ------------------------------------------------------------------------

def _facts(pairs: Sequence[tuple[str, str]], lang: str) -> html.Dl:
    return html.Dl([part for k, v in pairs for part in (html.Dt(t(k, lang)), html.Dd(v))],
                   className="ops-aefi-facts")


def detail_view(d: FacilityDetail, lang: str) -> list[Component]:
    """The facility's heading, status (and why, when refused or suspended) and place."""
    facts = [(N_("ops.fac.kind"), kind_text(d.kind, lang)),
             (N_("ops.fac.place"), " · ".join(c for c in (d.province_code, d.district_code,
                                                         d.ward_code) if c)),
             (N_("ops.fac.address"), d.address or "—"),
             (N_("ops.fac.capacity"), fmt_int(d.daily_capacity, lang)
              if d.daily_capacity is not None else "—")]
    if d.status_reason:
        facts.append((N_("ops.fac.reason_given"), d.status_reason))
    return [html.H2([f"{d.code} · {d.name} ",
                     html.Span(status_text(d.status, lang),
                               className=f"ops-fac-status ops-fac-{d.status.lower()}")]),
            _facts(facts, lang)]


def warehouses_view(d: FacilityDetail, lang: str) -> Component:
    """The facility's warehouses, one line each."""
    if not d.warehouses:
        return html.P(t("ops.fac.wh.none", lang), className="panel-hint")
    return html.Ul([html.Li(" · ".join(
        [w.code, w.name, t("ops.fac.wh.liters", lang, n=_litres_text(w.capacity_litres, lang))
         if w.capacity_litres is not None else "—"])) for w in d.warehouses],
        className="ops-fac-wh-items")


def _litres_text(litres: float, lang: str) -> str:
    """Litres as typed: a whole number without decimals, else one decimal."""
    return fmt_int(litres, lang) if float(litres).is_integer() else fmt_number(litres, lang)


Opened = tuple[Any, ...]


def open_facility(services: Services, principal: Principal, lang: str | None, code: object
                  ) -> Opened:
    """(detail, manage hidden, code, 4 step buttons hidden, 6 edit values, warehouses)."""
    lang = norm_lang(lang)
    closed = (True, None, True, True, True, True, *[no_update] * 6, "")
    if not _manages(principal):
        return (html.P(t("ops.fac.denied", lang), role="alert"), *closed)
    if not isinstance(code, str) or not code or len(code) > MAX_CODE:
        return (html.P(t("ops.fac.pick", lang), className="panel-hint"), *closed)
    try:
        d = facility_detail(services.engine, principal, code)
    except Forbidden:
        return (html.P(t("ops.fac.forbidden", lang), role="alert"), *closed)
    except OpsError:
        return (html.P(t("ops.fac.unknown", lang), role="alert"), *closed)
    open_steps = steps_from(d.status)
    return (detail_view(d, lang), False, d.code,
            *[name not in open_steps for name in STEP_BUTTONS],
            d.name, d.kind, d.district_code, d.ward_code, d.address or "",
            "" if d.daily_capacity is None else str(d.daily_capacity),
            warehouses_view(d, lang))


# -- the writes --------------------------------------------------------------------------

def _beside(problems: Sequence[Problem], field_of: dict[str, str], fallback: str, lang: str
            ) -> dict[str, str]:
    """field -> message; a problem of no field on the form goes beside its button."""
    errors: dict[str, str] = {}
    for p in problems:
        errors.setdefault(field_of.get(p.field, fallback), problem_message(p, lang))
    return errors


def take_step(services: Services, principal: Principal, lang: str | None, step: str,
              code: object, reason: object) -> tuple[dict[str, str], str]:
    """(field -> error, status line) of one status step on the open facility."""
    lang = norm_lang(lang)
    if not isinstance(code, str) or not code or len(code) > MAX_CODE:
        return {ids.OPS_FAC_APPROVE: t("ops.fac.pick", lang)}, ""
    try:
        change_status(services.engine, principal, _source(), code, step,
                      reason if isinstance(reason, str) else None, lang)
    except Forbidden:
        return {ids.OPS_FAC_APPROVE: t("ops.fac.forbidden", lang)}, ""
    except OpsError as err:
        return (_beside(err.problems, STEP_FIELD_OF, ids.OPS_FAC_APPROVE, lang),
                t("ops.fac.not_saved", lang))
    return {}, t(STEP_DONE[step], lang, code=code)


def _form(code: object, values: Sequence[object], status: str = "PENDING") -> FacilityForm:
    name, kind, district, ward, address, capacity = values
    return FacilityForm(code=_text(code, MAX_CODE + 1), name=_text(name),
                        kind=_text(kind), district_code=_text(district, 8),
                        ward_code=_optional(ward), address=_optional(address),
                        daily_capacity=_optional(capacity), status=status)


def save_edit(services: Services, principal: Principal, lang: str | None, code: object,
              values: Sequence[object]) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, whether saved) of the edit form; `values` in
    EDIT_FIELDS order (without the button)."""
    lang = norm_lang(lang)
    if not isinstance(code, str) or not code or len(code) > MAX_CODE:
        return {ids.OPS_FAC_EDIT_SUBMIT: t("ops.fac.pick", lang)}, "", False
    try:
        changed = edit_facility(services.engine, principal, _source(), _form(code, values),
                                lang)
    except Forbidden:
        return {ids.OPS_FAC_EDIT_SUBMIT: t("ops.fac.forbidden", lang)}, "", False
    except OpsError as err:
        return (_beside(err.problems, EDIT_FIELD_OF, ids.OPS_FAC_EDIT_SUBMIT, lang),
                t("ops.fac.not_saved", lang), False)
    key = N_("ops.fac.edit.saved") if changed else N_("ops.fac.edit.unchanged")
    return {}, t(key, lang, code=code), changed


def save_new(services: Services, principal: Principal, lang: str | None,
             values: Sequence[object]) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, whether created) of the new-facility form; `values` in
    NEW_FIELDS order (without the button)."""
    lang = norm_lang(lang)
    code, status, *rest = values
    wanted = status if isinstance(status, str) and status in CREATE_STATUSES else "PENDING"
    try:
        made = create_facility(services.engine, principal, _source(),
                               _form(code, rest, wanted), lang)
    except Forbidden:
        return {ids.OPS_FAC_NEW_DISTRICT: t("ops.fac.forbidden", lang)}, "", False
    except OpsError as err:
        return (_beside(err.problems, NEW_FIELD_OF, ids.OPS_FAC_NEW_SUBMIT, lang),
                t("ops.fac.not_saved", lang), False)
    return {}, t("ops.fac.new.saved", lang, code=made, status=status_text(wanted, lang)), True


def _litres(value: object) -> float | None | str:
    """The typed litres (',' as the decimal mark too), None when blank, 'bad' otherwise."""
    text = _text(value, 20).replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return "bad"
    return number if math.isfinite(number) else "bad"


def save_warehouse(services: Services, principal: Principal, lang: str | None, code: object,
                   values: Sequence[object]) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, whether added) of the warehouse form."""
    lang = norm_lang(lang)
    if not isinstance(code, str) or not code or len(code) > MAX_CODE:
        return {ids.OPS_FAC_WH_SUBMIT: t("ops.fac.pick", lang)}, "", False
    wh_code, name, litres_text = values
    litres = _litres(litres_text)
    if litres == "bad":
        return ({ids.OPS_FAC_WH_LITRES: t(LITRES_BAD, lang, detail=_text(litres_text, 20))},
                t("ops.fac.not_saved", lang), False)
    form = WarehouseForm(code, _text(wh_code, 41), _text(name),
                         litres if isinstance(litres, float) else None)
    try:
        made = add_warehouse(services.engine, principal, _source(), form, lang)
    except Forbidden:
        return {ids.OPS_FAC_WH_SUBMIT: t("ops.fac.forbidden", lang)}, "", False
    except OpsError as err:
        return (_beside(err.problems, WH_FIELD_OF, ids.OPS_FAC_WH_SUBMIT, lang),
                t("ops.fac.not_saved", lang), False)
    return {}, t("ops.fac.wh.saved", lang, code=made), True


def _bump(done: object) -> int:
    return (done if isinstance(done, int) and not isinstance(done, bool) else 0) + 1


def register(app: dash.Dash, services: Services) -> None:
    """Attach the list, detail, step, edit, warehouse and new-facility callbacks to `app`."""
    @app.callback(
        Output(ids.OPS_FAC_FILTER, "options"), Output(ids.OPS_FAC_NEW_KIND, "options"),
        Output(ids.OPS_FAC_EDIT_KIND, "options"), Output(ids.OPS_FAC_NEW_DISTRICT, "options"),
        Output(ids.OPS_FAC_EDIT_DISTRICT, "options"),
        Output(ids.OPS_FAC_NEW_STATUS_CHOICE, "options"),
        Output(ids.OPS_FAC_NEW_DISTRICT, "value"), Input(ids.SHELL_LANG, "data"))
    def _choices(lang: str | None) -> tuple[Any, ...]:
        filters, kinds, districts, statuses = choices(services, current_principal(), lang)
        # A district officer registers in one district only: chosen already.
        only = districts[0]["value"] if len(districts) == 1 else no_update
        return filters, kinds, kinds, districts, districts, statuses, only

    @app.callback(Output(ids.OPS_FAC_NEW_WARD, "options"),
                  Input(ids.OPS_FAC_NEW_DISTRICT, "value"))
    def _new_wards(district: object) -> list[dict]:
        current_principal()  # authenticated first; the GSO units are public
        return ward_options(services, district)

    @app.callback(Output(ids.OPS_FAC_EDIT_WARD, "options"),
                  Input(ids.OPS_FAC_EDIT_DISTRICT, "value"))
    def _edit_wards(district: object) -> list[dict]:
        current_principal()
        return ward_options(services, district)

    @app.callback(
        Output(ids.OPS_FAC_LIST, "options"), Output(ids.OPS_FAC_LIST_INFO, "children"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_FAC_FILTER, "value"),
        Input(ids.OPS_FAC_DONE, "data"))
    def _list(lang: str | None, status: object, _done: object) -> tuple[list, str]:
        return list_view(services, current_principal(), lang, status)

    @app.callback(
        Output(ids.OPS_FAC_DETAIL, "children"), Output(ids.OPS_FAC_MANAGE, "hidden"),
        Output(ids.OPS_FAC_CODE, "data"),
        *[Output(b, "hidden") for b in STEP_BUTTONS.values()],
        *[Output(f, "value") for f in EDIT_FIELDS[:6]],
        Output(ids.OPS_FAC_WAREHOUSES, "children"),
        Output(ids.OPS_FAC_STEP_STATUS, "children", allow_duplicate=True),
        Input(ids.OPS_FAC_LIST, "value"), Input(ids.OPS_FAC_DONE, "data"),
        Input(ids.SHELL_LANG, "data"), prevent_initial_call="initial_duplicate")
    def _open(code: object, _done: object, lang: str | None) -> tuple:
        shown = open_facility(services, current_principal(), lang, code)
        # A step's outcome line stays under the facility it was taken for.
        kept = dash.ctx.triggered_id == ids.OPS_FAC_DONE
        return (*shown, no_update if kept else "")

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in STEP_FIELDS],
        Output(ids.OPS_FAC_STEP_STATUS, "children", allow_duplicate=True),
        Output(ids.OPS_FAC_REASON, "value"),
        Output(ids.OPS_FAC_DONE, "data", allow_duplicate=True),
        *[Input(b, "n_clicks") for b in STEP_BUTTONS.values()],
        State(ids.OPS_FAC_CODE, "data"), State(ids.OPS_FAC_REASON, "value"),
        State(ids.OPS_FAC_DONE, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _step(*args: Any) -> tuple:
        principal = current_principal()
        *clicks, code, reason, done, lang = args
        pressed = {b: n for b, n in zip(STEP_BUTTONS.values(), clicks, strict=True)}
        trigger = dash.ctx.triggered_id
        if trigger not in pressed or not pressed[trigger]:
            raise PreventUpdate
        step = next(name for name, b in STEP_BUTTONS.items() if b == trigger)
        errors, status = take_step(services, principal, lang, step, code, reason)
        texts = tuple(errors.get(f, "") for f in STEP_FIELDS)
        return (*texts, status, no_update if errors else "",
                no_update if errors else _bump(done))

    # The focus leaves a step button the step hid (assets/ops_facilities.js).
    app.clientside_callback(
        ClientsideFunction(namespace="vx", function_name="facilitiesFocus"),
        Output(ids.OPS_FAC_FOCUS, "data"), Input(ids.OPS_FAC_STEP_STATUS, "children"),
        prevent_initial_call=True)

    submits = (ids.OPS_FAC_EDIT_NAME, ids.OPS_FAC_EDIT_ADDRESS, ids.OPS_FAC_EDIT_CAPACITY)

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in EDIT_FIELDS],
        Output(ids.OPS_FAC_EDIT_STATUS, "children"),
        Output(ids.OPS_FAC_DONE, "data", allow_duplicate=True),
        Input(ids.OPS_FAC_EDIT_SUBMIT, "n_clicks"), *[Input(f, "n_submit") for f in submits],
        State(ids.OPS_FAC_CODE, "data"), *[State(f, "value") for f in EDIT_FIELDS[:6]],
        State(ids.OPS_FAC_DONE, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _edit(clicks: int | None, *rest: Any) -> tuple:
        principal = current_principal()
        *entered, code, name, kind, district, ward, address, capacity, done, lang = rest
        if not (clicks or any(entered)):
            raise PreventUpdate
        errors, status, changed = save_edit(services, principal, lang, code,
                                            (name, kind, district, ward, address, capacity))
        texts = tuple(errors.get(f, "") for f in EDIT_FIELDS)
        return (*texts, status, _bump(done) if changed else no_update)

    wh_submits = (ids.OPS_FAC_WH_CODE, ids.OPS_FAC_WH_NAME, ids.OPS_FAC_WH_LITRES)

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in WH_FIELDS],
        Output(ids.OPS_FAC_WH_STATUS, "children"),
        *[Output(f, "value") for f in WH_FIELDS[:3]],
        Output(ids.OPS_FAC_DONE, "data", allow_duplicate=True),
        Input(ids.OPS_FAC_WH_SUBMIT, "n_clicks"), *[Input(f, "n_submit") for f in wh_submits],
        State(ids.OPS_FAC_CODE, "data"), *[State(f, "value") for f in WH_FIELDS[:3]],
        State(ids.OPS_FAC_DONE, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _warehouse(clicks: int | None, *rest: Any) -> tuple:
        principal = current_principal()
        *entered, code, wh_code, name, litres, done, lang = rest
        if not (clicks or any(entered)):
            raise PreventUpdate
        errors, status, ok = save_warehouse(services, principal, lang, code,
                                            (wh_code, name, litres))
        texts = tuple(errors.get(f, "") for f in WH_FIELDS)
        cleared = ("", "", "") if ok else (no_update,) * 3
        return (*texts, status, *cleared, _bump(done) if ok else no_update)

    new_submits = (ids.OPS_FAC_NEW_CODE, ids.OPS_FAC_NEW_NAME, ids.OPS_FAC_NEW_ADDRESS,
                   ids.OPS_FAC_NEW_CAPACITY)

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in NEW_FIELDS],
        Output(ids.OPS_FAC_NEW_STATUS, "children"),
        Output(ids.OPS_FAC_DONE, "data", allow_duplicate=True),
        Input(ids.OPS_FAC_NEW_SUBMIT, "n_clicks"), *[Input(f, "n_submit") for f in new_submits],
        *[State(f, "value") for f in NEW_FIELDS[:-1]],
        State(ids.OPS_FAC_DONE, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _new(clicks: int | None, *rest: Any) -> tuple:
        principal = current_principal()
        entered, rest = rest[:len(new_submits)], rest[len(new_submits):]
        *values, done, lang = rest
        if not (clicks or any(entered)):
            raise PreventUpdate
        errors, status, ok = save_new(services, principal, lang, values)
        texts = tuple(errors.get(f, "") for f in NEW_FIELDS)
        return (*texts, status, _bump(done) if ok else no_update)
