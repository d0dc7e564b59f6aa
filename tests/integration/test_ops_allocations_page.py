"""The allocations page and the command centre's allocation page through the real Dash
endpoint, signed in, on each backend: Hà Nội's officer records a decision row (errors beside
their fields first, worded as an allocations file's reject report), the row is followed to a
partial delivery confirmed with a shortfall, and both pages show the same allocated,
dispatched, received and owed; a district officer reads its row only, facility staff get the
refusal, and a forged submit outside the officer's province is refused beside the recipient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from callbacks.ops.allocations import FIELDS
from callbacks.shared import ids
from data.auth.roles import Principal
from data.ops.commands import transfers
from data.settings import Settings
from tests.factories import scalar
from tests.integration.allocations_setup import accounts, load_rows, seed
from tests.integration.ops_setup import PASSWORD
from tests.integration.stock_ledger_setup import DISTRICT, LOT, PROVINCE, at
from tests.webcalls import ids_in, log_in, outputs_of, page_call, payload_in, post, text_of


@pytest.fixture
def who(settings: Settings, engine: Engine, tmp_path: Path) -> dict[str, Principal]:
    seed(settings, engine, tmp_path)
    return accounts(engine)


@pytest.fixture
def app(settings: Settings, who: dict[str, Principal]) -> Iterator[dash.Dash]:
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _signed_in(app: dash.Dash, username: str) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    return client, log_in(client, username, PASSWORD)


def _submit(app: dash.Dash, who: tuple[FlaskClient, str], values: dict[str, object],
            lang: str, token: str = "ALC-page-1") -> dict[str, Any]:
    outs = [(ids.field_error(f), "children") for f in FIELDS]
    outs += [(ids.OPS_ALLOC_STATUS, "children"), (ids.OPS_ALLOC_DONE, "data"),
             (ids.OPS_ALLOC_TOKEN, "data"), (ids.OPS_ALLOC_DOSES, "value")]
    body = payload_in(app, outs, [(ids.OPS_ALLOC_SUBMIT, "n_clicks", 1),
                                  (ids.OPS_ALLOC_DOSES, "n_submit", 0),
                                  (ids.OPS_ALLOC_BATCH, "n_submit", 0)],
                      [*[(f, "value", values.get(f)) for f in FIELDS[:-1]],
                       (ids.OPS_ALLOC_TOKEN, "data", token), (ids.OPS_ALLOC_DONE, "data", 2),
                       (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_ALLOC_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def _table(app: dash.Dash, who: tuple[FlaskClient, str], which: str, lang: str
           ) -> dict[str, Any]:
    body = payload_in(app, [(ids.OPS_ALLOC_GRID, "columnDefs"), (ids.OPS_ALLOC_GRID, "rowData"),
                            (ids.OPS_ALLOC_INFO, "children")],
                      [(ids.SHELL_LANG, "data", lang), (ids.OPS_ALLOC_FILTER, "value", which),
                       (ids.OPS_ALLOC_DONE, "data", 0), (ids.SHELL_VERSION, "data", "1")])
    return outputs_of(post(who[0], body, who[1]))


def _deliveries(app: dash.Dash, who: tuple[FlaskClient, str], aid: str, lang: str) -> str:
    body = payload_in(app, [(ids.OPS_ALLOC_DELIVERIES, "children")],
                      [(ids.OPS_ALLOC_GRID, "selectedRows", [{"allocation_id": aid}]),
                       (ids.SHELL_LANG, "data", lang), (ids.OPS_ALLOC_DONE, "data", 0)])
    out = outputs_of(post(who[0], body, who[1]))
    return " ".join(text_of(out[ids.OPS_ALLOC_DELIVERIES]["children"]).split())


def _carried(app: dash.Dash, who: tuple[FlaskClient, str], lang: str) -> list[dict[str, Any]]:
    """The command centre's allocations carried out, drilled into Hà Nội."""
    body = payload_in(app, [(ids.ALLOC_CARRIED, "columnDefs"), (ids.ALLOC_CARRIED, "rowData"),
                            (ids.ALLOC_CARRIED, "dashGridOptions")],
                      [(ids.SHELL_VERSION, "data", "1"), (ids.SHELL_LANG, "data", lang),
                       (ids.ALLOC_AS_OF, "date", None), (ids.ALLOC_VACCINE, "value", None),
                       (ids.ALLOC_DRILL, "data", {"province": "01", "denied": False})])
    return outputs_of(post(who[0], body, who[1]))[ids.ALLOC_CARRIED]["rowData"]


def _form(**over: object) -> dict[str, object]:
    values: dict[str, object] = {
        ids.OPS_ALLOC_DECISION: "125/QĐ-UBND", ids.OPS_ALLOC_DATE: "28/09/2021",
        ids.OPS_ALLOC_VACCINE: "AZ", ids.OPS_ALLOC_RECIPIENT: "001",
        ids.OPS_ALLOC_DOSES: "3.000", ids.OPS_ALLOC_BATCH: "Đợt 12"}
    return values | {getattr(ids, k): v for k, v in over.items()}


