"""The date-and-province filter bar of the facilities and report pages (no vaccine filter)."""

from __future__ import annotations

from dash import dcc, html
from dash.development.base_component import Component

from callbacks.urlstate import Filters, to_search
from pages._components.labels import label


def area_bar(page: str, url_id: str, as_of_id: str, province_id: str, f: Filters,
             extra: list[Component] | None = None) -> html.Div:
    """Date and province filters, optional extra controls, and the page's URL writer."""
    # The URL's province is an option from the start: the dropdown keeps it until the
    # callback brings the labelled list.
    initial = [{"label": "—", "value": ""}] + (
        [{"label": f.province, "value": f.province}] if f.province else [])
    return html.Div(
        [
            dcc.Location(id=url_id, refresh=False, search=to_search(f)),
            html.Label([label("filter.as_of", className="filter-label"),
                        dcc.DatePickerSingle(id=as_of_id, date=f.as_of, clearable=True,
                                             display_format="DD/MM/YYYY",
                                             first_day_of_week=1, placeholder="—")],
                       className="filter"),
            html.Label([label("filter.province", className="filter-label"),
                        dcc.Dropdown(id=province_id, value=f.province or "", clearable=False,
                                     options=initial, className="filter-select")],
                       className="filter"),
            *(extra or []),
        ],
        className=f"filter-bar filter-bar-{page}",
    )
