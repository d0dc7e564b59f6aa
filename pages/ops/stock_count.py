"""The count sheet (Kiểm kê) of one warehouse: every lot with its ledger balance and a
"counted" column (and the VVM stage) edited in a grid, with undo, saved in one go; the system
writes the differences (data.ops.commands.counts.count_sheet). Filled and saved by
callbacks.ops.stock_count; problems are shown on their row and beside the grid."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from callbacks.shared.viewer import viewer_operates
from pages._components.forms import button, status
from pages._components.labels import label
from pages.ops.stock_panels import error, moment, refusal, warehouse_picker

dash.register_page(
    __name__, path="/ops/stock/count", name="Kiểm kê kho",
    title="Kiểm kê kho · Stock count", order=62,
)


def _grid() -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.OPS_STOCK_COUNT_GRID, columnDefs=[], rowData=[],
        defaultColDef={"resizable": True, "sortable": False},
        # Rows keyed by lot: a redrawn sheet keeps each row's edits apart.
        getRowId="params.data.key",
        dashGridOptions={"undoRedoCellEditing": True, "undoRedoCellEditingLimit": 100,
                         "singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True,
                         "enterNavigatesVerticallyAfterEdit": True,
                         "enterNavigatesVertically": True, "animateRows": False,
                         "domLayout": "autoHeight"},
        className="mcc-grid ops-stock-count-grid")


def layout(warehouse: object = None, **_query: Any) -> Component:
    """The count sheet for operations roles, the refusal for anyone else."""
    if not viewer_operates():
        return refusal(N_("ops.stock.count.title"))
    return html.Main(
        [html.Div(label("ops.stock.count.title", html.H1), className="page-header"),
         dcc.Store(id=ids.OPS_STOCK_COUNT_DONE, data=0),
         html.Section([warehouse_picker(warehouse), moment(ids.OPS_STOCK_COUNT_AT, "count")],
                      className="panel ops-filters ops-form-row"),
         html.Section(
             [label("ops.stock.count.hint", html.P, className="panel-hint"),
              _grid(),
              html.Ul(id=ids.OPS_STOCK_COUNT_ERRORS, className="form-error ops-stock-errors",
                      role="alert", **{"aria-live": "assertive"}),
              html.Div([button(ids.OPS_STOCK_COUNT_SAVE, N_("ops.stock.count.save")),
                        button(ids.OPS_STOCK_COUNT_UNDO, N_("ops.stock.count.undo"), "secondary"),
                        button(ids.OPS_STOCK_COUNT_REDO, N_("ops.stock.count.redo"), "secondary")],
                       className="ops-actions"),
              error(ids.OPS_STOCK_COUNT_SAVE),
              status(ids.OPS_STOCK_COUNT_STATUS)],
             className="panel")],
        className="page page-ops page-ops-stock-count")
