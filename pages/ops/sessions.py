"""Plans and sessions (Kế hoạch và buổi tiêm): a facility's sessions over a range of days, a
form to plan one, and per session the invitation list (by priority group and due date) to
invite from or export to Excel.

Facility staff plan their own facility; district and province officers pick one of their
area. Roles that serve nobody in person get the refusal alone. The lists and the writes are
scoped in the data layer (data.ops.queries, data.ops.commands).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from callbacks.shared.viewer import viewer_operates
from pages._components.forms import button, select_field, status, text_field
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/sessions", name="Buổi tiêm",
    title="Kế hoạch và buổi tiêm · Plans and sessions", order=49,
)


def _error(field_id: str) -> html.P:
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def _typed(field_id: str, label_key: str, placeholder: str, width: str) -> html.Div:
    """A text field for a day (dd/mm/yyyy) or a time (hh:mm). Plain text, not a native
    date or time input: those step through their parts with Tab and read the keys in the
    browser's locale, where a desk types "15/10/2021" and Tab goes to the next field."""
    field = text_field(field_id, label_key)
    field.children[1].placeholder = placeholder
    field.children[1].inputMode = "numeric"
    field.children[1].maxLength = len(placeholder)
    field.className = f"form-field ops-field-{width}"
    return field


def _day(field_id: str, label_key: str) -> html.Div:
    return _typed(field_id, label_key, "dd/mm/yyyy", "day")


def _time(field_id: str, label_key: str) -> html.Div:
    return _typed(field_id, label_key, "hh:mm", "time")


def _multi(field_id: str, label_key: str) -> html.Div:
    """A searchable multi-select (type to filter, Enter picks, Backspace removes)."""
    return html.Div(
        [label(label_key, html.Label, htmlFor=field_id, className="form-label"),
         dcc.Dropdown(id=field_id, options=[], value=[], multi=True, searchable=True,
                      className="form-select"),
         _error(field_id)],
        className="form-field")


def _filters() -> html.Section:
    return html.Section(
        [select_field(ids.OPS_SESSIONS_FACILITY, "ops.sessions.facility"),
         _day(ids.OPS_SESSIONS_FROM, N_("ops.sessions.from")),
         _day(ids.OPS_SESSIONS_TO, N_("ops.sessions.to"))],
        className="panel ops-filters")


def _form() -> html.Section:
    # The day takes the focus: a planner types the day, Tab through the times and capacity,
    # and Enter in any of those fields creates the session.
    day = _day(ids.OPS_SESSION_DAY, N_("ops.sessions.day"))
    day.children[1].autoFocus = True
    # Text, not type=number: Dash's number field puts two stepper buttons in the Tab order.
    capacity = _typed(ids.OPS_SESSION_CAPACITY, N_("ops.sessions.capacity"), "", "number")
    capacity.children[1].maxLength = 5
    return html.Section(
        [label("ops.sessions.new", html.H2),
         html.Div([day, _time(ids.OPS_SESSION_START, N_("ops.sessions.starts")),
                   _time(ids.OPS_SESSION_END, N_("ops.sessions.ends")), capacity],
                  className="ops-form-row"),
         _multi(ids.OPS_SESSION_VACCINES, N_("ops.sessions.vaccines")),
         _multi(ids.OPS_SESSION_LOTS, N_("ops.sessions.lots")),
         _multi(ids.OPS_SESSION_STAFF, N_("ops.sessions.staff")),
         button(ids.OPS_SESSION_CREATE, "ops.sessions.create"),
         status(ids.OPS_SESSION_STATUS)],
        className="panel ops-session-form")


def _invitations() -> html.Section:
    grid = dag.AgGrid(
        id=ids.OPS_INVITE_GRID, columnDefs=[], rowData=[], selectedRows=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        # Rows keyed by identity document: a relabelled list keeps each row's selection.
        getRowId="params.data.id",
        dashGridOptions={"rowSelection": {"mode": "multiRow"}, "animateRows": False},
        style={"height": "420px"}, className="mcc-grid ops-invite-grid")
    return html.Section(
        [html.H2(id=ids.OPS_INVITE_TITLE),  # the chosen session, from the callback
         html.Div([_multi(ids.OPS_INVITE_GROUPS, N_("ops.invite.groups")),
                   _day(ids.OPS_INVITE_DUE_BY, N_("ops.invite.due_by")),
                   html.Div(button(ids.OPS_INVITE_GENERATE, "ops.invite.generate"),
                            className="form-field ops-form-button")],
                  className="ops-form-row ops-invite-filters"),
         html.P(id=ids.OPS_INVITE_COUNT, className="panel-hint", role="status"),
         grid,
         html.Div([button(ids.OPS_INVITE_SEND, "ops.invite.send"),
                   button(ids.OPS_INVITE_EXPORT, "ops.invite.export", "secondary")],
                  className="ops-actions"),
         _error(ids.OPS_INVITE_SEND),
         status(ids.OPS_INVITE_STATUS),
         dcc.Download(id=ids.OPS_INVITE_DOWNLOAD)],
        id=ids.OPS_INVITE_PANEL, className="panel ops-invite", hidden=True)


def _page() -> html.Main:
    return html.Main(
        [html.Div(label("ops.sessions.title", html.H1), className="page-header"),
         dcc.Store(id=ids.OPS_SESSIONS_VERSION, data=0),
         dcc.Store(id=ids.OPS_INVITE_SESSION, data=None),
         _filters(),
         html.Div([html.Section([label("ops.sessions.list", html.H2),
                                 html.Div(id=ids.OPS_SESSIONS_LIST, role="region",
                                          **{"aria-live": "polite"})],
                                className="panel ops-session-list"),
                   _form()],
                  className="ops-columns"),
         _invitations()],
        className="page page-ops page-ops-sessions",
    )


def _refusal() -> html.Main:
    return html.Main(
        [html.Div(label("ops.sessions.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The planning page for operations roles, the refusal for anyone else."""
    return _page() if viewer_operates() else _refusal()
