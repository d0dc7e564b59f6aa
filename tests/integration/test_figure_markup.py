"""No markup from the data reaches a plotly figure (issue 10, defect 6).

plotly.js renders <a href>, <b>, <i>... in hover templates, trace text, annotations, tick
labels and legend names. Facilities, warehouses, allocation decisions and lots named with
markup are loaded through the real ETL; then every callback that returns a figure (found in
/_dash-dependencies, so a figure added later is covered too) is called with the values that
open its drill-downs, and every string of every answer is searched.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from sqlalchemy import Engine

from app import create_app
from data.services import Services
from data.settings import Settings
from etl.pipeline import load_file
from tests import fuzzcalls
from tests.factories import facility, movement, warehouse, write_csv
from tests.integration.mcc_app import client_for
from tests.integration.test_mcc_campaign import load_campaign
from tests.integration.test_web_security import add_user

# Data values with markup, one per place a partner's file can name something.
LINK = '<a href="https://evil.example/login">Trạm F1</a>'
BOLD = "<b>Trạm F3</b>"
MARKUP = {
    "facility F1 (Hà Nội)": LINK,
    "facility F3 (TP. HCM)": BOLD,
    "decision": "<b>999/QĐ-BYT</b>",
    "batch": '<a href="https://evil.example/batch">Đợt 9</a>',
    "warehouse": "<i>Kho tỉnh</i>",
    "lot": "<b>LOT9</b>",
}
# What a drill-down or a picker sends: provinces and districts of both facilities, a drill
# state, a facility, the other language.
VALUES: tuple[Any, ...] = (*fuzzcalls.PROBES, "01", "001", "F1", "F3", "en",
                           {"province": "01", "denied": False})


def _load_markup(settings: Settings, engine: Engine, tmp: Path) -> None:
    files = {
        "facilities": [facility("F1", name=LINK, daily_capacity=10),
                       facility("F3", name=BOLD, province_code="79", district_code="760",
                                ward_code="", latitude="10.776", longitude="106.700",
                                daily_capacity=50)],
        "warehouses": [warehouse("KT01", name=MARKUP["warehouse"])],
        "allocations": [{"allocation_id": "A9", "decision_no": MARKUP["decision"],
                         "decided_on": "2021-08-19", "vaccine_code": "AZ",
                         "recipient_code": "01", "doses": 10, "batch": MARKUP["batch"]}],
        "stock_movements": [movement("M9", warehouse_code="KT01", lot_number=MARKUP["lot"],
                                     occurred_at="2021-08-19T08:00:00+07:00")],
    }
    for kind, rows in files.items():
        res = load_file(settings, engine, kind, write_csv(tmp / f"markup_{kind}.csv", rows))
        assert res.rejected == 0, (kind, res.reject_path and res.reject_path.read_text())


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    load_campaign(settings, engine, tmp_path)
    _load_markup(settings, engine, tmp_path)
    application = create_app(settings)
    services: Services = application.server.extensions["vx_services"]
    add_user(services, "bo.yte")
    yield application
    services.engine.dispose()


def strings(node: Any) -> Iterator[str]:
    """Every string in a JSON value (keys too)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def _figure_callbacks(deps: list[dict[str, Any]]) -> list[fuzzcalls.Callback]:
    return [cb for cb in fuzzcalls.callbacks(deps) if ".figure" in cb.output]


def test_markup_in_data_reaches_figures_only_as_text(app: dash.Dash) -> None:
    client, token = client_for(app, "bo.yte", "/allocation")
    found = _figure_callbacks(client.get("/_dash-dependencies").get_json())
    assert len(found) >= 8  # progress, allocation, AEFI and facilities charts at the least
    seen: set[str] = set()
    raw = []
    for cb in found:
        bodies = [("plain", fuzzcalls.body(cb)), *fuzzcalls.hostile_bodies(cb, VALUES)]
        for label, body in bodies:
            response = client.post("/_dash-update-component", json=body,
                                   headers={"X-CSRFToken": token})
            # 400: a value of the wrong kind for its slot, refused by the input checks.
            assert response.status_code in (200, 204, 400), (label, response.status_code)
            if response.status_code != 200:
                continue
            for text in strings(response.get_json()):
                seen.add(text)
                raw += [(label, what) for what, value in MARKUP.items() if value in text]
    assert raw == [], raw[:10]
    # The markup did reach figures, as text: the map's facility hover, the decisions chart.
    shown = "\n".join(seen)
    for what in ("facility F1 (Hà Nội)", "facility F3 (TP. HCM)", "decision", "batch"):
        assert html.escape(MARKUP[what], quote=False) in shown, what
