"""Facility management (Quản lý cơ sở tiêm chủng): the facilities of the officer's province
or district by status (PENDING first), one facility with the steps open to it (approve,
refuse with a reason, suspend, reactivate), its details to edit and its warehouses; and the
form registering a new facility (Operations II).

Drawn and checked by callbacks.ops.facilities; scope and roles are decided in the data
layer (data.ops.commands.facilities). Anyone but a province or district officer gets the
refusal alone.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from callbacks.shared.viewer import viewer_manages_facilities
from pages._components.forms import button, status
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/facilities", name="Quản lý cơ sở",
    title="Quản lý cơ sở tiêm chủng · Facility management", order=57,
)


def _error(field_id: str) -> html.P:
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def _select(field_id: str, label_key: str, clearable: bool = False, at: str = "") -> html.Div:
    # A div label: a dropdown holds several inputs; its error sits right under it.
    return html.Div([label(label_key, html.Div, at, className="form-label"),
                     dcc.Dropdown(id=field_id, options=[], value=None, clearable=clearable,
                                  searchable=True, className="form-select"),
                     _error(field_id)], className="form-field")


def _text(field_id: str, label_key: str, max_length: int, at: str = "") -> html.Div:
    # As pages._components.forms.text_field, with `at`: both forms show the same labels,
    # and each label's id must be unique for the shell to translate it.
    return html.Div(
        [label(label_key, html.Label, at, htmlFor=field_id, className="form-label"),
         dcc.Input(id=field_id, type="text", autoComplete="off", spellCheck=False,
                   debounce=False, n_submit=0, maxLength=max_length, className="form-input"),
         _error(field_id)],
        className="form-field")


def _place_fields(prefix: str) -> list[Component]:
    """Name, kind, district, ward, address, capacity: the fields both forms share."""
    p = {"new": (ids.OPS_FAC_NEW_NAME, ids.OPS_FAC_NEW_KIND, ids.OPS_FAC_NEW_DISTRICT,
                 ids.OPS_FAC_NEW_WARD, ids.OPS_FAC_NEW_ADDRESS, ids.OPS_FAC_NEW_CAPACITY),
         "edit": (ids.OPS_FAC_EDIT_NAME, ids.OPS_FAC_EDIT_KIND, ids.OPS_FAC_EDIT_DISTRICT,
                  ids.OPS_FAC_EDIT_WARD, ids.OPS_FAC_EDIT_ADDRESS,
                  ids.OPS_FAC_EDIT_CAPACITY)}[prefix]
    capacity = _text(p[5], N_("ops.fac.capacity"), 7, prefix)
    capacity.children[1].inputMode = "numeric"
    return [
        _text(p[0], N_("ops.fac.name"), 200, prefix),
        html.Div([_select(p[1], N_("ops.fac.kind"), at=prefix), capacity],
                 className="ops-form-row"),
        html.Div([_select(p[2], N_("ops.fac.district"), at=prefix),
                  _select(p[3], N_("ops.fac.ward"), clearable=True, at=prefix)],
                 className="ops-form-row"),
        _text(p[4], N_("ops.fac.address"), 300, prefix),
    ]


def _list() -> html.Section:
    return html.Section(
        [label("ops.fac.list", html.H2),
         html.Fieldset([label("ops.fac.filter", html.Legend, className="form-label"),
                        dcc.RadioItems(id=ids.OPS_FAC_FILTER, options=[], value="PENDING",
                                       inline=True, className="form-radios")],
                       className="form-field form-fieldset"),
         html.P(id=ids.OPS_FAC_LIST_INFO, className="ops-queue-info", role="status"),
         dcc.RadioItems(id=ids.OPS_FAC_LIST, options=[], value=None,
                        className="ops-queue ops-fac-list"),
         label("ops.fac.list_hint", html.P, className="panel-hint")],
        className="panel ops-queue-panel")


def _steps() -> html.Fieldset:
    reason = html.Div(
        [label("ops.fac.reason", html.Label, htmlFor=ids.OPS_FAC_REASON,
               className="form-label"),
         dcc.Textarea(id=ids.OPS_FAC_REASON, value="", maxLength=300, rows=2,
                      className="form-input ops-fac-reason"),
         _error(ids.OPS_FAC_REASON)], className="form-field")
    buttons = [button(ids.OPS_FAC_APPROVE, "ops.fac.approve"),
               button(ids.OPS_FAC_REFUSE, "ops.fac.refuse", kind="danger"),
               button(ids.OPS_FAC_SUSPEND, "ops.fac.suspend", kind="danger"),
               button(ids.OPS_FAC_REACTIVATE, "ops.fac.reactivate")]
    for b in buttons:
        b.hidden = True
    return html.Fieldset(
        [label("ops.fac.steps", html.Legend, className="form-label"), reason,
         html.Div(buttons, className="ops-fac-buttons"), _error(ids.OPS_FAC_APPROVE),
         html.P(id=ids.OPS_FAC_STEP_STATUS, className="form-status", role="status",
                **{"aria-live": "polite"})],
        className="ops-fac-steps")


def _edit() -> html.Fieldset:
    return html.Fieldset(
        [label("ops.fac.edit", html.Legend, className="form-label"), *_place_fields("edit"),
         button(ids.OPS_FAC_EDIT_SUBMIT, "ops.fac.edit.submit"),
         _error(ids.OPS_FAC_EDIT_SUBMIT), status(ids.OPS_FAC_EDIT_STATUS)],
        className="ops-fac-edit")


def _warehouses() -> html.Fieldset:
    litres = _text(ids.OPS_FAC_WH_LITRES, N_("ops.fac.wh.litres"), 9)
    litres.children[1].inputMode = "decimal"
    return html.Fieldset(
        [label("ops.fac.wh", html.Legend, className="form-label"),
         html.Div(id=ids.OPS_FAC_WAREHOUSES, className="ops-fac-wh-list"),
         html.Div([_text(ids.OPS_FAC_WH_CODE, N_("ops.fac.wh.code"), 40),
                   _text(ids.OPS_FAC_WH_NAME, N_("ops.fac.wh.name"), 200), litres],
                  className="ops-form-row"),
         button(ids.OPS_FAC_WH_SUBMIT, "ops.fac.wh.submit", kind="secondary"),
         _error(ids.OPS_FAC_WH_SUBMIT), status(ids.OPS_FAC_WH_STATUS)],
        className="ops-fac-wh")


def _facility() -> html.Section:
    return html.Section(
        [html.Div(label("ops.fac.pick", html.P, className="panel-hint"),
                  id=ids.OPS_FAC_DETAIL, className="ops-fac-detail"),
         # Hidden until a facility is open (callbacks.ops.facilities).
         html.Div([_steps(), _edit(), _warehouses()], id=ids.OPS_FAC_MANAGE, hidden=True,
                  className="ops-fac-manage")],
        className="panel ops-form-panel")


def _new() -> html.Section:
    code = _text(ids.OPS_FAC_NEW_CODE, N_("ops.fac.code"), 32)
    return html.Section(
        [label("ops.fac.new", html.H2),
         label("ops.fac.new.hint", html.P, className="panel-hint"),
         html.Div([code, html.Fieldset(
             [label("ops.fac.new.status", html.Legend, className="form-label"),
              dcc.RadioItems(id=ids.OPS_FAC_NEW_STATUS_CHOICE, options=[], value="PENDING",
                             inline=True, className="form-radios"),
              _error(ids.OPS_FAC_NEW_STATUS_CHOICE)], className="form-field form-fieldset")],
             className="ops-form-row"),
         *_place_fields("new"),
         button(ids.OPS_FAC_NEW_SUBMIT, "ops.fac.new.submit"),
         _error(ids.OPS_FAC_NEW_SUBMIT), status(ids.OPS_FAC_NEW_STATUS)],
        className="panel ops-fac-new")


def _page() -> html.Main:
    return html.Main(
        [html.Div(label("ops.fac.title", html.H1), className="page-header"),
         html.Div([_list(), _facility()], className="ops-screening ops-fac"),
         _new(),
         dcc.Store(id=ids.OPS_FAC_CODE), dcc.Store(id=ids.OPS_FAC_DONE, data=0),
         dcc.Store(id=ids.OPS_FAC_FOCUS)],
        className="page page-ops page-ops-facilities",
    )


def _refusal() -> html.Main:
    # No list, so no callback of the page runs for a role that manages no facility.
    return html.Main(
        [html.Div(label("ops.fac.title", html.H1), className="page-header"),
         html.Div(label("ops.fac.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The facilities of the officer's area and the forms, the refusal for anyone else."""
    return _page() if viewer_manages_facilities() else _refusal()
