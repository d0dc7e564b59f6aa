"""The stock pages' callbacks called directly with real principals, on each backend: the
warehouse picker and every read and write refused outside the user's grant (nothing written);
the lots list with on hand, in transit, expiry, VVM and its alerts; the transfer form's
first-expiry-first-out lot; a transfer confirmed short at the receiving warehouse with its
discrepancy shown; adjustments with issue 12's reasons; the count sheet saved in one go, its
refusals on their rows; and the stock card's events with running balances and authors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pytest
from dash import html
from sqlalchemy import Engine

from callbacks.ops import stock as page
from callbacks.ops import stock_card, stock_count, stock_forms, stock_incoming
from callbacks.shared import ids
from data.auth.roles import Principal, Role
from data.services import Services, build_services
from data.settings import Settings
from tests.integration.ops_setup import PASSWORD, principal
from tests.integration.stock_ledger_setup import (
    DISTRICT,
    PROVINCE,
    SAIGON,
    STATION,
    accounts,
    ledger_state,
    seed_warehouses,
)
from tests.webcalls import ids_in, log_in, outputs_of, page_call, post, text_of

TZ = "Asia/Ho_Chi_Minh"


@pytest.fixture
def services(settings: Settings, engine: Engine) -> Iterator[Services]:
    built = build_services(settings)
    yield built
    built.engine.dispose()


@pytest.fixture
def who(settings: Settings, engine: Engine, tmp_path: Path) -> dict[str, Principal]:
    seed_warehouses(settings, engine, tmp_path)
    return accounts(engine)


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TZ)).date()


def _typed(days_ago: float) -> str:
    at = dt.datetime.now(ZoneInfo(TZ)) - dt.timedelta(days=days_ago)
    return f"{at:%d/%m/%Y %H:%M}"


def _day(days: int) -> dt.date:
    return _today() + dt.timedelta(days=days)


def _receive(services: Services, principal: Principal, warehouse: str, lot: str,
             expiry: dt.date, doses: str, vvm: int | None = None, days_ago: float = 60,
             lang: str = "en") -> stock_forms.Result:
    return stock_forms.receive(services, principal, lang, warehouse, {
        ids.OPS_STOCK_RCV_LOT: lot, ids.OPS_STOCK_RCV_VACCINE: "AZ",
        ids.OPS_STOCK_RCV_EXPIRY: f"{expiry:%d/%m/%Y}", ids.OPS_STOCK_RCV_DOSES: doses,
        ids.OPS_STOCK_RCV_VVM: vvm, ids.OPS_STOCK_RCV_FROM: stock_forms.SUPPLIER,
        ids.OPS_STOCK_RCV_AT: _typed(days_ago)})


def _rows(table: Any) -> list[list[str]]:
    """The text of each body row of a rendered table."""
    body = next(c for c in table.children if isinstance(c, html.Tbody))
    return [[" ".join(text_of(cell.to_plotly_json()).split()) for cell in row.children]
            for row in body.children]


def test_scope_refuses_other_warehouses_and_writes_nothing(
        services: Services, engine: Engine, who: dict[str, Principal]) -> None:
    codes = {k: [o["value"] for o in page.pick_warehouse(services, p, None)[0]]
             for k, p in who.items()}
    assert codes == {"province": [PROVINCE, DISTRICT, STATION], "district": [DISTRICT, STATION],
                     "station": [STATION], "saigon": [SAIGON]}
    # A forged choice falls back to the user's first warehouse.
    assert page.pick_warehouse(services, who["station"], PROVINCE)[1] == STATION
    assert _receive(services, who["province"], PROVINCE, "L1", _day(200), "100")[2]
    before = ledger_state(engine)
    assert _receive(services, who["station"], PROVINCE, "L2", _day(200), "50") == (
        {ids.OPS_STOCK_RCV_SUBMIT: "You may not keep the stock of this warehouse."}, "", False)
    sent = stock_forms.transfer(services, who["saigon"], "en", PROVINCE, {
        ids.OPS_STOCK_TRF_TO: SAIGON, ids.OPS_STOCK_TRF_LOT: "AZ|L1",
        ids.OPS_STOCK_TRF_DOSES: "10", ids.OPS_STOCK_TRF_AT: ""})
    assert sent[0] == {ids.OPS_STOCK_TRF_SUBMIT: "You may not keep the stock of this warehouse."}
    adjusted = stock_forms.adjust(services, who["district"], "vi", PROVINCE, {
        ids.OPS_STOCK_ADJ_LOT: "AZ|L1", ids.OPS_STOCK_ADJ_DOSES: "-1",
        ids.OPS_STOCK_ADJ_REASON: "LOST", ids.OPS_STOCK_ADJ_AT: ""})
    assert adjusted[0] == {ids.OPS_STOCK_ADJ_SUBMIT: "Bạn không được quản lý kho này."}
    sheet = stock_count.save_sheet(services, who["saigon"], "en", PROVINCE, [
        {"vaccine": "AZ", "lot": "L1", "balance": 100, "counted": 1, "vvm": ""}], "")
    assert sheet[2] == {ids.OPS_STOCK_COUNT_SAVE: "You may not keep the stock of this warehouse."}
    assert ledger_state(engine) == before
    # Reads: the lots, the card, the incoming list and the sheet of another area show nothing.
    assert page.overview(services, who["saigon"], "en", PROVINCE)[:2] == (
        "", "There is no warehouse you may see.")
    card, title = stock_card.card_view(services, who["station"], "en", {
        "warehouse": PROVINCE, "vaccine": "AZ", "lot": "L1"})
    assert text_of(card.to_plotly_json()) == "You may not see this warehouse." and title == ""
    assert stock_incoming.incoming_view(services, who["saigon"], "en", PROVINCE) == []
    assert stock_count.sheet_rows(services, who["station"], PROVINCE, "en") is None


def test_lots_alerts_and_the_fefo_suggestion(services: Services, who: dict[str, Principal]
                                             ) -> None:
    officer = who["province"]
    for lot, expiry, doses, vvm in (("LATE", _day(300), "1.000", 1), ("OLD", _day(-5), "40", 2),
                                    ("SOON", _day(20), "200", None),
                                    ("HOT", _day(10), "30", 3), ("NEXT", _day(60), "50", 2)):
        errors, line, written = _receive(services, officer, PROVINCE, lot, expiry, doses, vvm)
        assert (errors, written) == ({}, True), errors
    assert line == "50 doses of lot NEXT received."
    table, info, link = page.overview(services, officer, "en", PROVINCE)
    assert info == "5 lots, 3 with an alert." and link == f"/ops/stock/count?warehouse={PROVINCE}"
    rows = {r[1]: r for r in _rows(table)}
    assert rows["LATE"] == ["AZ", "LATE", f"{_day(300):%-d %b %Y}", "1,000", "—", "1", ""]
    assert rows["OLD"][6] == "Expired" and rows["SOON"][6] == "Expires within 30 days"
    assert rows["HOT"][6] == "Expires within 30 days VVM stage 3–4: do not use"
    assert rows["NEXT"][6] == "" and rows["SOON"][5] == "—"
    vi = _rows(page.overview(services, officer, "vi", PROVINCE)[0])
    assert ["AZ", "LATE", f"{_day(300):%d/%m/%Y}", "1.000", "—", "1", ""] in vi
    # FEFO: the earliest-expiring lot neither expired nor past its VVM discard point.
    choices = stock_forms.warehouse_choices(services, officer, PROVINCE, "en")
    assert choices["fefo"] == "AZ|SOON"
    assert choices["hint"] == ("First expiry, first out (FEFO) suggests lot SOON, expiring "
                               f"{_day(20):%-d %b %Y}.")
    assert [o["value"] for o in choices["to"]] == [DISTRICT, SAIGON, STATION]
    assert [o["label"] for o in choices["to"]][1] == SAIGON  # outside the area: its code
    assert choices["from"][0] == {"label": "Supplier", "value": stock_forms.SUPPLIER}
    assert len(choices["lots"]) == 5
    # Once SOON is gone, NEXT is suggested (HOT expires sooner but its VVM says discard).
    errors, line, _ = stock_forms.adjust(services, officer, "en", PROVINCE, {
        ids.OPS_STOCK_ADJ_LOT: "AZ|SOON", ids.OPS_STOCK_ADJ_DOSES: "-200",
        ids.OPS_STOCK_ADJ_REASON: "COLD_CHAIN_FAILURE", ids.OPS_STOCK_ADJ_AT: _typed(1)})
    assert (errors, line) == ({}, "Lot SOON adjusted by -200 doses (Cold-chain failure).")
    assert stock_forms.warehouse_choices(services, officer, PROVINCE, "en")["fefo"] == "AZ|NEXT"


def test_form_errors_beside_their_fields(services: Services, who: dict[str, Principal]) -> None:
    officer = who["province"]
    errors, line, written = stock_forms.receive(services, officer, "vi", PROVINCE, {
        ids.OPS_STOCK_RCV_LOT: " ", ids.OPS_STOCK_RCV_EXPIRY: "31/02/2027",
        ids.OPS_STOCK_RCV_DOSES: "mười", ids.OPS_STOCK_RCV_AT: "hôm qua"})
    assert not written and line == "Chưa ghi gì: sửa các lỗi bên cạnh ô nhập."
    assert errors == {ids.OPS_STOCK_RCV_LOT: "Chọn hoặc nhập lô.",
                      ids.OPS_STOCK_RCV_EXPIRY: "Nhập ngày dạng dd/mm/yyyy.",
                      ids.OPS_STOCK_RCV_DOSES: "Nhập một số nguyên.",
                      ids.OPS_STOCK_RCV_AT: "Nhập thời điểm dạng dd/mm/yyyy hh:mm, hoặc để trống."}
    # The ledger's own rules, beside the field they concern.
    assert _receive(services, officer, PROVINCE, "L1", _day(90), "0", vvm=5)[0] == {
        ids.OPS_STOCK_RCV_DOSES: "Doses must be a whole number from 1 to 10000000.",
        ids.OPS_STOCK_RCV_VVM: "The VVM stage must be from 1 to 4."}
    assert _receive(services, officer, PROVINCE, "L1", _day(90), "100", days_ago=-1)[0] == {
        ids.OPS_STOCK_RCV_AT: "The time cannot be in the future."}
    assert _receive(services, officer, PROVINCE, "L1", _day(90), "100")[2]
    too_many = stock_forms.transfer(services, officer, "en", PROVINCE, {
        ids.OPS_STOCK_TRF_TO: STATION, ids.OPS_STOCK_TRF_LOT: "AZ|L1",
        ids.OPS_STOCK_TRF_DOSES: "150", ids.OPS_STOCK_TRF_AT: ""})
    assert too_many[0] == {ids.OPS_STOCK_TRF_DOSES: (
        f"Stock of lot L1 at warehouse {PROVINCE} would go below zero (-50 doses)")}
    credit = stock_forms.adjust(services, officer, "en", PROVINCE, {
        ids.OPS_STOCK_ADJ_LOT: "AZ|L1", ids.OPS_STOCK_ADJ_DOSES: "5",
        ids.OPS_STOCK_ADJ_REASON: "STOLEN", ids.OPS_STOCK_ADJ_AT: ""})
    assert credit[0] == {ids.OPS_STOCK_ADJ_REASON: "The reason STOLEN can only reduce stock."}
    assert [o["value"] for o in stock_forms.static_choices(services, "en")[2]] == [
        "EXPIRED", "VVM_CHANGE", "BROKEN", "CONTAMINATED", "OPEN_VIAL", "OTHER",
        "COLD_CHAIN_FAILURE", "LOST", "STOLEN"]


def _problems(rows: list[dict[str, Any]]) -> dict[str, str]:
    """lot -> the problem shown on its row of the sheet."""
    return {str(r["lot"]): str(r["error"]) for r in rows if r.get("error")}


def _incoming_lines(view: list[Any]) -> list[str]:
    return [" ".join(text_of(c.to_plotly_json()).split()) for c in view]


def test_transfer_in_transit_confirmed_short_then_counted(
        services: Services, engine: Engine, who: dict[str, Principal]) -> None:
    officer, station = who["province"], who["station"]
    assert _receive(services, officer, PROVINCE, "L1", _day(120), "500", vvm=1)[2]
    sent = stock_forms.transfer(services, officer, "en", PROVINCE, {
        ids.OPS_STOCK_TRF_TO: STATION, ids.OPS_STOCK_TRF_LOT: "AZ|L1",
        ids.OPS_STOCK_TRF_DOSES: "100", ids.OPS_STOCK_TRF_AT: _typed(2)})
    assert sent[:2] == ({}, f"100 doses of lot L1 sent to {STATION}: in transit until the "
                            "receiver confirms.")
    # In transit: on hand at neither side, shown as coming to the station.
    assert _rows(page.overview(services, officer, "en", PROVINCE)[0])[0][3] == "400"
    assert _rows(page.overview(services, station, "en", STATION)[0])[0][3:5] == ["0", "100"]
    view = stock_incoming.incoming_view(services, station, "en", STATION)
    assert _incoming_lines(view)[0].startswith(
        f"100 doses of AZ lot L1 (expires {_day(120):%-d %b %Y}) from {PROVINCE}, sent ")
    transfer_id = view[0].children[0].children[1].children[0].children[1].id["transfer"]
    # Only the receiver confirms; the sender cannot.
    received = stock_incoming.RECEIVED
    assert stock_incoming.confirm(services, who["saigon"], "en", transfer_id, "90", "") == (
        {received: "You may not keep the stock of this warehouse."}, "", False)
    assert stock_incoming.confirm(services, station, "en", transfer_id, "120", "")[0] == {
        received: "Doses received cannot exceed the doses sent (100)."}
    assert stock_incoming.confirm(services, station, "en", transfer_id, "90", _typed(3))[0] == {
        stock_incoming.AT: "The goods cannot be received before they were sent."}
    assert stock_incoming.confirm(services, station, "vi", transfer_id, "chín", "")[0] == {
        received: "Nhập một số nguyên."}
    assert stock_incoming.confirm(services, station, "en", transfer_id, "90", _typed(1)) == (
        {}, "Receipt of 90 doses confirmed; discrepancy: 10 doses short.", True)
    assert stock_incoming.confirm(services, station, "en", transfer_id, "90", "")[0] == {
        received: f"Transfer {transfer_id} has already been confirmed."}
    after = _incoming_lines(stock_incoming.incoming_view(services, station, "vi", STATION))
    assert after == ["Không có hàng nào đang chuyển đến kho này.",
                     f"Đã nhận gần đây Từ kho Lô Đã gửi Thực nhận Chênh lệch {PROVINCE} "
                     "AZ · L1 100 90 10"]
    assert _rows(page.overview(services, station, "en", STATION)[0])[0][3:5] == ["90", "—"]
    # The count sheet: the station counts 85 of its 90; a bad row refuses the whole sheet.
    rows = stock_count.sheet_rows(services, station, STATION, "en")
    assert rows == [{"key": "AZ|L1", "vaccine": "AZ", "lot": "L1",
                     "expiry": f"{_day(120):%-d %b %Y}", "balance": 90, "counted": None,
                     "vvm": "", "error": ""}]
    before = ledger_state(engine)
    bad = stock_count.save_sheet(services, station, "en", STATION, [rows[0] | {"counted": 8.5}],
                                 "")
    assert _problems(bad[0]) == {
        "L1": "The count must be a whole number, 0 or more."}
    huge = stock_count.save_sheet(services, station, "en", STATION,
                                  [rows[0] | {"counted": 20_000_000}], "")
    assert _problems(huge[0]) == {
        "L1": "The counted quantity must be a whole number from 0 to 10000000."}
    assert text_of(html.Ul(huge[1]).to_plotly_json()).startswith("L1: The counted quantity")
    assert stock_count.save_sheet(services, station, "en", STATION, rows, "")[2] == {
        ids.OPS_STOCK_COUNT_SAVE: "No count entered."}
    assert ledger_state(engine) == before
    saved = stock_count.save_sheet(services, station, "vi", STATION,
                                   [rows[0] | {"counted": 85, "vvm": "2"}], "")
    assert saved[2:] == ({}, "Đã lưu kiểm kê 1 lô; 1 lô có chênh lệch được điều chỉnh.", True)
    assert stock_count.sheet_rows(services, station, STATION, "en")[0]["balance"] == 85
    assert _rows(page.overview(services, station, "en", STATION)[0])[0][3:6] == ["85", "—", "2"]
    # The station's card: every event with its running balance, reason and author.
    card, title = stock_card.card_view(services, station, "en", {
        "warehouse": STATION, "vaccine": "AZ", "lot": "L1"})
    assert title == f"Lot L1 (AZ) at warehouse {STATION}"
    lines = _rows(card.children[0])
    assert [r[1:] for r in lines] == [
        ["Transfer in", "+90", "90", "—", PROVINCE, "—", "tram.phucxa"],
        ["Adjustment", "-5", "85", "Physical count", "—", "2", "tram.phucxa"]]
    sender = _rows(stock_card.card_view(services, officer, "en", {
        "warehouse": PROVINCE, "vaccine": "AZ", "lot": "L1"})[0].children[0])
    assert [r[1:4] + r[5:] for r in sender] == [
        ["Receipt", "+500", "500", "—", "1", "kho.hanoi"],
        ["Transfer out", "-100", "400", STATION, "—", "kho.hanoi"]]


def test_the_pages_lay_out_for_keepers_and_refuse_other_roles(
        app: dash.Dash, engine: Engine, who: dict[str, Principal]) -> None:
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    shown = {}
    for username in ("tram.phucxa", "bo.yte"):
        client = app.server.test_client()
        token = log_in(client, username, PASSWORD)
        for path, search in (("/ops/stock", f"?warehouse={STATION}"), ("/ops/stock/card", ""),
                             ("/ops/stock/count", "")):
            page = outputs_of(post(client, page_call(path, search), token))
            shown[(username, path)] = ids_in(page["_pages_content"]["children"])
    assert {ids.OPS_STOCK_LOTS, ids.OPS_STOCK_RCV_SUBMIT, ids.OPS_STOCK_TRF_SUBMIT,
            ids.OPS_STOCK_INCOMING, ids.OPS_STOCK_ADJ_SUBMIT} <= shown[("tram.phucxa",
                                                                     "/ops/stock")]
    assert ids.OPS_STOCK_CARD in shown[("tram.phucxa", "/ops/stock/card")]
    assert ids.OPS_STOCK_COUNT_GRID in shown[("tram.phucxa", "/ops/stock/count")]
    for path in ("/ops/stock", "/ops/stock/card", "/ops/stock/count"):
        assert ids.OPS_DENIED in shown[("bo.yte", path)]
        assert not {ids.OPS_STOCK_LOTS, ids.OPS_STOCK_CARD, ids.OPS_STOCK_COUNT_GRID} & shown[
            ("bo.yte", path)]
