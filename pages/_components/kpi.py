"""KPI card: a label, a big number, and a line of context under it."""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from pages._components.labels import label


def kpi_card(label_key: str, value_id: str, sub: Component | str, accent: str) -> html.Div:
    """One headline number; `value_id` receives the formatted value, `sub` is the context line."""
    return html.Div(
        [
            label(label_key, html.Div, className="kpi-label"),
            html.Div("—", id=value_id, className="kpi-value"),
            html.Div(sub, className="kpi-sub"),
        ],
        className=f"kpi-card kpi-{accent}",
    )
