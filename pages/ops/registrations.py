"""Registrations (Đăng ký tiêm): the registry of the user's area by district (and facility),
searched by identity number, phone, name or registration code and paged by the server;
duplicates by identity number merged by an officer, with their history; the selected people
assigned to a session; an organisation's list uploaded through the ETL with its reject
report (issue "Operations II").

Everything is drawn and checked by callbacks.ops.registrations and registrations_upload;
scope and roles are decided in the data layer.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.grid_locale import grid_locale_text
from callbacks.shared.i18n import DEFAULT_LANG, N_, t
from callbacks.shared.viewer import viewer_operates
from pages._components.forms import button, status
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/registrations", name="Đăng ký tiêm",
    title="Đăng ký tiêm · Registrations", order=57,
)

# The browser refuses larger files; the server checks again (registrations_upload).
MAX_UPLOAD_BYTES = 700 * 1024


def _error(field_id: str) -> html.P:
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def _select(field_id: str, key: str, clearable: bool) -> html.Div:
    return html.Div([label(key, html.Div, className="form-label"),
                     dcc.Dropdown(id=field_id, options=[], value=None, clearable=clearable,
                                  searchable=True, className="form-select"),
                     _error(field_id)], className="form-field ops-reg-select")


def _filters() -> html.Div:
    search = html.Div(
        [label("ops.reg.search", html.Label, htmlFor=ids.OPS_REG_SEARCH, className="form-label"),
         dcc.Input(id=ids.OPS_REG_SEARCH, type="search", autoComplete="off", spellCheck=False,
                   debounce=True, n_submit=0, maxLength=64, className="form-input"),
         _error(ids.OPS_REG_SEARCH)], className="form-field ops-reg-search")
    return html.Div(
        [_select(ids.OPS_REG_DISTRICT, N_("ops.reg.district"), False),
         _select(ids.OPS_REG_FACILITY, N_("ops.reg.facility"), True), search,
         html.Div(button(ids.OPS_REG_FIND, "ops.reg.find"),
                  className="form-field ops-form-button")],
        className="ops-form-row ops-reg-filters")


def _registry() -> html.Section:
    grid = dag.AgGrid(
        id=ids.OPS_REG_GRID, columnDefs=[], rowModelType="infinite",
        defaultColDef={"sortable": False, "resizable": True},
        getRowId="params.data.registration_id",
        dashGridOptions={"rowSelection": {"mode": "multiRow"}, "cacheBlockSize": 50,
                         "maxBlocksInCache": 4, "infiniteInitialRowCount": 1,
                         "animateRows": False, "localeText": grid_locale_text(DEFAULT_LANG)},
        style={"height": "440px"}, className="mcc-grid ops-reg-grid")
    # The shell rebuilds the grid with its own texts in the user's language (grid_lang).
    boxed = html.Div(
        [html.Div(grid, id={"type": ids.GRID_LANG, "grid": ids.OPS_REG_GRID,
                            "lang": DEFAULT_LANG}, className="grid-lang")],
        id={"type": ids.GRID_BOX, "grid": ids.OPS_REG_GRID}, className="grid-box")
    return html.Section(
        [label("ops.reg.list", html.H2), _filters(),
         html.P(id=ids.OPS_REG_COUNT, className="panel-hint", role="status"),
         boxed,
         html.Div([_select(ids.OPS_REG_SESSION, N_("ops.reg.session"), True),
                   html.Div(button(ids.OPS_REG_ASSIGN, "ops.reg.assign"),
                            className="form-field ops-form-button")],
                  className="ops-form-row ops-reg-assign"),
         _error(ids.OPS_REG_ASSIGN), status(ids.OPS_REG_ASSIGN_STATUS)],
        className="panel ops-reg-registry")


def _duplicates() -> html.Section:
    return html.Section(
        [label("ops.reg.duplicates", html.H2),
         label("ops.reg.duplicates_hint", html.P, className="panel-hint"),
         html.Div(id=ids.OPS_REG_DUPLICATES, className="ops-reg-groups", role="region",
                  **{"aria-live": "polite"}),
         status(ids.OPS_REG_MERGE_STATUS),
         label("ops.reg.history", html.H3),
         html.Div(id=ids.OPS_REG_HISTORY, className="ops-reg-history")],
        className="panel ops-reg-duplicates")


def _upload() -> html.Section:
    return html.Section(
        [label("ops.reg.upload", html.H2),
         label("ops.reg.upload_hint", html.P, className="panel-hint"),
         dcc.Upload(id=ids.OPS_REG_UPLOAD, max_size=MAX_UPLOAD_BYTES, multiple=False,
                    accept=".csv,.xlsx,.jsonl", className="ops-reg-drop",
                    # Its button is drawn in the UI language by registrations_upload.
                    children=html.Button(t("ops.reg.upload_pick", DEFAULT_LANG), type="button",
                                         className="form-button form-button-secondary")),
         _error(ids.OPS_REG_UPLOAD),
         html.P(id=ids.OPS_REG_UPLOAD_STATUS, className="form-status", role="status",
                **{"aria-live": "polite"}),
         html.Button(label("ops.reg.rejects_download"), id=ids.OPS_REG_REJECTS_DOWNLOAD,
                     n_clicks=0, type="button", hidden=True,
                     className="form-button form-button-secondary"),
         html.Div(id=ids.OPS_REG_REJECTS, className="ops-reg-rejects"),
         dcc.Store(id=ids.OPS_REG_REJECTS_CSV), dcc.Download(id=ids.OPS_REG_REJECTS_FILE)],
        className="panel ops-reg-upload")


def _page() -> html.Main:
    return html.Main(
        [html.Div(label("ops.reg.title", html.H1), className="page-header"),
         dcc.Store(id=ids.OPS_REG_QUERY), dcc.Store(id=ids.OPS_REG_VERSION, data=0),
         dcc.Store(id=ids.OPS_REG_PURGED),
         _registry(),
         html.Div([_duplicates(), _upload()], className="ops-columns ops-reg-columns")],
        className="page page-ops page-ops-registrations",
    )


def _refusal() -> html.Main:
    return html.Main(
        [html.Div(label("ops.reg.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The registry for operations roles, the refusal for anyone else."""
    return _page() if viewer_operates() else _refusal()
