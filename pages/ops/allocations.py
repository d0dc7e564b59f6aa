"""Allocations (Phân bổ vắc xin): the form that records an allocation decision (the Ministry's
to provinces, a province's to its districts) and the allocations of the user's area followed to
their deliveries: allocated -> dispatched -> received, and what is still owed.

The form and the table are filled and checked by callbacks.ops.allocations; who allocates
and who reads what is decided in the data layer (data.ops.commands.allocations,
data.ops.queries.allocations). Roles that read no allocations get the refusal alone.
"""

from __future__ import annotations

import uuid
from typing import Any

import dash
import dash_ag_grid as dag
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.grid_locale import grid_options
from callbacks.shared.i18n import DEFAULT_LANG
from callbacks.shared.viewer import viewer_holds
from pages._components.forms import button, select_field, status, text_field
from pages._components.labels import label
from pages._components.mcc import DEFAULT_COL

dash.register_page(
    __name__, path="/ops/allocations", name="Phân bổ vắc xin",
    title="Phân bổ vắc xin · Vaccine allocations", order=60,
)

# data.auth.roles by name: who decides allocations, and who reads them.
ALLOCATORS = ("MINISTRY_LEADER", "PROVINCE_OFFICER")
READERS = (*ALLOCATORS, "SYSTEM_ADMIN", "DISTRICT_OFFICER")


def _short(field: html.Div, size: int, placeholder: str | None = None) -> html.Div:
    widget = field.children[1]
    widget.maxLength = size
    if placeholder:
        widget.placeholder = placeholder
    return field


def _form() -> html.Section:
    doses = _short(text_field(ids.OPS_ALLOC_DOSES, "ops.alloc.doses"), 12)
    doses.children[1].inputMode = "numeric"
    fields = [_short(text_field(ids.OPS_ALLOC_DECISION, "ops.alloc.decision"), 60,
                     "3355/QĐ-BYT"),
              _short(text_field(ids.OPS_ALLOC_DATE, "ops.alloc.date"), 10, "dd/mm/yyyy"),
              select_field(ids.OPS_ALLOC_VACCINE, "ops.alloc.vaccine"),
              select_field(ids.OPS_ALLOC_RECIPIENT, "ops.alloc.recipient"),
              doses, _short(text_field(ids.OPS_ALLOC_BATCH, "ops.alloc.batch"), 60)]
    for field, width in zip(fields, ("decision", "date", "vaccine", "recipient", "doses",
                                     "batch"), strict=True):
        field.className += f" ops-alloc-{width}"
    return html.Section(
        [label("ops.alloc.new", html.H2),
         label("ops.alloc.new.hint", html.P, className="panel-hint"),
         html.Div(fields, className="ops-form-row"),
         html.Div([button(ids.OPS_ALLOC_SUBMIT, "ops.alloc.submit"),
                   html.P(id=ids.field_error(ids.OPS_ALLOC_SUBMIT), className="form-error",
                          role="alert", **{"aria-live": "assertive"}),
                   status(ids.OPS_ALLOC_STATUS)], className="ops-alloc-actions"),
         # The row's id, made per filling of the form: a second press of the button sends
         # the same row again, which changes nothing (the contract's idempotency key).
         dcc.Store(id=ids.OPS_ALLOC_TOKEN, data=f"ALC-{uuid.uuid4().hex}")],
        className="panel ops-form-panel ops-alloc-form")


def _carried() -> html.Section:
    grid = dag.AgGrid(
        id=ids.OPS_ALLOC_GRID, columnDefs=[], rowData=[], selectedRows=[],
        defaultColDef=DEFAULT_COL | {"minWidth": 96},
        getRowId="params.data.allocation_id",
        dashGridOptions=grid_options(DEFAULT_LANG) | {
            "rowSelection": {"mode": "singleRow", "checkboxes": False,
                             "enableClickSelection": True},
            "animateRows": False, "tooltipShowDelay": 400},
        style={"height": "360px"}, className="mcc-grid ops-alloc-grid")
    # In the boxes that rebuild a grid in the user's language (callbacks.shared.grid_lang).
    inner = html.Div(grid, id={"type": ids.GRID_LANG, "grid": ids.OPS_ALLOC_GRID,
                               "lang": DEFAULT_LANG}, className="grid-lang")
    box = html.Div([inner], id={"type": ids.GRID_BOX, "grid": ids.OPS_ALLOC_GRID},
                   className="grid-box")
    return html.Section(
        [label("ops.alloc.carried", html.H2),
         html.Fieldset([label("ops.alloc.filter", html.Legend, className="form-label"),
                        dcc.RadioItems(id=ids.OPS_ALLOC_FILTER, options=[], value="OWED",
                                       inline=True, className="form-radios")],
                       className="form-field form-fieldset"),
         html.P(id=ids.OPS_ALLOC_INFO, className="ops-queue-info", role="status"),
         box,
         label("ops.alloc.grid_hint", html.P, className="panel-hint"),
         html.Div(id=ids.OPS_ALLOC_DELIVERIES, className="ops-alloc-deliveries")],
        className="panel ops-alloc-carried")


def _page(allocates: bool) -> html.Main:
    parts: list[Component] = [_form()] if allocates else []
    return html.Main(
        [html.Div(label("ops.alloc.title", html.H1), className="page-header"),
         html.Div([*parts, _carried()],
                  className="ops-alloc" + ("" if allocates else " ops-alloc-read")),
         dcc.Store(id=ids.OPS_ALLOC_DONE, data=0)],
        className="page page-ops page-ops-allocations",
    )


def _refusal() -> html.Main:
    # No table, so no callback of the page runs for a role that reads no allocations.
    return html.Main(
        [html.Div(label("ops.alloc.title", html.H1), className="page-header"),
         html.Div(label("ops.alloc.page_denied", html.P), id=ids.OPS_DENIED,
                  className="admin-denied", role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The form (for those who allocate) and the allocations carried out (for those who read
    them), the refusal for anyone else."""
    if not viewer_holds(*READERS):
        return _refusal()
    return _page(viewer_holds(*ALLOCATORS))
