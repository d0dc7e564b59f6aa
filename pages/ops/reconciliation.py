"""Reconciliation (Đối soát): for a period, the facility-days whose registry, stock ledger and
session tallies disagree beyond the tolerance, and the warehouses whose last count disagreed
with the ledger, each with the lots and record ids behind it (Operations II).

Drawn by callbacks.ops.reconciliation; the area is the signed-in user's, decided in the data
layer. Roles that serve nobody in person get the refusal alone.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import N_
from callbacks.shared.viewer import viewer_operates
from pages._components.forms import button, text_field
from pages._components.labels import label

dash.register_page(
    __name__, path="/ops/reconciliation", name="Đối soát",
    title="Đối soát · Reconciliation", order=60,
)


def _date_field(field_id: str, label_key: str, value: object) -> html.Div:
    field = text_field(field_id, label_key)
    field.children[1].placeholder = "dd/mm/yyyy"
    field.children[1].maxLength = 10
    # ?start=&end= fill the fields as typed (the callback checks them like any typing).
    field.children[1].value = value[:10] if isinstance(value, str) else ""
    return field


def _page(query: dict[str, Any]) -> html.Main:
    return html.Main(
        [html.Div(label("ops.recon.title", html.H1), className="page-header"),
         html.Section(
             [label("ops.recon.hint", html.P, className="panel-hint"),
              html.Div([_date_field(ids.OPS_RECON_START, N_("ops.recon.start"),
                                    query.get("start")),
                        _date_field(ids.OPS_RECON_END, N_("ops.recon.end"), query.get("end")),
                        html.Div(button(ids.OPS_RECON_SUBMIT, "ops.recon.submit"),
                                 className="form-field ops-recon-go")],
                       className="ops-form-row"),
              html.P(id=ids.OPS_RECON_RULE, className="panel-hint"),
              html.P(id=ids.OPS_RECON_SUMMARY, className="form-status", role="status",
                     **{"aria-live": "polite"})],
             className="panel ops-recon-form"),
         html.Section([label("ops.recon.days", html.H2), html.Div(id=ids.OPS_RECON_DAYS)],
                      className="panel ops-recon-list"),
         html.Section([label("ops.recon.stores", html.H2), html.Div(id=ids.OPS_RECON_STORES)],
                      className="panel ops-recon-list")],
        className="page page-ops page-ops-recon",
    )


def _refusal() -> html.Main:
    return html.Main(
        [html.Div(label("ops.recon.title", html.H1), className="page-header"),
         html.Div(label("ops.denied", html.P), id=ids.OPS_DENIED, className="admin-denied",
                  role="alert")],
        className="page page-ops page-ops-denied",
    )


def layout(**query: Any) -> Component:
    """The period form (?start=dd/mm/yyyy&end=dd/mm/yyyy) and both lists for operations
    roles, the refusal for anyone else."""
    return _page(query) if viewer_operates() else _refusal()
