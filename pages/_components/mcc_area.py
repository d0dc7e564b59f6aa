"""The date-and-province filter bar of the facilities and report pages (no vaccine filter)."""

from __future__ import annotations

from dash import dcc, html
from dash.development.base_component import Component

from callbacks.shared.urlstate import Filters, to_search
from pages._components.mcc import as_of_filter, province_filter


def area_bar(page: str, url_id: str, as_of_id: str, province_id: str, f: Filters,
             extra: list[Component] | None = None) -> html.Div:
    """Date and province filters, optional extra controls, and the page's URL writer."""
    return html.Div(
        [
            dcc.Location(id=url_id, refresh=False, search=to_search(f)),
            as_of_filter(as_of_id, f),
            province_filter(province_id, f),
            *(extra or []),
        ],
        className=f"filter-bar filter-bar-{page}",
    )
