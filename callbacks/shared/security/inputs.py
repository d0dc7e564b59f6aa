"""The shape of every Dash callback request, checked after sign-in and before any callback runs.

Every callback is an endpoint anyone can call with anything (issue 10: 414 of 3,600 forged
requests gave a 500). What each component property can hold is known from Dash itself: a click
count is a whole number, a date picker sends an ISO date, a dropdown a short scalar or a list of
them. A request outside those shapes is answered 400 with the field, a code and a message,
and no callback runs. What a well-shaped value means (a province the role may not see, a date
outside the campaign) stays the business of the page and the data layer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from callbacks.shared import ids, ids_portal

MAX_TEXT = 2_000        # characters of one text value (a URL's query string at most)
MAX_ITEMS = 500         # items of one list value (a multi-select)
MAX_DEPTH = 6           # nesting of a store's or an event's JSON
MAX_NODES = 5_000       # values inside one store's or event's JSON
MAX_COUNT = 2**31 - 1   # n_clicks and the like
MAX_NUMBER = 2**53      # beyond it a float is no longer a whole number
MAX_DATA_URL = 1024 * 1024  # an uploaded file as a data URL: the request body's limit


@dataclass(frozen=True)
class Problem:
    """Why one value of the request was refused (API style: field, code, message)."""

    field: str
    code: str
    message: str


Check = Callable[[Any], str | None]  # None when the value is acceptable, else an error code


def _text_ok(value: str) -> bool:
    return len(value) <= MAX_TEXT and "\x00" not in value and not any(
        0xD800 <= ord(c) <= 0xDFFF for c in value)


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return None if _text_ok(value) else "bad_text"
    if isinstance(value, int | float):
        return None if math.isfinite(value) and abs(value) <= MAX_NUMBER else "bad_number"
    return "not_a_scalar"


def _count(value: Any) -> str | None:
    ok = value is None or (isinstance(value, int) and not isinstance(value, bool)
                           and 0 <= value <= MAX_COUNT)
    return None if ok else "not_a_count"


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 32:
        return "not_a_date"
    try:  # the date pickers send 'YYYY-MM-DD', sometimes with a time part
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return "not_a_date"
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return None if isinstance(value, str) and _text_ok(value) else "bad_text"


def _value(value: Any) -> str | None:
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return "too_many_items"
        return next((p for p in map(_scalar, value) if p), None)
    return _scalar(value)


def _json(value: Any) -> str | None:
    """Any JSON a store or a plotly event may hold, bounded in depth, size and text."""
    stack, nodes = [(value, 0)], 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            return "too_deep"
        if nodes > MAX_NODES:
            return "too_large"
        if isinstance(item, dict):
            if len(item) > MAX_ITEMS or not all(isinstance(k, str) and _text_ok(k) for k in item):
                return "bad_object"
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if len(item) > MAX_ITEMS:
                return "too_many_items"
            stack.extend((v, depth + 1) for v in item)
        elif problem := _scalar(item):
            return problem
    return None


def _component_id(value: Any) -> str | None:
    if isinstance(value, str):
        return None if _text_ok(value) and len(value) <= 200 else "bad_id"
    if isinstance(value, dict) and len(value) <= 10 and all(
            isinstance(k, str) and isinstance(v, str | int) and not isinstance(v, bool)
            and _scalar(v) is None for k, v in value.items()):
        return None
    return "bad_id"


def _version(value: Any) -> str | None:
    # 'version@local-date' (callbacks.shared.shell); the version is a database counter.
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        return "bad_version"
    head = value.split("@", 1)[0]
    return None if head.isascii() and head.isdigit() and len(head) <= 18 else "bad_version"


def _data_url(value: Any) -> str | None:
    # dcc.Upload's contents: 'data:<type>;base64,<ascii>', bounded by the request body limit
    # (gate.MAX_BODY_BYTES); what the file holds is the business of the page that reads it.
    if value is None:
        return None
    ok = (isinstance(value, str) and value.startswith("data:") and value.isascii()
          and len(value) <= MAX_DATA_URL and "\x00" not in value)
    return None if ok else "bad_upload"


def _lang(value: Any) -> str | None:
    return None if value is None or (isinstance(value, str) and len(value) <= 8) else "bad_lang"


def _single(value: Any) -> str | None:
    # Every dropdown and radio of the app picks one value; a list where one is expected made
    # `value in CHOICES` raise. A multi-select goes into MULTI_VALUE.
    return "not_a_scalar" if isinstance(value, list) else _scalar(value)


def _pathname(value: Any) -> str | None:
    if value is None:
        return None
    return None if isinstance(value, str) and value.startswith("/") and _text_ok(value) else (
        "bad_path")


def _plotly_event(value: Any) -> str | None:
    # clickData and the like: {"points": [{...}, ...]} as plotly sends it.
    if value is None:
        return None
    points = value.get("points") if isinstance(value, dict) else None
    if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
        return "bad_event"
    return _json(value)


def _chosen_area(value: Any) -> str | None:
    # The drill-down stores: {"province": "79", "denied": false} or nothing chosen.
    if value is None:
        return None
    ok = (isinstance(value, dict) and set(value) == {"province", "denied"}
          and isinstance(value["province"], str) and len(value["province"]) <= 8
          and isinstance(value["denied"], bool))
    return None if ok else "bad_area"


PROPERTY_CHECKS: dict[str, Check] = {
    "n_clicks": _count, "n_submit": _count, "n_intervals": _count, "n_blur": _count,
    "date": _date, "start_date": _date, "end_date": _date,
    "value": _single, "search": _text, "pathname": _pathname, "hash": _text, "href": _text,
    "id": _component_id, "clickData": _plotly_event, "hoverData": _plotly_event,
    "selectedData": _plotly_event, "relayoutData": _json,
    "contents": _data_url, "filename": _text,
}
# Stores whose content the shell itself defines; other stores and events: bounded JSON.
STORE_CHECKS: dict[str, Check] = {ids.SHELL_VERSION: _version, ids.SHELL_LANG: _lang,
                                  ids.ALLOC_DRILL: _chosen_area, ids.FAC_AREA: _chosen_area,
                                  ids.ADMIN_CREATE_DONE: _count, ids.ADMIN_MANAGE_DONE: _count}
MULTI_VALUE: frozenset[str] = frozenset({  # ids of multi-selects, whose value is a list
    ids.OPS_OBS_SERIOUSNESS, ids.OPS_SESSION_VACCINES, ids.OPS_SESSION_LOTS,
    ids.OPS_SESSION_STAFF, ids.OPS_INVITE_GROUPS, ids.OPS_AEFI_NEW_SYMPTOMS,
    ids.OPS_AEFI_NEW_SERIOUSNESS,
})
# The portal's citizen pages' checklists (callbacks.portal.self_report, .declaration).
MULTI_VALUE = MULTI_VALUE | {ids_portal.SR_REACTIONS, ids_portal.SR_HOSPITAL,
                             ids_portal.DC_SYMPTOMS}

MESSAGES: dict[str, str] = {
    "bad_request": "The request is not a Dash callback request.",
    "bad_item": "Each input and state must be an object with id, property and value.",
    "not_a_count": "A click or tick count must be a whole number from 0.",
    "not_a_date": "A date must be written YYYY-MM-DD.",
    "bad_text": "Text must be at most 2,000 characters, without NUL or lone surrogates.",
    "bad_number": "A number must be finite and at most 2^53.",
    "not_a_scalar": "This value must be text, a number, true/false or empty.",
    "too_many_items": "A list may hold at most 500 items.",
    "too_deep": "Nested values may go at most 6 levels deep.",
    "too_large": "A value may hold at most 5,000 items in all.",
    "bad_object": "Object keys must be short text.",
    "bad_id": "A component id must be short text or an object of short values.",
    "bad_version": "The data version must be 'number@date'.",
    "bad_lang": "The language must be a short code such as 'vi' or 'en'.",
    "bad_path": "A path must start with '/'.",
    "bad_event": "A chart event must be an object with a list of points.",
    "bad_area": "A chosen area must be {province, denied}.",
    "bad_upload": "An uploaded file must be a base64 data URL within the request size limit.",
}


def _items(body: dict[str, Any]) -> list[Any] | None:
    items: list[Any] = []
    for key in ("inputs", "state"):
        part = body.get(key, [])
        if not isinstance(part, list) or len(part) > MAX_ITEMS:
            return None
        for entry in part:  # pattern-matching (ALL) slots are lists of items
            items.extend(entry if isinstance(entry, list) else [entry])
    return items if len(items) <= MAX_NODES else None


def _outputs_in_shape(output: str, outputs: Any) -> bool:
    # Dash takes a list of outputs to mean a multi-output callback: sent to a single-output
    # MATCH callback, it failed checking the return value (a 500, found by the fuzz test).
    # The renderer sends a list only for '..a.b...c.d..' (several outputs) or an ALL wildcard.
    if outputs is None:
        return True
    if output.startswith(".."):
        return isinstance(outputs, list) and len(outputs) == output.count("...") + 1
    return isinstance(outputs, dict) or (isinstance(outputs, list) and '"ALL' in output)


def check_item(item: Any) -> Problem | None:
    """The problem with one {id, property, value} of a request, if any."""
    if not isinstance(item, dict) or not isinstance(item.get("property"), str):
        return Problem("", "bad_item", MESSAGES["bad_item"])
    cid, prop = item.get("id"), item["property"]
    if _component_id(cid):
        return Problem(str(cid)[:80], "bad_id", MESSAGES["bad_id"])
    field = f"{cid if isinstance(cid, str) else sorted(cid.items())}.{prop}"[:120]
    if len(prop) > 100:
        return Problem(field, "bad_item", MESSAGES["bad_item"])
    value = item.get("value")
    if prop == "id":  # the renderer sends a component's own id as the value of its 'id'
        code = None if value == cid else "bad_id"
    elif prop == "value" and isinstance(cid, str) and cid in MULTI_VALUE:  # a dict: unhashable
        code = _value(value)
    else:
        check = (STORE_CHECKS.get(cid) if isinstance(cid, str) and prop == "data" else None
                 ) or PROPERTY_CHECKS.get(prop, _json)
        code = check(value)
    return Problem(field, code, MESSAGES[code]) if code else None


def check_request(body: Any) -> Problem | None:
    """The first problem of a callback request's body, or None when every value is in shape."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return Problem("", "bad_request", MESSAGES["bad_request"])
    if _json(body.get("outputs")) or _json(body.get("changedPropIds", [])):
        return Problem("outputs", "bad_request", MESSAGES["bad_request"])
    if not _outputs_in_shape(body["output"], body.get("outputs")):
        return Problem("outputs", "bad_request", MESSAGES["bad_request"])
    items = _items(body)
    if items is None:
        return Problem("inputs", "too_many_items", MESSAGES["too_many_items"])
    return next((p for p in map(check_item, items) if p), None)
