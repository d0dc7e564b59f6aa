"""The reconciliation page and the reports page's panel through the real Dash endpoint,
signed in, on each backend: the district officer's list holds the seeded facility-day and
warehouse and nothing else, with the records behind them, in Vietnamese and English; another
facility's staff see none of them; a reversed period is told beside the end field; the
command center's panel shows the same counts as its rate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from callbacks.shared import ids
from data.auth.roles import Role
from data.settings import Settings
from tests.integration.close_setup import DAY, WAREHOUSE
from tests.integration.ops_setup import AZ_LOT, PASSWORD, principal
from tests.integration.reconcile_setup import NEXT, seed_discrepancies
from tests.webcalls import log_in, outputs_of, page_call, payload_in, post, text_of

OUTPUTS = [(ids.OPS_RECON_START, "value"), (ids.OPS_RECON_END, "value"),
           (ids.field_error(ids.OPS_RECON_START), "children"),
           (ids.field_error(ids.OPS_RECON_END), "children"), (ids.OPS_RECON_RULE, "children"),
           (ids.OPS_RECON_SUMMARY, "children"), (ids.OPS_RECON_DAYS, "children"),
           (ids.OPS_RECON_STORES, "children")]
PANEL = [(ids.REPORT_RECON_PERIOD, "children"), (ids.REPORT_RECON_KPIS, "children"),
         (ids.REPORT_RECON_GRID, "columnDefs"), (ids.REPORT_RECON_GRID, "rowData"),
         (ids.REPORT_RECON_GRID, "dashGridOptions")]


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path) -> Iterator[dash.Dash]:
    seed_discrepancies(settings, engine, tmp_path)
    principal(engine, "huyen.badinh", Role.DISTRICT_OFFICER, "001")
    principal(engine, "tram.trucbach", Role.FACILITY_STAFF, "F00102")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _signed_in(app: dash.Dash, username: str) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    return client, log_in(client, username, PASSWORD)


def _reconcile(app: dash.Dash, who: tuple[FlaskClient, str], start: str, end: str,
               lang: str) -> dict[str, Any]:
    body = payload_in(app, OUTPUTS, [(ids.OPS_RECON_SUBMIT, "n_clicks", 1),
                                     (ids.OPS_RECON_START, "n_submit", 0),
                                     (ids.OPS_RECON_END, "n_submit", 0),
                                     (ids.SHELL_LANG, "data", lang)],
                      [(ids.OPS_RECON_START, "value", start), (ids.OPS_RECON_END, "value", end)],
                      [f"{ids.OPS_RECON_SUBMIT}.n_clicks"])
    return {k: v["children"] if "children" in v else v["value"]
            for k, v in outputs_of(post(who[0], body, who[1])).items()}


def _rows(node: Any) -> list[str]:
    """data-key of every listed row (facility@day or warehouse)."""
    found: list[str] = []
    if isinstance(node, dict):
        props = node.get("props", {})
        if "data-key" in props:
            found.append(props["data-key"])
        for value in props.values():
            found += _rows(value)
    elif isinstance(node, list):
        for item in node:
            found += _rows(item)
    return found


def _words(node: Any) -> str:
    return " ".join(text_of(node).split())


def test_the_officer_finds_the_seeded_discrepancies_and_only_them(app: dash.Dash) -> None:
    district = _signed_in(app, "huyen.badinh")
    out = _reconcile(app, district, f"{DAY:%d/%m/%Y}", f"{NEXT:%d/%m/%Y}", "vi")
    assert _rows(out[ids.OPS_RECON_DAYS]) == [f"F00101@{NEXT.isoformat()}"]
    assert _rows(out[ids.OPS_RECON_STORES]) == [WAREHOUSE]
    assert out[ids.OPS_RECON_SUMMARY] == (
        "Từ 15/10/2021 đến 16/10/2021: đã đối soát 3 ngày-cơ sở, 1 sai lệch; "
        "2 kho đã kiểm kê, 1 sai lệch.")
    days = _words(out[ids.OPS_RECON_DAYS])
    # Registry 17, ledger 5, tallies 5: 12 apart both ways; the lot and its records.
    assert "16/10/2021 F00101" in days and "17 5 5 −12 −12 5 / 5" in days
    assert f"AZ · {AZ_LOT} 17 5 5 Buổi tiêm" in days and "Phiếu kho S" in days
    stores = _words(out[ids.OPS_RECON_STORES])
    assert "1 70 58 −12" in stores and "Phiếu kiểm kê" in stores
    assert out[ids.OPS_RECON_RULE].startswith("Chênh lệch được coi là sai lệch khi vượt quá 2")
    en = _reconcile(app, district, f"{DAY:%d/%m/%Y}", f"{NEXT:%d/%m/%Y}", "en")
    assert en[ids.OPS_RECON_SUMMARY].startswith("15 Oct 2021 to 16 Oct 2021: 3 facility-days")
    assert "Records behind it (lots: 1)" in _words(en[ids.OPS_RECON_DAYS])


def test_the_list_keeps_to_the_users_area_and_tells_a_bad_period_beside_its_field(
        app: dash.Dash) -> None:
    station = _signed_in(app, "tram.trucbach")
    out = _reconcile(app, station, f"{DAY:%d/%m/%Y}", f"{NEXT:%d/%m/%Y}", "en")
    assert _rows(out[ids.OPS_RECON_DAYS]) == [] and _rows(out[ids.OPS_RECON_STORES]) == []
    assert "1 facility-days reconciled, 0 with" in out[ids.OPS_RECON_SUMMARY]
    bad = _reconcile(app, station, f"{NEXT:%d/%m/%Y}", f"{DAY:%d/%m/%Y}", "vi")
    assert bad[ids.field_error(ids.OPS_RECON_END)] == "Ngày kết thúc nằm trước ngày bắt đầu."
    assert bad[ids.OPS_RECON_DAYS] is None
    typo = _reconcile(app, station, "31/02/2021", "", "en")
    assert typo[ids.field_error(ids.OPS_RECON_START)] == "Enter the day as dd/mm/yyyy."
    leader = _signed_in(app, "bo.yte")
    page = outputs_of(post(leader[0], page_call("/ops/reconciliation"), leader[1]))
    assert ids.OPS_RECON_DAYS not in str(page) and ids.OPS_DENIED in str(page)


def test_the_reports_panel_shows_the_national_rate(app: dash.Dash) -> None:
    leader = _signed_in(app, "bo.yte")
    body = payload_in(app, PANEL, [(ids.SHELL_VERSION, "data", "1"), (ids.SHELL_LANG, "data", "en"),
                                   (ids.REPORT_AS_OF, "date", NEXT.isoformat()),
                                   (ids.REPORT_PROVINCE, "value", "")])
    out = outputs_of(post(leader[0], body, leader[1]))
    # The 7 days to NEXT: four facility-days, one flagged; two counted stores, one flagged.
    kpis = _words(out[ids.REPORT_RECON_KPIS]["children"])
    assert "25.0%" in kpis and "1 of 4 facility-days" in kpis and "1 of 2 warehouses" in kpis
    [hanoi] = out[ids.REPORT_RECON_GRID]["rowData"]
    assert {k: hanoi[k] for k in ("facility_days", "flagged_days", "gap_doses", "warehouses",
                                  "flagged_warehouses")} == {
        "facility_days": 4, "flagged_days": 1, "gap_doses": 12, "warehouses": 2,
        "flagged_warehouses": 1}