def _errors(out: dict[str, Any]) -> dict[str, str]:
    return {f: out[ids.field_error(f)]["children"] for f in FIELDS
            if out[ids.field_error(f)]["children"]}


def test_an_allocation_recorded_and_followed_on_both_pages(
        app: dash.Dash, engine: Engine, settings: Settings, tmp_path: Path,
        who: dict[str, Principal]) -> None:
    officer = _signed_in(app, "kho.hanoi")
    page = outputs_of(post(officer[0], page_call("/ops/allocations"), officer[1]))
    assert {*FIELDS, ids.OPS_ALLOC_GRID} <= ids_in(page["_pages_content"]["children"])
    # Errors beside their fields, the reject report's words; nothing recorded.
    bad = _submit(app, officer, _form(OPS_ALLOC_DOSES="ba nghìn", OPS_ALLOC_DATE="31/02/2021",
                                      OPS_ALLOC_DECISION=""), "en")
    assert _errors(bad) == {
        ids.OPS_ALLOC_DECISION: "Required value is missing",
        ids.OPS_ALLOC_DATE: "Invalid date; use 2021-10-19 or 19/10/2021",
        ids.OPS_ALLOC_DOSES: "Must be a whole number"}
    assert ids.OPS_ALLOC_DONE not in bad
    # The same row in a file is refused with the same fields and reasons.
    _, rejects = load_rows(settings, engine, tmp_path, "same", [{
        "allocation_id": "F1", "decision_no": "", "decided_on": "31/02/2021",
        "vaccine_code": "AZ", "recipient_code": "001", "doses": "ba nghìn", "batch": ""}])
    assert {r["field"]: r["reason"] for r in rejects} == {
        "decision_no": "Required value is missing",
        "decided_on": "Invalid date; use 2021-10-19 or 19/10/2021",
        "doses": "Must be a whole number"}
    assert scalar(engine, "SELECT COUNT(*) FROM allocation") == 0
    # Vietnamese digit groups: 3.000 is three thousand doses.
    done = _submit(app, officer, _form(), "vi")
    assert _errors(done) == {}
    assert done[ids.OPS_ALLOC_STATUS]["children"] == "Đã ghi phân bổ ALC-page-1."
    assert done[ids.OPS_ALLOC_DONE]["data"] == 3
    assert done[ids.OPS_ALLOC_TOKEN]["data"] != "ALC-page-1"
    assert done[ids.OPS_ALLOC_DOSES]["value"] == ""
    assert scalar(engine, "SELECT doses FROM allocation WHERE allocation_id = 'ALC-page-1'") \
        == 3000
    # A second press with the same token is the same row.
    _submit(app, officer, _form(), "vi")
    assert scalar(engine, "SELECT COUNT(*) FROM allocation") == 1

    # Deliveries: 2 000 sent, 1 950 confirmed.
    officer_p, district_p = who["province"], who["district"]
    sent = transfers.send(engine, officer_p, PROVINCE, DISTRICT, "AZ", LOT, 2000, at(1),
                          lang="en", allocation_id="ALC-page-1")
    transfers.confirm(engine, district_p, sent, 1950, at(5), lang="en")

    table = _table(app, officer, "OWED", "en")
    rows = table[ids.OPS_ALLOC_GRID]["rowData"]
    assert [(r["allocation_id"], r["decision_no"], r["decided_on"], r["recipient_name"],
             r["doses"], r["dispatched"], r["received"], r["in_transit"], r["short"],
             r["owed"]) for r in rows] == [
        ("ALC-page-1", "125/QĐ-UBND", "2021-09-28", "Quận Ba Đình", 3000, 2000, 1950, 0, 50, 1050)]
    assert table[ids.OPS_ALLOC_INFO]["children"] == "Allocation lines: 1; doses still owed: 1,050."
    headers = [c["headerName"] for c in table[ids.OPS_ALLOC_GRID]["columnDefs"]]
    assert headers[4:8] == ["Allocated", "Dispatched", "Received", "Still owed"]
    shown = _deliveries(app, officer, "ALC-page-1", "vi")
    assert "Giao hàng của ALC-page-1" in shown and f"{PROVINCE} → {DISTRICT}" in shown
    assert "2.000" in shown and "1.950" in shown, shown

    # The command centre shows the same numbers for Ba Đình, next to its allocated.
    carried = _carried(app, officer, "en")
    assert [(r["recipient_code"], r["vaccine_code"], r["allocated"], r["dispatched"],
             r["received"], r["owed"]) for r in carried] == [("001", "AZ", 3000, 2000, 1950,
                                                               1050)]

    # Fully received: off the "still owed" list, on "all".
    second = transfers.send(engine, officer_p, PROVINCE, DISTRICT, "AZ", LOT, 1050, at(6),
                            lang="en", allocation_id="ALC-page-1")
    transfers.confirm(engine, district_p, second, 1050, at(7), lang="en")
    assert _table(app, officer, "OWED", "vi")[ids.OPS_ALLOC_INFO]["children"] == (
        "Không có dòng phân bổ nào.")
    assert [r["owed"] for r in _table(app, officer, "ALL", "vi")[ids.OPS_ALLOC_GRID][
        "rowData"]] == [0]


