"""Layout fragments of the warehouse stock page: the receive, transfer, incoming and
adjustment panels (pages.ops.stock lays them out; callbacks.ops.stock_forms and
stock_incoming fill and check them)."""

from __future__ import annotations

from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from pages._components.forms import button, status
from pages._components.labels import label

MOMENT = "dd/mm/yyyy hh:mm"


def error(field_id: str) -> html.P:
    """The error line beside a field."""
    return html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                  **{"aria-live": "assertive"})


def text_input(field_id: str, key: str, width: str = "", placeholder: str = "",
               max_length: int = 40, numeric: bool = False, at: str = "") -> html.Div:
    """A labelled text field (Enter submits its form through n_submit) and its error."""
    # Text, not type=number: a number field puts stepper buttons in the Tab order.
    return html.Div(
        [label(key, html.Label, at=at, htmlFor=field_id, className="form-label"),
         dcc.Input(id=field_id, type="text", autoComplete="off", spellCheck=False, n_submit=0,
                   placeholder=placeholder, maxLength=max_length,
                   inputMode="numeric" if numeric else "text", className="form-input"),
         error(field_id)],
        className=f"form-field {width}".strip())


def select(field_id: str, key: str, width: str = "", clearable: bool = False,
           at: str = "") -> html.Div:
    """A labelled dropdown (options in the UI language, from a callback) and its error."""
    return html.Div(
        [label(key, html.Div, at=at, className="form-label"),
         dcc.Dropdown(id=field_id, options=[], value=None, clearable=clearable,
                      searchable=True, className="form-select"),
         error(field_id)],
        className=f"form-field {width}".strip())


def moment(field_id: str, at: str) -> html.Div:
    """When it happened, on the local clock; empty means now."""
    return text_input(field_id, N_("ops.stock.when"), "ops-field-moment", MOMENT, 16, at=at)


def _submit(button_id: str, key: str, status_id: str) -> list[Component]:
    return [button(button_id, key), error(button_id), status(status_id)]


def receive_panel() -> html.Section:
    """A receipt from a supplier or another warehouse."""
    return html.Section(
        [label("ops.stock.rcv.title", html.H2),
         html.Div([text_input(ids.OPS_STOCK_RCV_LOT, N_("ops.stock.lot"), "ops-field-lot",
                              at="rcv"),
                   select(ids.OPS_STOCK_RCV_VACCINE, N_("ops.stock.vaccine"), "ops-field-vaccine",
                          at="rcv"),
                   text_input(ids.OPS_STOCK_RCV_EXPIRY, N_("ops.stock.expiry"), "ops-field-day",
                              "dd/mm/yyyy", 10, at="rcv")], className="ops-form-row"),
         html.Div([text_input(ids.OPS_STOCK_RCV_DOSES, N_("ops.stock.doses"), "ops-field-doses",
                              max_length=9, numeric=True, at="rcv"),
                   select(ids.OPS_STOCK_RCV_VVM, N_("ops.stock.vvm"), "ops-field-vvm",
                          clearable=True, at="rcv"),
                   moment(ids.OPS_STOCK_RCV_AT, "rcv")], className="ops-form-row"),
         select(ids.OPS_STOCK_RCV_FROM, N_("ops.stock.rcv.from")),
         *_submit(ids.OPS_STOCK_RCV_SUBMIT, N_("ops.stock.rcv.submit"), ids.OPS_STOCK_RCV_STATUS)],
        className="panel ops-stock-form", id="ops-stock-receive")


def transfer_panel() -> html.Section:
    """A transfer to another warehouse, the FEFO lot preselected."""
    return html.Section(
        [label("ops.stock.trf.title", html.H2),
         select(ids.OPS_STOCK_TRF_TO, N_("ops.stock.trf.to")),
         select(ids.OPS_STOCK_TRF_LOT, N_("ops.stock.lot"), at="trf"),
         html.P(id=ids.OPS_STOCK_TRF_HINT, className="panel-hint", role="status"),
         # The decision this transfer carries out, when it delivers an allocation line.
         select(ids.OPS_STOCK_TRF_ALLOC, N_("ops.stock.trf.allocation"), clearable=True),
         html.Div([text_input(ids.OPS_STOCK_TRF_DOSES, N_("ops.stock.doses"), "ops-field-doses",
                              max_length=9, numeric=True, at="trf"),
                   moment(ids.OPS_STOCK_TRF_AT, "trf")], className="ops-form-row"),
         *_submit(ids.OPS_STOCK_TRF_SUBMIT, N_("ops.stock.trf.submit"), ids.OPS_STOCK_TRF_STATUS)],
        className="panel ops-stock-form", id="ops-stock-transfer")


def incoming_panel() -> html.Section:
    """Transfers coming to the warehouse: the doses that actually arrived, confirmed."""
    return html.Section(
        [label("ops.stock.in.title", html.H2),
         label("ops.stock.in.hint", html.P, className="panel-hint"),
         moment(ids.OPS_STOCK_CONFIRM_AT, "in"),
         html.Div(id=ids.OPS_STOCK_INCOMING, role="region", **{"aria-live": "polite"}),
         status(ids.OPS_STOCK_CONFIRM_STATUS)],
        className="panel ops-stock-form", id="ops-stock-incoming-panel")


def adjust_panel() -> html.Section:
    """An adjustment with a typed reason."""
    return html.Section(
        [label("ops.stock.adj.title", html.H2),
         select(ids.OPS_STOCK_ADJ_LOT, N_("ops.stock.lot"), at="adj"),
         html.Div([text_input(ids.OPS_STOCK_ADJ_DOSES, N_("ops.stock.adj.doses"),
                              "ops-field-doses", "-10", 10),
                   select(ids.OPS_STOCK_ADJ_REASON, N_("ops.stock.adj.reason"),
                          "ops-field-reason"),
                   moment(ids.OPS_STOCK_ADJ_AT, "adj")], className="ops-form-row"),
         *_submit(ids.OPS_STOCK_ADJ_SUBMIT, N_("ops.stock.adj.submit"), ids.OPS_STOCK_ADJ_STATUS)],
        className="panel ops-stock-form", id="ops-stock-adjust")


def refusal(title_key: str) -> html.Main:
    """The page's title and the refusal, for a role that keeps no warehouse."""
    return html.Main(
        [html.Div(label(title_key, html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied")


def warehouse_picker(chosen: object) -> html.Div:
    """The warehouse the page shows (the user's first when the query names none)."""
    picker = select(ids.OPS_STOCK_WAREHOUSE, N_("ops.stock.warehouse"), "ops-stock-warehouse")
    picker.children[1].value = chosen if isinstance(chosen, str) and len(chosen) <= 40 else None
    return picker
