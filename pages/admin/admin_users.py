"""User management (Quản lý tài khoản): accounts, roles and scopes, for administrators only.

Anyone else gets the refusal alone. The forms' callbacks (callbacks.admin.admin_users) still refuse
everyone but a system administrator with 403, whatever a page showed.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from pages._components.admin import admin_page
from pages._components.forms import button, radio_field, select_field, status, text_field
from pages._components.labels import label

dash.register_page(
    __name__,
    path="/admin/users",
    name="Quản lý tài khoản",
    title="Quản lý tài khoản · User management",
    order=90,
)


def _create_form() -> html.Section:
    return html.Section(
        [
            label("admin.create.title", html.H2),
            text_field(ids.ADMIN_CREATE_USERNAME, "admin.create.username"),
            text_field(ids.ADMIN_CREATE_NAME, "admin.create.name"),
            text_field(ids.ADMIN_CREATE_PASSWORD, "admin.create.password", "password",
                       "new-password"),
            radio_field(ids.ADMIN_CREATE_ROLE, "admin.create.role"),
            text_field(ids.ADMIN_CREATE_SCOPE, "admin.create.scope"),
            button(ids.ADMIN_CREATE_SUBMIT, "admin.create.submit"),
            status(ids.ADMIN_CREATE_STATUS),
        ],
        className="panel admin-form",
    )


def _manage_form() -> html.Section:
    return html.Section(
        [
            label("admin.manage.title", html.H2),
            select_field(ids.ADMIN_MANAGE_USER, "admin.manage.user"),
            radio_field(ids.ADMIN_MANAGE_ROLE, "admin.manage.role"),
            text_field(ids.ADMIN_MANAGE_SCOPE, "admin.manage.scope"),
            button(ids.ADMIN_MANAGE_ROLES_SUBMIT, "admin.manage.roles_submit"),
            text_field(ids.ADMIN_MANAGE_PASSWORD, "admin.manage.password", "password",
                       "new-password"),
            button(ids.ADMIN_MANAGE_RESET_SUBMIT, "admin.manage.reset_submit"),
            html.Div(
                [button(ids.ADMIN_MANAGE_DEACTIVATE, "admin.manage.deactivate", "danger"),
                 button(ids.ADMIN_MANAGE_ACTIVATE, "admin.manage.activate", "secondary")],
                className="form-actions",
            ),
            status(ids.ADMIN_MANAGE_STATUS),
        ],
        className="panel admin-form",
    )


def _page() -> html.Main:
    return html.Main(
        [
            html.Div(label("admin.users.title", html.H1), className="page-header"),
            html.Section(
                [label("admin.users.list", html.H2),
                 html.Div(id=ids.ADMIN_USERS_TABLE, className="admin-table-box")],
                className="panel",
            ),
            html.Div([_create_form(), _manage_form()], className="admin-forms"),
            # Bumped by each successful change so the list reloads.
            dcc.Store(id=ids.ADMIN_CREATE_DONE, data=0),
            dcc.Store(id=ids.ADMIN_MANAGE_DONE, data=0),
        ],
        className="page page-admin",
    )


def layout(**_query: Any) -> Component:
    """The page: the account list, then the create and update forms side by side (for
    administrators; the refusal alone for anyone else)."""
    return admin_page("admin.users.title", _page)
