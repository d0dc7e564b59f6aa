"""The lot trace page through the real Dash endpoint, signed in, on each backend: the page's
layout takes the lot from the query string (and refuses roles that do not operate); the trace
callback draws the district officer's side of the lot in vi and en with no personal data;
hostile or unknown keys are answered beside the field or in a line, never a 500; the AEFI
case detail links to the trace and the page opens a case by `?case=`."""

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
from tests.integration.lot_trace_setup import LOT, Seeded, seed_lot
from tests.integration.ops_setup import PASSWORD, principal
from tests.webcalls import ids_in, log_in, outputs_of, page_call, payload_in, post, text_of

NUMBER_ERROR = ids.field_error(ids.OPS_LOT_NUMBER)


@pytest.fixture
def seeded(settings: Settings, engine: Engine, tmp_path: Path) -> Seeded:
    return seed_lot(settings, engine, tmp_path)


@pytest.fixture
def app(settings: Settings, seeded: Seeded) -> Iterator[dash.Dash]:
    application = create_app(settings)
    yield application
    application.server.extensions["vx_services"].engine.dispose()


def _signed_in(app: dash.Dash, username: str) -> tuple[FlaskClient, str]:
    client = app.server.test_client()
    return client, log_in(client, username, PASSWORD)


def _trace(app: dash.Dash, who: tuple[FlaskClient, str], vaccine: object, lot: object,
           lang: str = "vi") -> dict[str, Any]:
    body = payload_in(app, [(ids.OPS_LOT_BODY, "children"), (NUMBER_ERROR, "children")],
                      [(ids.OPS_LOT_SUBMIT, "n_clicks", 1), (ids.OPS_LOT_NUMBER, "n_submit", 0),
                       (ids.OPS_LOT_VACCINE, "n_submit", 0), (ids.SHELL_LANG, "data", lang)],
                      [(ids.OPS_LOT_VACCINE, "value", vaccine),
                       (ids.OPS_LOT_NUMBER, "value", lot)],
                      [f"{ids.OPS_LOT_SUBMIT}.n_clicks"])
    return outputs_of(post(who[0], body, who[1]))


def _words(node: Any) -> str:
    return " ".join(text_of(node).split())


def _prop(node: Any, component_id: str, prop: str) -> Any:
    """A property of the component with this id in a serialised layout (KeyError if none)."""
    if isinstance(node, list):
        for child in node:
            try:
                return _prop(child, component_id, prop)
            except KeyError:
                pass
    elif isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == component_id:
            return props[prop]
        return _prop(props.get("children"), component_id, prop)
    raise KeyError(component_id)


