"""A lot's trace (Truy vết lô), `/ops/lot?vaccine=AZ&lot=AZ2108A`: from an AEFI case's lot to
every warehouse that held it, the sessions and facilities that gave it and the other cases on
it, as one page an investigator reads top to bottom (Operations II, AEFI section).

The vaccine and lot come from the query string (the AEFI case detail links here) or are typed;
callbacks.ops.lot draws the trace, cut to the reader's scope by the data layer.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.viewer import viewer_operates
from pages._components.forms import button, text_field
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/lot", name="Truy vết lô vắc xin",
    title="Truy vết lô vắc xin · Lot trace", order=56,
)
MAX_VACCINE, MAX_LOT = 8, 40  # the contract's widths; the data layer checks them again


def _text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _page(vaccine: str, lot: str) -> html.Main:
    code = text_field(ids.OPS_LOT_VACCINE, "ops.lot.vaccine")
    code.children[1].value, code.children[1].maxLength = vaccine, MAX_VACCINE
    code.className += " ops-field-code"
    number = text_field(ids.OPS_LOT_NUMBER, "ops.lot.number")
    number.children[1].value, number.children[1].maxLength = lot, MAX_LOT
    # The cursor starts on the lot number when none came with the link, Enter traces it.
    number.children[1].autoFocus = not lot
    number.className += " ops-field-lot"
    return html.Main(
        [html.Div(label("ops.lot.title", html.H1), className="page-header"),
         html.Section(
             [label("ops.lot.hint", html.P, className="panel-hint"),
              html.Div([code, number, html.Div(button(ids.OPS_LOT_SUBMIT, "ops.lot.submit"),
                                               className="form-actions ops-lot-go")],
                       className="ops-form-row")],
             className="panel ops-lot-form"),
         html.Div(id=ids.OPS_LOT_BODY, className="ops-lot-body", **{"aria-live": "polite"})],
        className="page page-ops page-ops-lot",
    )


def _refusal() -> html.Main:
    # No form, so no callback of the page runs for a role that does not operate.
    return html.Main(
        [html.Div(label("ops.lot.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(vaccine: object = None, lot: object = None, **_query: Any) -> Component:
    """The trace of `?vaccine=&lot=` for operations roles, the refusal for anyone else."""
    if not viewer_operates():
        return _refusal()
    return _page(_text(vaccine, MAX_VACCINE), _text(lot, MAX_LOT))
