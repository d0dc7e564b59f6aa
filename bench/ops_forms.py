"""The forms of bench.ops_write's "forms" mode: each step of a walk-in's dose fired through
/_dash-update-component callback by callback, as the pages fire them for a desk that works
by keyboard (tests/e2e/test_ops_day_keyboard.py):

- search: the CCCD scanned into the check-in page's field, Enter; nobody has it, so the
  walk-in form opens with the number filled in;
- checkin: the walk-in form (name, birth date, sex, phone), Enter in the phone field;
- screening: the screening page's queue refreshed, the person opened, every item answered
  Không and the vitals typed (the page computes the outcome live and the decision follows
  it), Save;
- injection: the injection page's list refreshed, the person chosen (the form opens with the
  suggested lot, the proposed dose, the left arm and its record_id), Enter.

What a callback needs from an earlier one (the number the search put into the walk-in form,
the check-in id among the queue's and the list's options, the checklist's item and vital ids,
the form's subject, lot, dose and record_id) is taken from that callback's answer, as the
page holds it; nothing is read from the database. A refusal raises StepError with the words
the page shows beside its fields or in its status line.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.dash_protocol import Matched
from bench.ops_desks import VITALS, Desk, Person
from callbacks.ops.arrival import SESSION_ERROR, WALKIN_FIELDS
from callbacks.ops.injection import ERROR_FIELDS
from callbacks.shared import ids
from callbacks.shared.i18n import t

LANG = "vi"
Values = dict[tuple[str, str], Any]
Response = dict[str, dict[str, Any]]


class StepError(Exception):
    """A step refused or failed: `key` groups it in the report, `sample` shows one."""

    def __init__(self, key: str, sample: str) -> None:
        super().__init__(key)
        self.key, self.sample = key, sample


@dataclass
class Dose:
    """One walk-in's way through the desk: what the steps learn about it on the way."""

    person: Person
    today: dt.date
    checkin_id: str = ""
    answered: float = 0.0  # perf_counter when the injection's answer came back
    held: dict[str, Any] = field(default_factory=dict)  # what the pages hold from answers


@dataclass(frozen=True)
class FormCall:
    """One callback of a step: its name in the report, the "id.property" of an output only
    it has (finds it in /_dash-dependencies), the "id.property" that fires it ("" when the
    callback does not read it), the input and state values the browser sends, and a check
    of the answer that raises StepError on a refusal and keeps what later calls need."""

    name: str
    output: str
    trigger: str
    values: Callable[[Desk, Dose], Values]
    check: Callable[[Response, Desk, Dose], None]


@dataclass(frozen=True)
class FormStep:
    """A step of the flow: its callbacks, in the order the page fires them."""

    calls: tuple[FormCall, ...]


def text_of(node: Any) -> str:
    """All the text of a serialised component tree (or a plain string), space-joined."""
    if isinstance(node, dict):
        return text_of(node.get("props", {}).get("children"))
    if isinstance(node, list):
        return " ".join(text_of(n) for n in node)
    return "" if node is None else str(node)


def _shown(response: Response, cid: str, prop: str = "children") -> Any:
    return response.get(cid, {}).get(prop)


def _said(response: Response, *cids: str) -> str:
    """The texts the answer shows in these components (status lines, field errors)."""
    return " | ".join(s for c in cids if (s := text_of(_shown(response, c)).strip()))


def _refused(key: str, response: Response, *cids: str) -> StepError:
    return StepError(key, _said(response, *cids) or json.dumps(response)[:300])


def pattern_ids(node: Any, kind: str) -> list[dict[str, Any]]:
    """The dict ids of `kind` in a serialised component tree, in page order."""
    found: list[dict[str, Any]] = []
    if isinstance(node, list):
        for n in node:
            found += pattern_ids(n, kind)
    elif isinstance(node, dict):
        props = node.get("props", {})
        cid = props.get("id")
        if isinstance(cid, dict) and cid.get("type") == kind:
            found.append(cid)
        for v in props.values():
            if isinstance(v, dict | list):
                found += pattern_ids(v, kind)
    return found


def _option_of(options: Any, person_id: str) -> str | None:
    """The value of the option whose label names the person's identity number."""
    for o in options or []:
        if person_id in text_of(o.get("label")):
            return str(o.get("value"))
    return None


# --- Check-in page (callbacks/ops/checkin.py, callbacks/ops/arrival.py). -----------------

