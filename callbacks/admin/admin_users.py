"""User management page: the account list, the create form and the update form.

Every callback goes through data.auth.admin, which refuses anyone but a system administrator
(Forbidden -> 403, nothing returned).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, ctx, html
from flask import has_request_context, request

from callbacks.admin.audit_labels import grant_label
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, norm_lang, t
from callbacks.shared.security import current_principal
from data.auth import admin
from data.auth.passwords import MIN_LENGTH
from data.auth.roles import ROLE_LEVEL, Principal, Role
from data.auth.users import AccountError
from data.db import unit_of_work
from data.services import Services

ROLE_KEYS: dict[str, str] = {r.value: CODE_KEYS["role"][r.value] for r in Role}
# AccountError.field -> the input it is told beside, per form.
CREATE_FIELDS: dict[str | None, str] = {
    "username": ids.ADMIN_CREATE_USERNAME, "password": ids.ADMIN_CREATE_PASSWORD,
    "scope_code": ids.ADMIN_CREATE_SCOPE, "role": ids.ADMIN_CREATE_ROLE,
}
MANAGE_FIELDS: dict[str | None, str] = {
    "user": ids.ADMIN_MANAGE_USER, "password": ids.ADMIN_MANAGE_PASSWORD,
    "scope_code": ids.ADMIN_MANAGE_SCOPE, "role": ids.ADMIN_MANAGE_ROLE,
}
CREATE_ERRORS = (ids.ADMIN_CREATE_USERNAME, ids.ADMIN_CREATE_NAME, ids.ADMIN_CREATE_PASSWORD,
                 ids.ADMIN_CREATE_ROLE, ids.ADMIN_CREATE_SCOPE)
MANAGE_ERRORS = (ids.ADMIN_MANAGE_USER, ids.ADMIN_MANAGE_ROLE, ids.ADMIN_MANAGE_SCOPE,
                 ids.ADMIN_MANAGE_PASSWORD)
MANAGE_ACTIONS: dict[str, str] = {
    ids.ADMIN_MANAGE_ROLES_SUBMIT: "roles", ids.ADMIN_MANAGE_SCOPE: "roles",
    ids.ADMIN_MANAGE_RESET_SUBMIT: "reset", ids.ADMIN_MANAGE_PASSWORD: "reset",
    ids.ADMIN_MANAGE_DEACTIVATE: "deactivate", ids.ADMIN_MANAGE_ACTIVATE: "activate",
}


@dataclass(frozen=True)
class Outcome:
    """What a form submit did: errors by input id, the status line, whether it succeeded."""

    errors: dict[str, str] = field(default_factory=dict)
    status: str = ""
    done: bool = False


def client_source() -> str:
    """The client address of the current request (ProxyFix resolves trusted proxies)."""
    return (request.remote_addr if has_request_context() else None) or "unknown"


def role_options(lang: str | None) -> list[dict[str, str]]:
    """The roles as radio options, labelled in `lang`."""
    return [{"label": t(key, lang), "value": value} for value, key in ROLE_KEYS.items()]


def parse_roles(role: str, scope: str | None) -> list[tuple[Role, str | None]]:
    """One grant per scope code ("79, 80"); national roles take none."""
    chosen = Role(role)
    codes = [c for c in re.split(r"[\s,;]+", scope or "") if c]
    if ROLE_LEVEL[chosen] == "NATIONAL" or not codes:
        return [(chosen, None)]
    return [(chosen, c) for c in dict.fromkeys(codes)]


def _refused(err: AccountError, fields: dict[str | None, str], lang: str) -> Outcome:
    message = t(err.key, lang, n=MIN_LENGTH)
    target = fields.get(err.field)
    return Outcome({target: message}) if target else Outcome(status=message)


def _required(lang: str, **values: Any) -> dict[str, str]:
    return {fid: t("form.required", lang) for fid, v in values.items() if not v}


def create_account(services: Services, principal: Principal, source: str, lang: str | None,
                   username: str | None, name: str | None, password: str | None,
                   role: str | None, scope: str | None) -> Outcome:
    """Create an account from the form; errors come back beside their fields."""
    admin.require_admin(principal)
    lang = norm_lang(lang)
    # Form fields are text; anything else in a forged request counts as not filled in.
    username, name, password, scope = (v if isinstance(v, str) else None
                                       for v in (username, name, password, scope))
    errors = _required(lang, **{ids.ADMIN_CREATE_USERNAME: (username or "").strip(),
                                ids.ADMIN_CREATE_PASSWORD: password,
                                ids.ADMIN_CREATE_ROLE: role in ROLE_KEYS})
    if errors:
        return Outcome(errors)
    try:
        with unit_of_work(services.engine) as conn:
            admin.admin_create_user(conn, principal, admin.actor_for(principal, source),
                                    username or "", name or "", password or "",
                                    parse_roles(role or "", scope))
    except AccountError as err:
        return _refused(err, CREATE_FIELDS, lang)
    done = t("admin.create.done", lang, username=(username or "").strip().lower())
    return Outcome(status=done, done=True)


def manage_account(services: Services, principal: Principal, source: str, lang: str | None,
                   action: str, user_id: int | None, role: str | None, scope: str | None,
                   password: str | None) -> Outcome:
    """Change roles, reset the password, deactivate or reactivate the chosen account."""
    admin.require_admin(principal)
    lang = norm_lang(lang)
    scope, password = (v if isinstance(v, str) else None for v in (scope, password))
    picked = isinstance(user_id, int) and not isinstance(user_id, bool)
    needed: dict[str, Any] = {ids.ADMIN_MANAGE_USER: picked}
    if action == "roles":
        needed[ids.ADMIN_MANAGE_ROLE] = role in ROLE_KEYS
    elif action == "reset":
        needed[ids.ADMIN_MANAGE_PASSWORD] = password
    errors = _required(lang, **needed)
    if not picked:
        errors[ids.ADMIN_MANAGE_USER] = t("admin.manage.pick_user", lang)
    if errors:
        return Outcome(errors)
    uid = int(user_id or 0)
    actor = admin.actor_for(principal, source)
    try:
        with unit_of_work(services.engine) as conn:
            name = admin.admin_username(conn, principal, uid)
            if action == "roles":
                admin.admin_set_roles(conn, principal, actor, uid, parse_roles(role or "", scope))
            elif action == "reset":
                admin.admin_reset_password(conn, principal, actor, uid, password or "")
            else:
                admin.admin_set_active(conn, principal, actor, uid, action == "activate")
    except AccountError as err:
        return _refused(err, MANAGE_FIELDS, lang)
    key = {"roles": N_("admin.manage.roles_done"), "reset": N_("admin.manage.reset_done"),
           "deactivate": N_("admin.manage.deactivated"),
           "activate": N_("admin.manage.activated")}[action]
    return Outcome(status=t(key, lang, username=name), done=True)


def _grants_text(grants: str, lang: str, places: Mapping[str, str] | None = None) -> str:
    return "; ".join(grant_label(g, lang, places) for g in filter(None, grants.split(", ")))


def users_table(df: pd.DataFrame, lang: str | None,
                places: Mapping[str, str] | None = None) -> html.Table:
    """The accounts as an accessible table (header cells scoped to columns); scope codes
    named from `places`."""
    lang = norm_lang(lang)
    heads = (N_("admin.col.username"), N_("admin.col.name"), N_("admin.col.active"),
             N_("admin.col.roles"), N_("admin.col.locked"))
    rows = [
        html.Tr([
            html.Td(r.username, className="mono"), html.Td(r.display_name),
            html.Td(t("admin.yes", lang) if r.is_active else t("admin.no", lang)),
            html.Td(_grants_text(r.roles, lang, places)),
            html.Td(t("admin.locked", lang) if r.locked else "—"),
        ], className="" if r.is_active else "row-inactive")
        for r in df.itertuples()
    ]
    return html.Table(
        [html.Thead(html.Tr([html.Th(t(h, lang), scope="col") for h in heads])),
         html.Tbody(rows)],
        className="admin-table",
    )


def user_options(df: pd.DataFrame, lang: str | None) -> list[dict[str, Any]]:
    """The accounts as dropdown options: 'username — name' (marked when deactivated)."""
    inactive = t("admin.manage.inactive", lang)
    return [{"label": f"{r.username} — {r.display_name}"
                      + ("" if r.is_active else f" ({inactive})"),
             "value": int(r.id)} for r in df.itertuples()]


def load_users(services: Services, principal: Principal, lang: str | None
               ) -> tuple[html.Table, list[dict[str, Any]]]:
    """The table and the dropdown options of the accounts (administrators only)."""
    with services.engine.connect() as conn:
        df = admin.admin_list_users(conn, principal)
        places = admin.scope_names(conn, principal)
    return users_table(df, lang, places), user_options(df, lang)


def _errors_out(outcome: Outcome, order: tuple[str, ...]) -> list[str]:
    return [outcome.errors.get(fid, "") for fid in order]


def register(app: dash.Dash, services: Services) -> None:
    """Attach the user management callbacks to `app`."""

    @app.callback(
        Output(ids.ADMIN_USERS_TABLE, "children"),
        Output(ids.ADMIN_MANAGE_USER, "options"),
        Input(ids.SHELL_LANG, "data"),
        Input(ids.ADMIN_CREATE_DONE, "data"),
        Input(ids.ADMIN_MANAGE_DONE, "data"),
    )
    def _list(lang: str | None, _c: int | None, _m: int | None) -> tuple[Any, ...]:
        return load_users(services, current_principal(), lang)

    @app.callback(
        Output(ids.ADMIN_CREATE_ROLE, "options"),
        Output(ids.ADMIN_MANAGE_ROLE, "options"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _roles(lang: str | None) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        return role_options(lang), role_options(lang)

    @app.callback(
        *(Output(ids.field_error(f), "children") for f in CREATE_ERRORS),
        Output(ids.ADMIN_CREATE_STATUS, "children"),
        Output(ids.ADMIN_CREATE_DONE, "data"),
        Output(ids.ADMIN_CREATE_PASSWORD, "value"),
        Input(ids.ADMIN_CREATE_SUBMIT, "n_clicks"),
        *(Input(f, "n_submit") for f in (ids.ADMIN_CREATE_USERNAME, ids.ADMIN_CREATE_NAME,
                                         ids.ADMIN_CREATE_PASSWORD, ids.ADMIN_CREATE_SCOPE)),
        *(State(f, "value") for f in CREATE_ERRORS),
        State(ids.SHELL_LANG, "data"),
        State(ids.ADMIN_CREATE_DONE, "data"),
        prevent_initial_call=True,
    )
    def _create(*args: Any) -> tuple[Any, ...]:
        username, name, password, role, scope, lang, done = args[5:]
        out = create_account(services, current_principal(), client_source(), lang,
                             username, name, password, role, scope)
        return (*_errors_out(out, CREATE_ERRORS), out.status,
                (done or 0) + 1 if out.done else dash.no_update,
                "" if out.done else dash.no_update)

    @app.callback(
        *(Output(ids.field_error(f), "children") for f in MANAGE_ERRORS),
        Output(ids.ADMIN_MANAGE_STATUS, "children"),
        Output(ids.ADMIN_MANAGE_DONE, "data"),
        Output(ids.ADMIN_MANAGE_PASSWORD, "value"),
        Input(ids.ADMIN_MANAGE_ROLES_SUBMIT, "n_clicks"),
        Input(ids.ADMIN_MANAGE_SCOPE, "n_submit"),
        Input(ids.ADMIN_MANAGE_RESET_SUBMIT, "n_clicks"),
        Input(ids.ADMIN_MANAGE_PASSWORD, "n_submit"),
        Input(ids.ADMIN_MANAGE_DEACTIVATE, "n_clicks"),
        Input(ids.ADMIN_MANAGE_ACTIVATE, "n_clicks"),
        *(State(f, "value") for f in MANAGE_ERRORS),
        State(ids.SHELL_LANG, "data"),
        State(ids.ADMIN_MANAGE_DONE, "data"),
        prevent_initial_call=True,
    )
    def _manage(*args: Any) -> tuple[Any, ...]:
        user_id, role, scope, password, lang, done = args[6:]
        action = MANAGE_ACTIONS.get(str(ctx.triggered_id), "")
        if not action:
            raise dash.exceptions.PreventUpdate
        out = manage_account(services, current_principal(), client_source(), lang, action,
                             user_id, role, scope, password)
        return (*_errors_out(out, MANAGE_ERRORS), out.status,
                (done or 0) + 1 if out.done else dash.no_update,
                "" if out.done and action == "reset" else dash.no_update)
