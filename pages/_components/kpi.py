"""KPI card: a label, a big number, and a line of context under it."""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from callbacks.shared.i18n import DEFAULT_LANG, t
from pages._components.labels import label


def kpi_card(label_key: str, value_id: str, sub: Component | str, accent: str,
             label_id: str | None = None) -> html.Div:
    """One headline number; `value_id` receives the formatted value, `sub` is the context line.
    With `label_id` a callback writes the label (it changes with the data), else the shell
    translates it."""
    title = (html.Div(t(label_key, DEFAULT_LANG), id=label_id, className="kpi-label")
             if label_id else label(label_key, html.Div, className="kpi-label"))
    return html.Div(
        [
            title,
            html.Div("—", id=value_id, className="kpi-value"),
            html.Div(sub, className="kpi-sub"),
        ],
        className=f"kpi-card kpi-{accent}",
    )