_NOT_FOUND = t("ops.checkin.not_found", LANG)
SEARCH_ERROR = ids.field_error(ids.OPS_CHECKIN_SEARCH)
WALKIN_ERRORS = [ids.field_error(f) for f in dict.fromkeys(WALKIN_FIELDS.values())]


def _search_values(desk: Desk, dose: Dose) -> Values:
    # The desk scans the person's CCCD into the search field and presses Enter.
    return {(ids.OPS_CHECKIN_SEARCH, "n_submit"): 1,
            (ids.OPS_CHECKIN_SEARCH, "value"): dose.person.person_id,
            (ids.OPS_CHECKIN_SESSION, "value"): desk.session_id,
            (ids.SHELL_LANG, "data"): LANG}


def _search_check(response: Response, desk: Desk, dose: Dose) -> None:
    # A walk-in is new: "not found" is the expected answer; any other message is a refusal.
    error = text_of(_shown(response, SEARCH_ERROR))
    if error != _NOT_FOUND:
        raise StepError("search: refused", error[:200] or "found (not a walk-in)")
    if _shown(response, ids.OPS_WALKIN_PANEL, "hidden") is not False:
        raise StepError("search: no walk-in form", json.dumps(response)[:300])
    dose.held["walkin_number"] = _shown(response, ids.OPS_WALKIN_PERSON_ID, "value")


def _walkin_values(desk: Desk, dose: Dose) -> Values:
    # Keyboard: the name, Tab, the birth date, Tab, the sex (arrows), Tab, the phone, Enter.
    # The number is the one the search put in; the form's province and district are the
    # ones it preselects for the session's facility (the desk's).
    p = dose.person
    fields = {ids.OPS_WALKIN_ID_TYPE: "CCCD", ids.OPS_WALKIN_PERSON_ID: dose.held.get(
        "walkin_number"), ids.OPS_WALKIN_NAME: p.full_name,
        ids.OPS_WALKIN_BIRTH: f"{p.birth_date:%d/%m/%Y}", ids.OPS_WALKIN_SEX: p.sex,
        ids.OPS_WALKIN_PHONE: p.phone, ids.OPS_WALKIN_PROVINCE: desk.province_code,
        ids.OPS_WALKIN_DISTRICT: desk.district_code, ids.OPS_WALKIN_GROUP: 0}
    values: Values = {(f, "value"): v for f, v in fields.items()}
    values |= {(f, "n_submit"): 0 for f in (ids.OPS_WALKIN_PERSON_ID, ids.OPS_WALKIN_NAME,
                                             ids.OPS_WALKIN_BIRTH)}
    return values | {(ids.OPS_WALKIN_PHONE, "n_submit"): 1,
                     (ids.OPS_WALKIN_SUBMIT, "n_clicks"): 0,
                     (ids.OPS_CHECKIN_SESSION, "value"): desk.session_id,
                     (ids.SHELL_LANG, "data"): LANG}


def _walkin_check(response: Response, desk: Desk, dose: Dose) -> None:
    # Done: the form closes and the search field is emptied for the next scan.
    errors = _said(response, SESSION_ERROR, *WALKIN_ERRORS)
    if errors or _shown(response, ids.OPS_WALKIN_PANEL, "hidden") is not True:
        raise _refused("checkin: refused", response, ids.OPS_CHECKIN_STATUS, SESSION_ERROR,
                       *WALKIN_ERRORS)
    desk.places_left -= 1


# --- Screening page (callbacks/ops/screening.py). ----------------------------------------

FACILITY_ERROR = ids.field_error(ids.OPS_SCREENING_FACILITY)
QUEUE_ERROR = ids.field_error(ids.OPS_SCREENING_QUEUE)
DECISION_ERROR = ids.field_error(ids.OPS_SCREENING_DECISION)
REASON_ERROR = ids.field_error(ids.OPS_SCREENING_REASON)


def _queue_values(desk: Desk, dose: Dose) -> Values:
    # Facility staff leave the facility field empty: their own facility's queue.
    return {(ids.SHELL_LANG, "data"): LANG, (ids.OPS_SCREENING_FACILITY, "value"): None,
            (ids.OPS_SCREENING_REFRESH, "n_clicks"): 1, (ids.OPS_SCREENING_SAVED, "data"): 0}


def _queue_check(response: Response, desk: Desk, dose: Dose) -> None:
    if _said(response, FACILITY_ERROR):
        raise _refused("screening: queue refused", response, FACILITY_ERROR)
    found = _option_of(_shown(response, ids.OPS_SCREENING_QUEUE, "options"),
                       dose.person.person_id)
    if found is None:
        raise _refused("screening: not in the queue", response, ids.OPS_SCREENING_QUEUE_INFO)
    dose.checkin_id = found


