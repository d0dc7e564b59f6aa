"""AEFI cases (Sự cố sau tiêm): the serious cases of the user's area by status, one case in
detail with the step the user's role signs (the district's investigation, the provincial
council's causality classification), and the staff form that reports an AEFI of a dose
(issue 12, "AEFI case management").

The list, the detail and the forms are drawn and checked by callbacks.ops.aefi; scope and
roles are decided in the data layer. Roles that serve nobody in person get the refusal alone.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from callbacks.shared.viewer import viewer_has, viewer_operates
from pages._components.forms import button, status, text_field
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/aefi", name="Sự cố sau tiêm",
    title="Sự cố sau tiêm · AEFI cases", order=55,
)
MAX_CASE_ID = 64  # a longer value is no report id (callbacks.ops.aefi.MAX_ID)


def _error(field_id: str) -> html.P:
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def _labelled(field_id: str, label_key: str, widget: Component) -> html.Div:
    # A div label for widgets that hold several inputs (a checklist, a dropdown).
    return html.Div([label(label_key, html.Div, className="form-label"), widget,
                     _error(field_id)], className="form-field")


def _cases(status: str, case: str | None) -> html.Section:
    return html.Section(
        [label("ops.aefi.cases", html.H2),
         html.Fieldset([label("ops.aefi.filter", html.Legend, className="form-label"),
                        dcc.RadioItems(id=ids.OPS_AEFI_FILTER, options=[], value=status,
                                       inline=True, className="form-radios")],
                       className="form-field form-fieldset"),
         html.P(id=ids.OPS_AEFI_LIST_INFO, className="ops-queue-info", role="status"),
         dcc.RadioItems(id=ids.OPS_AEFI_LIST, options=[], value=case,
                        className="ops-queue ops-aefi-list"),
         label("ops.aefi.list_hint", html.P, className="panel-hint")],
        className="panel ops-queue-panel")


def _case() -> html.Section:
    return html.Section(
        [html.Div(label("ops.aefi.pick", html.P, className="panel-hint"),
                  id=ids.OPS_AEFI_DETAIL, className="ops-aefi-detail"),
         # The form of the step the user may sign, when there is one (callbacks.ops.aefi).
         html.Div(id=ids.OPS_AEFI_STEP, className="ops-aefi-step"),
         html.P(id=ids.OPS_AEFI_STEP_STATUS, className="form-status", role="status",
                **{"aria-live": "polite"})],
        className="panel ops-form-panel")


def _new_report() -> html.Section:
    onset = text_field(ids.OPS_AEFI_NEW_ONSET, "ops.aefi.new.onset")
    onset.children[1].placeholder = "dd/mm/yyyy hh:mm"
    onset.children[1].maxLength = 16
    record = text_field(ids.OPS_AEFI_NEW_RECORD, "ops.aefi.new.record")
    record.children[1].maxLength = 64
    phone = text_field(ids.OPS_AEFI_NEW_PHONE, "ops.aefi.new.phone", kind="tel")
    phone.children[1].maxLength = 15
    return html.Section(
        [label("ops.aefi.new", html.H2),
         label("ops.aefi.new.hint", html.P, className="panel-hint"),
         html.Div([record, onset], className="ops-form-row"),
         _labelled(ids.OPS_AEFI_NEW_SYMPTOMS, N_("ops.aefi.new.symptoms"), dcc.Dropdown(
             id=ids.OPS_AEFI_NEW_SYMPTOMS, options=[], value=[], multi=True, searchable=True,
             className="form-select")),
         text_field(ids.OPS_AEFI_NEW_TEXT, "ops.aefi.new.text"),
         _labelled(ids.OPS_AEFI_NEW_SERIOUSNESS, N_("ops.aefi.new.seriousness"), dcc.Checklist(
             id=ids.OPS_AEFI_NEW_SERIOUSNESS, options=[], value=[], inline=True)),
         _labelled(ids.OPS_AEFI_NEW_OUTCOME, N_("ops.aefi.new.outcome"), dcc.Dropdown(
             id=ids.OPS_AEFI_NEW_OUTCOME, options=[], value="RECOVERING", clearable=False,
             className="form-select")),
         html.Div([text_field(ids.OPS_AEFI_NEW_REPORTER, "ops.aefi.new.reporter"),
                   text_field(ids.OPS_AEFI_NEW_TITLE, "ops.aefi.new.title"), phone],
                  className="ops-form-row"),
         button(ids.OPS_AEFI_NEW_SUBMIT, "ops.aefi.new.submit"),
         _error(ids.OPS_AEFI_NEW_SUBMIT),
         status(ids.OPS_AEFI_NEW_STATUS)],
        className="panel ops-aefi-new")


def _page(status: str, case: str | None) -> html.Main:
    return html.Main(
        [html.Div(label("ops.aefi.title", html.H1), className="page-header"),
         html.Div([_cases(status, case), _case()], className="ops-screening ops-aefi"),
         _new_report(),
         dcc.Store(id=ids.OPS_AEFI_CASE), dcc.Store(id=ids.OPS_AEFI_DONE, data=0)],
        className="page page-ops page-ops-aefi",
    )


def _refusal() -> html.Main:
    # No list, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.aefi.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def acted_on() -> str:
    """The status the user's role acts on, which the list starts on: a provincial officer
    (the council) classifies INVESTIGATED cases; a district officer investigates REPORTED
    ones, as staff follow the cases they reported."""
    if viewer_has("PROVINCE_OFFICER") and not viewer_has("DISTRICT_OFFICER"):
        return "INVESTIGATED"
    return "REPORTED"


def layout(case: object = None, **_query: Any) -> Component:
    """The cases, the signing form and the staff report for operations roles, the refusal
    for anyone else. `?case=<report id>` (the lot trace's link) opens that case among all
    statuses; the callbacks check its scope."""
    if not viewer_operates():
        return _refusal()
    if isinstance(case, str) and 0 < len(case) <= MAX_CASE_ID:
        return _page("ALL", case)
    return _page(acted_on(), None)