def test_scope_on_the_page(app: dash.Dash, engine: Engine) -> None:
    officer = _signed_in(app, "kho.hanoi")
    _submit(app, officer, _form(), "en")
    _submit(app, officer, _form(OPS_ALLOC_RECIPIENT="002"), "en", token="ALC-page-2")
    # A forged submit to another province's district: refused beside the recipient.
    saigon = _signed_in(app, "kho.hcm")
    forged = _submit(app, saigon, _form(), "en", token="ALC-page-3")
    assert _errors(forged) == {ids.OPS_ALLOC_RECIPIENT: "You may not allocate to this recipient."}
    assert scalar(engine, "SELECT COUNT(*) FROM allocation") == 2
    # The district officer reads its own district's row, with no form.
    district = _signed_in(app, "kho.badinh")
    page = outputs_of(post(district[0], page_call("/ops/allocations"), district[1]))
    shown = ids_in(page["_pages_content"]["children"])
    assert ids.OPS_ALLOC_GRID in shown and ids.OPS_ALLOC_SUBMIT not in shown
    rows = _table(app, district, "ALL", "en")[ids.OPS_ALLOC_GRID]["rowData"]
    assert [r["allocation_id"] for r in rows] == ["ALC-page-1"]
    assert _deliveries(app, district, "ALC-page-2", "en") == (
        "This allocation line is outside your area.")
    # Facility staff: the refusal alone, and a forged table call reads nothing.
    station = _signed_in(app, "tram.phucxa")
    page = outputs_of(post(station[0], page_call("/ops/allocations"), station[1]))
    assert ids.OPS_ALLOC_GRID not in ids_in(page["_pages_content"]["children"])
    assert "không quyết định hay nhận phân bổ" in text_of(page["_pages_content"]["children"])
    forged_table = _table(app, station, "ALL", "en")
    assert forged_table[ids.OPS_ALLOC_GRID]["rowData"] == []
    # The Ministry's recipients are the provinces; Hà Nội's officer's its districts.
    ministry = _signed_in(app, "bo.yte")
    body = payload_in(app, [(ids.OPS_ALLOC_VACCINE, "options"),
                            (ids.OPS_ALLOC_RECIPIENT, "options"), (ids.OPS_ALLOC_DATE, "value")],
                      [(ids.SHELL_LANG, "data", "vi")], [(ids.OPS_ALLOC_DATE, "value", "")])
    places = outputs_of(post(ministry[0], body, ministry[1]))[ids.OPS_ALLOC_RECIPIENT]["options"]
    assert len(places) == 63 and places[0]["value"] == "01"
    places = outputs_of(post(officer[0], body, officer[1]))[ids.OPS_ALLOC_RECIPIENT]["options"]
    assert {p["value"] for p in places} >= {"001", "002"} and all(
        len(p["value"]) == 3 for p in places)


@pytest.mark.parametrize(("over", "field"), [
    ({"OPS_ALLOC_DOSES": "9" * 40}, ids.OPS_ALLOC_DOSES),
    ({"OPS_ALLOC_DECISION": "x" * 1999}, ids.OPS_ALLOC_DECISION),
    ({"OPS_ALLOC_BATCH": "Đợt " * 20}, ids.OPS_ALLOC_BATCH),
    ({"OPS_ALLOC_DATE": 20211019}, ids.OPS_ALLOC_DATE),
])
def test_a_forged_form_is_refused_beside_its_field(app: dash.Dash, engine: Engine,
                                                   over: dict[str, object], field: str) -> None:
    officer = _signed_in(app, "kho.hanoi")
    out = _submit(app, officer, _form(**over), "en")
    assert set(_errors(out)) == {field}
    assert scalar(engine, "SELECT COUNT(*) FROM allocation") == 0


def test_a_form_of_lists_is_refused_at_the_gate(app: dash.Dash, engine: Engine) -> None:
    client, token = _signed_in(app, "kho.hanoi")
    outs = [(ids.field_error(f), "children") for f in FIELDS]
    outs += [(ids.OPS_ALLOC_STATUS, "children"), (ids.OPS_ALLOC_DONE, "data"),
             (ids.OPS_ALLOC_TOKEN, "data"), (ids.OPS_ALLOC_DOSES, "value")]
    values = _form(OPS_ALLOC_DOSES=[1, 2], OPS_ALLOC_RECIPIENT={"code": "001"})
    body = payload_in(app, outs, [(ids.OPS_ALLOC_SUBMIT, "n_clicks", 1),
                                  (ids.OPS_ALLOC_DOSES, "n_submit", 0),
                                  (ids.OPS_ALLOC_BATCH, "n_submit", 0)],
                      [*[(f, "value", values.get(f)) for f in FIELDS[:-1]],
                       (ids.OPS_ALLOC_TOKEN, "data", "ALC-x"), (ids.OPS_ALLOC_DONE, "data", 0),
                       (ids.SHELL_LANG, "data", "en")], [f"{ids.OPS_ALLOC_SUBMIT}.n_clicks"])
    response = post(client, body, token)
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed"
    assert scalar(engine, "SELECT COUNT(*) FROM allocation") == 0