def _open_values(desk: Desk, dose: Dose) -> Values:
    return {(ids.OPS_SCREENING_OPEN, "n_clicks"): 1,
            (ids.OPS_SCREENING_QUEUE, "value"): dose.checkin_id,
            (ids.OPS_SCREENING_FACILITY, "value"): None, (ids.SHELL_LANG, "data"): LANG}


def _open_check(response: Response, desk: Desk, dose: Dose) -> None:
    subject = _shown(response, ids.OPS_SCREENING_SUBJECT, "data")
    if not isinstance(subject, dict):
        raise _refused("screening: form refused", response, QUEUE_ERROR)
    form = _shown(response, ids.OPS_SCREENING_FORM)
    dose.held["subject"] = subject
    dose.held["items"] = pattern_ids(form, ids.OPS_SCREENING_ITEM)
    dose.held["vitals"] = pattern_ids(form, ids.OPS_SCREENING_VITAL)
    dose.held["item_errors"] = pattern_ids(form, ids.OPS_SCREENING_ITEM_ERROR)
    dose.held["vital_errors"] = pattern_ids(form, ids.OPS_SCREENING_VITAL_ERROR)
    if not dose.held["items"]:
        raise StepError("screening: form without items", json.dumps(form)[:300])


def _answers(dose: Dose) -> Values:
    # Không ("no") to every item; the vitals the checklist asks for, normal (a field it
    # has and the bench does not measure, such as the usual blood pressure, left empty).
    vitals = [(v, f"{VITALS[v['vital']]:g}" if v["vital"] in VITALS else "")
              for v in dose.held["vitals"]]
    return {(ids.OPS_SCREENING_ITEM, "value"): Matched([(i, "no")
                                                         for i in dose.held["items"]]),
            (ids.OPS_SCREENING_VITAL, "value"): Matched(vitals)}


def _live_values(desk: Desk, dose: Dose) -> Values:
    return _answers(dose) | {(ids.OPS_SCREENING_SUBJECT, "data"): dose.held["subject"],
                             (ids.OPS_SCREENING_DECISION, "value"): None,
                             (ids.OPS_SCREENING_COMPUTED, "data"): None,
                             (ids.SHELL_LANG, "data"): LANG}


def _live_check(response: Response, desk: Desk, dose: Dose) -> None:
    decision = _shown(response, ids.OPS_SCREENING_DECISION, "value")
    if decision != "ELIGIBLE":
        raise StepError(f"screening: outcome {decision}",
                        text_of(_shown(response, ids.OPS_SCREENING_OUTCOME))[:300])
    dose.held["decision"] = decision


def _save_values(desk: Desk, dose: Dose) -> Values:
    return _answers(dose) | {
        (ids.OPS_SCREENING_ITEM_ERROR, "children"): Matched(
            [(i, None) for i in dose.held["item_errors"]]),
        (ids.OPS_SCREENING_VITAL_ERROR, "children"): Matched(
            [(i, None) for i in dose.held["vital_errors"]]),
        (ids.OPS_SCREENING_SAVE, "n_clicks"): 1,
        (ids.OPS_SCREENING_DECISION, "value"): dose.held["decision"],
        (ids.OPS_SCREENING_REASON, "value"): "",
        (ids.OPS_SCREENING_SUBJECT, "data"): dose.held["subject"],
        (ids.OPS_SCREENING_SAVED, "data"): 0, (ids.SHELL_LANG, "data"): LANG}


def _save_check(response: Response, desk: Desk, dose: Dose) -> None:
    # Saved: the page counts it (the queue moves on) and closes the form.
    if _shown(response, ids.OPS_SCREENING_SAVED, "data") is None:
        beside = [c for c in response if c.startswith("{")]  # item and vital errors
        raise _refused("screening: refused", response, ids.OPS_SCREENING_STATUS,
                       DECISION_ERROR, REASON_ERROR, *beside)


# --- Injection page (callbacks/ops/injection.py). ----------------------------------------

PEOPLE_ERROR = ids.field_error(ids.OPS_INJECTION_PEOPLE)
INJECTION_ERRORS = [ids.field_error(f) for f in ERROR_FIELDS]