def test_the_layout_takes_the_lot_from_the_link_and_refuses_other_roles(
        app: dash.Dash, engine: Engine) -> None:
    officer = _signed_in(app, "kho.badinh")
    out = outputs_of(post(officer[0], page_call("/ops/lot", f"?vaccine=AZ&lot={LOT}"),
                          officer[1]))
    layout = out["_pages_content"]["children"]
    assert {ids.OPS_LOT_VACCINE, ids.OPS_LOT_NUMBER, ids.OPS_LOT_SUBMIT, ids.OPS_LOT_BODY
            } <= ids_in(layout)
    assert _prop(layout, ids.OPS_LOT_VACCINE, "value") == "AZ"
    assert _prop(layout, ids.OPS_LOT_NUMBER, "value") == LOT
    # The ministry reads the lot in the data layer, but the operations page is not its own.
    principal(engine, "bo.yte2", Role.MINISTRY_LEADER, None)
    leader = _signed_in(app, "bo.yte2")
    out = outputs_of(post(leader[0], page_call("/ops/lot", "?vaccine=AZ&lot=X"), leader[1]))
    assert ids.OPS_DENIED in ids_in(out["_pages_content"]["children"])
    assert ids.OPS_LOT_BODY not in ids_in(out["_pages_content"]["children"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_district_officer_reads_his_side_of_the_lot(app: dash.Dash, seeded: Seeded,
                                                        lang: str) -> None:
    officer = _signed_in(app, "kho.badinh")
    out = _trace(app, officer, " az ", f" {LOT} ", lang)
    assert out[NUMBER_ERROR]["children"] == ""
    words = _words(out[ids.OPS_LOT_BODY]["children"])
    if lang == "vi":
        assert f"Lô {LOT} · AZ · hạn dùng 30/06/2022" in words
        assert "kho: 4 · liều đã tiêm: 12 · ca phản ứng sau tiêm: 1" in words
        assert "Ngoài phạm vi của bạn, chỉ đếm · kho: 1 · liều đã tiêm: 5 · ca: 1" in words
        assert "Kho vắc xin quốc gia KHO-TW Quốc gia 01/10/2021 08:00 1.000 700 0 0 300 —" \
            in words
        assert "Kho TP. Hồ Chí Minh ngoài phạm vi 07/10/2021 08:00 50 Đang vận chuyển" in words
        assert f"{seeded.session_id} F00101 15/10/2021 Đã đóng 12 8" in words
    else:
        assert f"Lot {LOT} · AZ · expires 30 Jun 2022" in words
        assert "Kho Trạm Y tế Phúc Xá WF00101 Site 6 Oct 2021 08:00 100 0 12 -8 80 —" in words
        assert "Kho TP. Hồ Chí Minh outside your area 7 Oct 2021 08:00 50 In transit" in words
        assert "Serious Hospitalisation Classified B1." in words
    # His case, linked to the AEFI page; not Quận 1's; no name of anyone.
    assert seeded.cases[0] in words and seeded.cases[1] not in words
    assert f"/ops/aefi?case={seeded.cases[0]}" in str(out[ids.OPS_LOT_BODY]["children"])
    for name in ("Nguyễn Văn An", "Nguyễn Thị Lan", "Trần Văn Hùng", "001090012345"):
        assert name not in words


def test_hostile_and_unknown_keys_are_answered_not_crashed(app: dash.Dash) -> None:
    officer = _signed_in(app, "kho.badinh")
    bad = "Nhập mã vắc xin (tối đa 8 ký tự) và số lô (tối đa 40 ký tự)."
    for vaccine, lot in (("", LOT), ("AZ", "x" * 41), ("AZAZAZAZA", LOT), (None, LOT),
                         (7, LOT), ("AZ", "A\tB")):
        out = _trace(app, officer, vaccine, lot)
        assert out[NUMBER_ERROR]["children"] == bad, (vaccine, lot)
        assert out[ids.OPS_LOT_BODY]["children"] == ""
    # A list, an object or a NUL where text goes is turned away before any callback runs.
    for vaccine, lot in ((["AZ"], LOT), ("AZ", {"$ne": 1}), ("AZ", "A\x00B")):
        with pytest.raises(AssertionError, match='"error":"malformed"'):
            _trace(app, officer, vaccine, lot)
    out = _trace(app, officer, "AZ", "' OR 1=1 --", "en")
    assert _words(out[ids.OPS_LOT_BODY]["children"]) == (
        "Nothing records lot ' OR 1=1 -- of vaccine AZ.")
    out = _trace(app, officer, None, None)
    assert _words(out[ids.OPS_LOT_BODY]["children"]) == "Nhập một lô để xem đường đi của lô."


def test_the_case_detail_links_its_lot_and_a_case_link_opens_it(
        app: dash.Dash, seeded: Seeded) -> None:
    officer = _signed_in(app, "kho.badinh")
    case = seeded.cases[0]
    body = payload_in(app, [(ids.OPS_AEFI_DETAIL, "children"), (ids.OPS_AEFI_STEP, "children"),
                            (ids.OPS_AEFI_CASE, "data"), (ids.OPS_AEFI_STEP_STATUS, "children")],
                      [(ids.OPS_AEFI_LIST, "value", case), (ids.OPS_AEFI_DONE, "data", 0),
                       (ids.SHELL_LANG, "data", "en")], changed=[f"{ids.OPS_AEFI_LIST}.value"])
    detail = outputs_of(post(officer[0], body, officer[1]))[ids.OPS_AEFI_DETAIL]["children"]
    assert f"{LOT} · trace the lot" in _words(detail)
    assert f"/ops/lot?vaccine=AZ&lot={LOT}" in str(detail)
    out = outputs_of(post(officer[0], page_call("/ops/aefi", f"?case={case}"), officer[1]))
    layout = out["_pages_content"]["children"]
    assert _prop(layout, ids.OPS_AEFI_LIST, "value") == case
    assert _prop(layout, ids.OPS_AEFI_FILTER, "value") == "ALL"
    # Without a case, each role's list starts on the status it acts on.
    for username, status in (("kho.badinh", "REPORTED"), ("kho.hanoi", "INVESTIGATED"),
                             ("tram.phucxa", "REPORTED")):
        who = _signed_in(app, username)
        layout = outputs_of(post(who[0], page_call("/ops/aefi"), who[1]))["_pages_content"]
        assert _prop(layout["children"], ids.OPS_AEFI_FILTER, "value") == status, username
