"""Shapes of callback requests: what the gate refuses with a 400 before any callback runs."""

from __future__ import annotations

from typing import Any

import pytest

from callbacks.shared import ids
from callbacks.shared.security.inputs import check_request


def request(cid: Any, prop: str, value: Any, where: str = "inputs") -> dict[str, Any]:
    item = {"id": cid, "property": prop, "value": value}
    return {"output": "x.children", "outputs": {"id": "x", "property": "children"},
            "inputs": [item] if where == "inputs" else [],
            "state": [item] if where == "state" else [], "changedPropIds": []}


def deep(levels: int) -> Any:
    value: Any = []
    for _ in range(levels):
        value = [value]
    return value


GOOD = [
    ("b", "n_clicks", None), ("b", "n_clicks", 3), ("t", "n_intervals", 2**31 - 1),
    ("d", "date", "2021-10-31"), ("d", "date", "2021-10-31T00:00:00"), ("d", "date", None),
    ("v", "value", "79"), ("v", "value", 90), ("v", "value", None), ("v", "value", ""),
    ("_pages_location", "pathname", "/allocation"),
    (ids.FAC_AREA, "data", {"province": "79", "denied": True}), (ids.FAC_AREA, "data", None),
    ("u", "search", "?province=79&as_of=2021-10-31"), ("m", "clickData",
                                                      {"points": [{"location": "79"}]}),
    (ids.SHELL_VERSION, "data", "12@2021-10-31"), (ids.SHELL_LANG, "data", "en"),
    (ids.ALLOC_DRILL, "data", {"province": "79", "denied": False}),
    ("store", "data", {"any": ["json", 1, None]}),
    ({"type": "i18n-text", "key": "nav.lang"}, "id", {"type": "i18n-text", "key": "nav.lang"}),
    # A pattern-matching radio's value (the screening checklist): its dict id is no
    # multi-select name (it made the gate raise, a 500).
    ({"type": "ops-screening-item", "item": "acute_illness"}, "value", "yes"),
]
BAD = [
    ("b", "n_clicks", -1, "not_a_count"), ("b", "n_clicks", "1", "not_a_count"),
    ("b", "n_clicks", True, "not_a_count"), ("b", "n_clicks", 10**40, "not_a_count"),
    ("d", "date", "0001-13-01", "not_a_date"), ("d", "date", "2021-02-30", "not_a_date"),
    ("d", "date", 20211031, "not_a_date"), ("d", "date", {}, "not_a_date"),
    ("v", "value", {"a": 1}, "not_a_scalar"), ("v", "value", [[1]], "not_a_scalar"),
    ("v", "value", [1, 2], "not_a_scalar"),
    ("v", "value", 10**40, "bad_number"), ("v", "value", "x\x00", "bad_text"),
    ("v", "value", "\udcff", "bad_text"), ("v", "value", "x" * 2001, "bad_text"),
    ("u", "search", 12, "bad_text"),
    (ids.SHELL_VERSION, "data", "²@x", "bad_version"),
    (ids.SHELL_VERSION, "data", "9" * 5000, "bad_version"),
    (ids.SHELL_LANG, "data", ["vi"], "bad_lang"),
    ("store", "data", deep(50), "too_deep"),
    ("store", "data", [0] * 400 + [[0] * 400] * 20, "too_large"),
    ({"type": "x", "key": ["ALL"]}, "id", None, "bad_id"),
    ("s" * 300, "value", "79", "bad_id"),
    ({"type": "i18n-text", "key": "a"}, "id", {"type": "i18n-text", "key": "b"}, "bad_id"),
    ({"type": "i18n-text", "key": "a"}, "id", "", "bad_id"),
    ("v", "value", ["AZ"], "not_a_scalar"),
    ("_pages_location", "pathname", "", "bad_path"),
    ("_pages_location", "pathname", "relative/x", "bad_path"),
    ("m", "clickData", -1, "bad_event"), ("m", "clickData", {"points": "x"}, "bad_event"),
    ("m", "clickData", {"points": [1]}, "bad_event"),
    (ids.ALLOC_DRILL, "data", {"a": {"b": [1]}}, "bad_area"),
    (ids.ALLOC_DRILL, "data", -1, "bad_area"),
    (ids.FAC_AREA, "data", "", "bad_area"),
    (ids.FAC_AREA, "data", {"province": "79", "denied": "no"}, "bad_area"),
]