def _people_values(desk: Desk, dose: Dose) -> Values:
    return {(ids.SHELL_LANG, "data"): LANG, (ids.OPS_INJECTION_REFRESH, "n_clicks"): 1,
            (ids.OPS_INJECTION_DONE, "data"): None}


def _people_check(response: Response, desk: Desk, dose: Dose) -> None:
    found = _option_of(_shown(response, ids.OPS_INJECTION_PEOPLE, "options"),
                       dose.person.person_id)
    if found is None:
        raise _refused("injection: not waiting", response, PEOPLE_ERROR)
    dose.held["injection_checkin"] = found


def _form_values(desk: Desk, dose: Dose) -> Values:
    h = dose.held
    return {(ids.OPS_INJECTION_PEOPLE, "value"): h["injection_checkin"],
            (ids.OPS_INJECTION_SUBMIT, "n_clicks"): 1 if "record" in h else 0,
            (ids.OPS_INJECTION_LOT, "value"): h.get("lot"),
            (ids.OPS_INJECTION_DOSE, "value"): h.get("dose"),
            (ids.OPS_INJECTION_REASON, "value"): "",
            (ids.OPS_INJECTION_SITE, "value"): h.get("site"),
            (ids.OPS_INJECTION_RECORD, "data"): h.get("record"),
            (ids.SHELL_LANG, "data"): LANG}


def _opened_check(response: Response, desk: Desk, dose: Dose) -> None:
    # The form opens with the suggested lot (first to expire), the proposed dose, the left
    # arm and the record_id it made.
    held = {"lot": _shown(response, ids.OPS_INJECTION_LOT, "value"),
            "dose": _shown(response, ids.OPS_INJECTION_DOSE, "value"),
            "site": _shown(response, ids.OPS_INJECTION_SITE, "value"),
            "record": _shown(response, ids.OPS_INJECTION_RECORD, "data")}
    if _shown(response, ids.OPS_INJECTION_FORM, "hidden") is not False \
            or _said(response, *INJECTION_ERRORS) or None in held.values():
        raise _refused("injection: form refused", response, *INJECTION_ERRORS)
    dose.held |= held


def _given_check(response: Response, desk: Desk, dose: Dose) -> None:
    # Given: the page names the record in its status line and passes it on (the list moves).
    dose.answered = time.perf_counter()
    if _shown(response, ids.OPS_INJECTION_DONE, "data") != dose.held["record"] \
            or _said(response, *INJECTION_ERRORS):
        raise _refused("injection: refused", response, ids.OPS_INJECTION_STATUS,
                       *INJECTION_ERRORS)


FORM_STEPS: dict[str, FormStep] = {
    "search": FormStep((
        FormCall("search", f"{SEARCH_ERROR}.children", f"{ids.OPS_CHECKIN_SEARCH}.n_submit",
                 _search_values, _search_check),)),
    "checkin": FormStep((
        FormCall("checkin: walk-in form", f"{ids.field_error(ids.OPS_WALKIN_NAME)}.children",
                 f"{ids.OPS_WALKIN_PHONE}.n_submit", _walkin_values, _walkin_check),)),
    "screening": FormStep((
        FormCall("screening: queue", f"{ids.OPS_SCREENING_QUEUE_INFO}.children",
                 f"{ids.OPS_SCREENING_REFRESH}.n_clicks", _queue_values, _queue_check),
        FormCall("screening: open", f"{QUEUE_ERROR}.children",
                 f"{ids.OPS_SCREENING_OPEN}.n_clicks", _open_values, _open_check),
        # The outcome the page computes as the answers come in (read by nothing that fires).
        FormCall("screening: outcome", f"{ids.OPS_SCREENING_COMPUTED}.data", "",
                 _live_values, _live_check),
        FormCall("screening: save", f"{ids.OPS_SCREENING_SAVED}.data",
                 f"{ids.OPS_SCREENING_SAVE}.n_clicks", _save_values, _save_check))),
    "injection": FormStep((
        FormCall("injection: list", f"{PEOPLE_ERROR}.children",
                 f"{ids.OPS_INJECTION_REFRESH}.n_clicks", _people_values, _people_check),
        FormCall("injection: open", f"{ids.OPS_INJECTION_FORM}.hidden",
                 f"{ids.OPS_INJECTION_PEOPLE}.value", _form_values, _opened_check),
        FormCall("injection: give", f"{ids.OPS_INJECTION_FORM}.hidden",
                 f"{ids.OPS_INJECTION_SUBMIT}.n_clicks", _form_values, _given_check))),
}
