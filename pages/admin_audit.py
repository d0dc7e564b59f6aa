"""Audit log (Nhật ký hệ thống): who changed what, when and from where; administrators only.

An empty shell: callbacks.admin_audit fills it for a system administrator and refuses
everyone else with 403.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from callbacks import ids
from pages._components.forms import button
from pages._components.labels import label

dash.register_page(
    __name__,
    path="/admin/audit",
    name="Nhật ký hệ thống",
    title="Nhật ký hệ thống · Audit log",
    order=91,
)


def _filters() -> html.Div:
    return html.Div(
        [
            html.Div([label("admin.audit.user", html.Div, className="form-label"),
                      dcc.Dropdown(id=ids.ADMIN_AUDIT_USER, options=[], value=None,
                                   className="form-select")], className="form-field"),
            html.Div([label("admin.audit.table", html.Div, className="form-label"),
                      dcc.Dropdown(id=ids.ADMIN_AUDIT_TABLE_FILTER, options=[], value=None,
                                   className="form-select")], className="form-field"),
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


def layout(**_query: Any) -> html.Main:
    """The page: filters, then the newest matching entries."""
    return html.Main(
        [
            html.Div([label("admin.audit.title", html.H1),
                      html.Div(id=ids.ADMIN_AUDIT_COUNT, className="updated-stamp")],
                     className="page-header"),
            html.P(id=ids.ADMIN_DENIED, className="admin-denied", role="alert"),
            html.Section([_filters(),
                          html.Div(id=ids.ADMIN_AUDIT_RESULTS, className="admin-table-box")],
                         className="panel"),
        ],
        className="page page-admin",
    )