@pytest.mark.parametrize(("cid", "prop", "value"), GOOD)
def test_values_in_shape_pass(cid: Any, prop: str, value: Any) -> None:
    assert check_request(request(cid, prop, value)) is None
    assert check_request(request(cid, prop, value, "state")) is None


@pytest.mark.parametrize(("cid", "prop", "value", "code"), BAD)
def test_values_out_of_shape_are_refused_with_field_and_code(cid: Any, prop: str, value: Any,
                                                            code: str) -> None:
    problem = check_request(request(cid, prop, value, "state"))
    assert problem is not None and problem.code == code and problem.message
    if code != "bad_id":
        assert problem.field.endswith(f".{prop}")


@pytest.mark.parametrize("body", [None, [], "x", {"output": 1}, {"output": "x.y", "inputs": 3},
                                  {"output": "x.y", "inputs": [1]},
                                  {"output": "x.y", "inputs": [{"id": "a", "value": 1}]},
                                  {"output": "x.y", "inputs": [[{"id": "a"}]]},
                                  {"output": "x.y", "outputs": deep(40)},
                                  {"output": "x.y", "outputs": [{"id": "x", "property": "y"}]},
                                  {"output": "..a.b...c.d..", "outputs": {"id": "a"}},
                                  {"output": "..a.b...c.d..", "outputs": [{"id": "a"}]}])
def test_bodies_that_are_no_callback_request(body: Any) -> None:
    assert check_request(body) is not None


def test_outputs_in_the_shape_the_renderer_sends_pass() -> None:
    one = {"id": "x", "property": "y"}
    assert check_request({"output": "x.y", "outputs": one, "inputs": []}) is None
    assert check_request({"output": "..a.b...c.d..", "outputs": [one, one], "inputs": []}) is None
    wild = '{"index":["ALL"],"type":"t"}.children'
    assert check_request({"output": wild, "outputs": [one], "inputs": []}) is None


def test_pattern_matching_slots_are_checked_item_by_item() -> None:
    ok = {"id": {"type": "mcc-download", "chart": "map"}, "property": "n_clicks", "value": 1}
    body = request("x", "n_clicks", 0)
    body["inputs"] = [[ok, ok]]
    assert check_request(body) is None
    body["inputs"] = [[ok, dict(ok, value="1")]]
    problem = check_request(body)
    assert problem is not None and problem.code == "not_a_count"


def test_url_dates_outside_the_calendar_are_dropped() -> None:
    """?as_of=0001-01-05 made date arithmetic overflow into a 500 (issue 10, defect 8)."""
    from callbacks.shared.urlstate import parse

    assert parse({"as_of": "0001-01-05", "from": "9999-12-31"}).as_of is None
    assert parse({"from": "9999-12-31"}).date_from is None
    assert parse({"as_of": "2021-10-31"}).as_of == "2021-10-31"


def test_version_stamps_take_ascii_digits_only() -> None:
    from callbacks.shared.shell import stamp_version

    assert stamp_version("12@2021-10-31") == 12
    assert stamp_version("²@x") is None and stamp_version("9" * 5000) is None


def test_url_date_bounds_are_the_calendar_dimensions() -> None:
    from callbacks.shared import urlstate
    from data import refdata

    assert urlstate.DATE_RANGE == refdata.DATE_RANGE


def test_url_vaccine_codes_are_the_catalogues() -> None:
    from callbacks.shared import urlstate
    from data import catalog

    assert {v.code for v in catalog.VACCINES} == urlstate.VACCINE_CODES
    # A code of no vaccine is no filter: the pages show every vaccine, the notice says why.
    assert urlstate.parse({"vaccine": "XYZ"}).vaccine is None
    assert urlstate.parse({"vaccine": "PFZ"}).vaccine == "PFZ"
