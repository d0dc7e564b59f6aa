"""Audit log (Nhật ký hệ thống): who changed what, when and from where; administrators only.

Anyone else gets the refusal alone; callbacks.admin.admin_audit still refuses everyone but a
system administrator with 403.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from pages._components.admin import admin_page
from pages._components.forms import button
from pages._components.labels import label
from pages._components.mcc import DEFAULT_COL

dash.register_page(
    __name__,
    path="/admin/audit",
    name="Nhật ký hệ thống",
    title="Nhật ký hệ thống · Audit log",
    order=91,
)


def _choice(key: str, dropdown_id: str) -> html.Div:
    return html.Div([label(key, html.Div, className="form-label"),
                     dcc.Dropdown(id=dropdown_id, options=[], value=None,
                                  className="form-select")], className="form-field")


def _filters() -> html.Div:
    return html.Div(
        [
            _choice(N_("admin.audit.user"), ids.ADMIN_AUDIT_USER),
            _choice(N_("admin.audit.action"), ids.ADMIN_AUDIT_ACTION_FILTER),
            _choice(N_("admin.audit.table"), ids.ADMIN_AUDIT_TABLE_FILTER),
            html.Div([label("admin.audit.dates", html.Div, className="form-label"),
                      dcc.DatePickerRange(id=ids.ADMIN_AUDIT_DATES, clearable=True,
                                          start_date_placeholder_text="Từ ngày",
                                          end_date_placeholder_text="Đến ngày",
                                          display_format="DD/MM/YYYY", first_day_of_week=1,
                                          start_date_id=f"{ids.ADMIN_AUDIT_DATES}-start",
                                          end_date_id=f"{ids.ADMIN_AUDIT_DATES}-end")],
                     className="form-field"),
            button(ids.ADMIN_AUDIT_REFRESH, "admin.audit.refresh", "secondary"),
        ],
        className="admin-filters",
    )


def _page() -> html.Main:
    # domLayout autoHeight (from the callback): the grid is one page of rows tall.
    grid = dag.AgGrid(id=ids.ADMIN_AUDIT_RESULTS, columnDefs=[], rowData=[],
                      defaultColDef=DEFAULT_COL, dashGridOptions={"animateRows": False},
                      style={"height": None}, className="mcc-grid audit-grid")
    return html.Main(
        [
            html.Div([label("admin.audit.title", html.H1),
                      html.Div(id=ids.ADMIN_AUDIT_COUNT, className="updated-stamp")],
                     className="page-header"),
            html.Section([_filters(), grid], className="panel"),
        ],
        className="page page-admin",
    )


def layout(**_query: Any) -> Component:
    """The page: filters, then the newest matching entries, a page at a time (for
    administrators; the refusal alone for anyone else)."""
    return admin_page("admin.audit.title", _page)
