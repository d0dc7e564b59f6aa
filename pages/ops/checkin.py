"""Check-in (Đón tiếp): one search field a USB scanner types into and submits with Enter;
the people found, their earlier doses and the dose due next.

Roles that serve nobody in person (ministry leader, administrator) get the refusal alone; the
search itself is scoped in the data layer (data.ops.commands.checkin.find_person).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.viewer import viewer_operates
from pages._components.forms import button, radio_field, select_field, status, text_field
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/checkin", name="Đón tiếp",
    title="Đón tiếp · Check-in", order=50,
)


def _search() -> html.Div:
    # autoFocus: the desk scans without touching the mouse; Enter (n_submit) searches.
    return html.Div(
        [
            label("ops.checkin.search", html.Label, htmlFor=ids.OPS_CHECKIN_SEARCH,
                  className="form-label"),
            dcc.Input(id=ids.OPS_CHECKIN_SEARCH, type="search", autoFocus=True,
                      autoComplete="off", spellCheck=False, debounce=False, n_submit=0,
                      className="form-input ops-search-input"),
            label("ops.checkin.hint", html.P, className="panel-hint"),
            html.P(id=ids.field_error(ids.OPS_CHECKIN_SEARCH), className="form-error",
                   role="alert", **{"aria-live": "assertive"}),
        ],
        className="form-field ops-search",
    )


def _session() -> html.Div:
    # Today's open sessions the user works (one for a facility's desk, preselected); an
    # officer helping at a site picks it here, and the search looks at that facility.
    return html.Div(
        [label("ops.checkin.session", html.Label, htmlFor=ids.OPS_CHECKIN_SESSION,
               className="form-label"),
         dcc.Dropdown(id=ids.OPS_CHECKIN_SESSION, options=[], value=None, clearable=False,
                      searchable=True, className="form-select ops-session-select"),
         html.P(id=ids.field_error(ids.OPS_CHECKIN_SESSION), className="form-error",
                role="alert")],
        className="form-field ops-session")


def _walk_in() -> html.Section:
    """The short form of a person the registry does not know (hidden until needed)."""
    return html.Section(
        [
            label("ops.walkin.title", html.H2),
            label("ops.walkin.hint", html.P, className="panel-hint"),
            html.Div(
                [radio_field(ids.OPS_WALKIN_ID_TYPE, "ops.walkin.id_type"),
                 text_field(ids.OPS_WALKIN_PERSON_ID, "ops.walkin.person_id"),
                 text_field(ids.OPS_WALKIN_NAME, "ops.walkin.name"),
                 text_field(ids.OPS_WALKIN_BIRTH, "ops.walkin.birth"),
                 radio_field(ids.OPS_WALKIN_SEX, "ops.walkin.sex"),
                 text_field(ids.OPS_WALKIN_PHONE, "ops.walkin.phone", kind="tel"),
                 select_field(ids.OPS_WALKIN_PROVINCE, "ops.walkin.province"),
                 select_field(ids.OPS_WALKIN_DISTRICT, "ops.walkin.district"),
                 select_field(ids.OPS_WALKIN_GROUP, "ops.walkin.group")],
                className="ops-walkin-fields"),
            button(ids.OPS_WALKIN_SUBMIT, "ops.walkin.submit"),
        ],
        id=ids.OPS_WALKIN_PANEL, className="panel ops-walkin", hidden=True)


def _page() -> html.Main:
    return html.Main(
        [
            html.Div(label("ops.checkin.title", html.H1), className="page-header"),
            html.Section([_session(), _search(),
                          button(ids.OPS_WALKIN_OPEN, "ops.walkin.open", kind="secondary")],
                         className="panel ops-desk"),
            status(ids.OPS_CHECKIN_STATUS),
            dcc.Loading(html.Div(id=ids.OPS_CHECKIN_RESULTS, className="ops-results",
                                 role="region", **{"aria-live": "polite"}), type="dot"),
            _walk_in(),
        ],
        className="page page-ops",
    )


def _refusal() -> html.Main:
    # No search field, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.checkin.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**_query: Any) -> Component:
    """The search and its results for operations roles, the refusal for anyone else."""
    return _page() if viewer_operates() else _refusal()
