"""The check-in page's search through the real Dash endpoint, signed in, on each backend:
the desk finds a person by CCCD and by phone with their doses and the dose due next; an
unknown number is "not found"; a ministry leader is refused and gets no navbar link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from app import create_app
from callbacks.ops import nav
from callbacks.ops.checkin import SEARCH_ERROR, search_by
from callbacks.shared import ids
from data.auth.roles import Role
from data.settings import Settings
from tests.integration.ops_setup import (
    PASSWORD,
    PERSON,
    dose,
    principal,
    registration,
    seed_places,
)
from tests.webcalls import (
    log_in,
    nav_links,
    ops_nav_call,
    outputs_of,
    payload_in,
    post,
    text_of,
)


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[dash.Dash]:
    seed_places(engine)
    registration(engine, "REG000000001")
    dose(engine, "INJ-1")  # AZ primary 1 on 2021-08-01 at F00101
    principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, "bo.yte", Role.MINISTRY_LEADER, None)
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _search(app: dash.Dash, client: FlaskClient, token: str, value: str,
            lang: str) -> tuple[str, str]:
    # No session chosen: the desk searches at the facility of the user's grant.
    body = payload_in(app, [(ids.OPS_CHECKIN_RESULTS, "children"),
                                        (SEARCH_ERROR, "children"),
                                        (ids.OPS_WALKIN_PANEL, "hidden"),
                                        (ids.OPS_WALKIN_PERSON_ID, "value"),
                                        (ids.OPS_CHECKIN_STATUS, "children")],
                      [(ids.OPS_CHECKIN_SEARCH, "n_submit", 1)],
                      [(ids.OPS_CHECKIN_SEARCH, "value", value),
                       (ids.OPS_CHECKIN_SESSION, "value", None),
                       (ids.SHELL_LANG, "data", lang)],
                      [f"{ids.OPS_CHECKIN_SEARCH}.n_submit"])
    out: dict[str, Any] = outputs_of(post(client, body, token))
    return (text_of(out[ids.OPS_CHECKIN_RESULTS]["children"]),
            text_of(out[SEARCH_ERROR]["children"]))


def test_the_desk_finds_a_person_by_cccd_and_phone_with_doses_and_next_due(
        app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    found, error = _search(app, client, token, PERSON, "en")
    assert error == ""
    assert "Nguyễn Văn An" in found and f"CCCD {PERSON}" in found and "0912345678" in found
    assert "1 Aug 2021 AZ Primary 1 F00101" in found
    assert "Primary 2: from 20 Sept 2021; vaccines: AZ, MOD, PFZ" in found
    by_phone, error = _search(app, client, token, " 0912 345 678 ", "vi")
    assert error == ""
    assert "Nguyễn Văn An" in by_phone and "Cơ bản 2: từ ngày 20/09/2021" in by_phone


def test_an_unknown_number_or_a_bad_phone_is_told_beside_the_field(app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "tram.phucxa", PASSWORD)
    assert _search(app, client, token, "079301234567", "en") == (
        "", "No one matches what was entered.")
    assert _search(app, client, token, "079301234567", "vi") == (
        "", "Không tìm thấy người nào khớp với thông tin đã nhập.")
    assert _search(app, client, token, "   ", "en") == ("", "Enter something to search for.")


def test_a_ministry_leader_is_refused_on_the_page_and_the_search(app: dash.Dash) -> None:
    client = app.server.test_client()
    token = log_in(client, "bo.yte", PASSWORD)
    assert _search(app, client, token, PERSON, "en") == (
        "", "Your role does not work vaccination sessions, so this page is not available "
            "to you.")
    # The operations areas and their tabs are for operations roles, but for the allocations
    # a Ministry leader decides: no tab of the vaccination day, the stock area on them.
    body = ops_nav_call("en", "/ops/checkin")
    assert nav_links(outputs_of(post(client, body, token))) == (
        [("/ops/allocations", "Stock")], [])
    leader_stock = nav_links(outputs_of(post(client, ops_nav_call("en", "/ops/stock"), token)))
    assert leader_stock[1] == [("/ops/allocations", "Allocations")]
    desk = app.server.test_client()
    desk_token = log_in(desk, "tram.phucxa", PASSWORD)
    areas, tabs = nav_links(outputs_of(post(desk, body, desk_token)))
    assert areas == [("/ops/sessions", "Vaccination day"), ("/ops/stock", "Stock"),
                     ("/ops/registrations", "Records")]
    assert tabs == [("/ops/sessions", "Sessions"), ("/ops/checkin", "Check-in"),
                    ("/ops/screening", "Screening"), ("/ops/injection", "Injection"),
                    ("/ops/observation", "Observation")]
    # A page's own sub-paths are under its tab; the count sheet has its own.
    card = nav_links(outputs_of(post(desk, ops_nav_call("en", "/ops/stock/card"), desk_token)))
    assert card[1] == [("/ops/stock", "Stock on hand"), ("/ops/stock/count", "Stock count"),
                       ("/ops/reconciliation", "Reconciliation")]
    assert nav.tab_of("/ops/stock/card") == "/ops/stock"
    assert nav.tab_of("/ops/stock/count") == "/ops/stock/count"
    assert nav.tab_of("/ops/stockx") is None and nav.area_of("/") is None
    # Facility staff have no tab for the facilities officers manage.
    records = nav_links(outputs_of(post(desk, ops_nav_call("en", "/ops/aefi"), desk_token)))[1]
    assert records == [("/ops/registrations", "Registrations"), ("/ops/aefi", "AEFI cases"),
                       ("/ops/lot", "Lot trace")]
    # Outside the operations pages, the areas stay and no tabs show.
    assert nav_links(outputs_of(post(desk, ops_nav_call("en", "/"), desk_token)))[1] == []


def test_the_input_shape_picks_the_search() -> None:
    assert [search_by(v) for v in ("001090012345", "123456789", "0912 345 678", "0912345678",
                                   "REG000000001", "12345")] == [
        "id", "id", "phone", "phone", "code", "code"]
