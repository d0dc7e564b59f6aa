"""Screening desk: the queue of people checked in today and not yet screened -> the checklist
of the rule set in force for them, generated from its data -> the outcome it computes, live
-> the clinician's decision, saved through data.ops.commands.screening.record_screening.

The queue and the form are read through data.ops.queries.screening_queue with the signed-in
principal (scope checked there); the outcome comes from the rule set (evaluate), never from
code here. Keyboard glue (queue numbers, C/K answers, Enter) lives in assets/ops_screening.js.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from callbacks.ops.checkin import desk_facility
from callbacks.ops.screening_form import (
    DECISION_ERROR,
    MAX_REASON,
    NO,
    REASON_ERROR,
    YES,
    outcome_text,
    screening_form,
)
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_int, fmt_time, has_text, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.clock import local_today
from data.command_errors import OpsError, Problem
from data.ops.commands.screening import record_screening
from data.ops.queries.screening_queue import Waiting, screening_queue, waiting_one
from data.ops.rules.screening import RuleSet, rule_sets
from data.ops.rules.screening_draft import evaluate_draft
from data.services import Services

FACILITY_ERROR = ids.field_error(ids.OPS_SCREENING_FACILITY)
QUEUE_ERROR = ids.field_error(ids.OPS_SCREENING_QUEUE)
ANSWERS = {YES: True, NO: False}
DECISION_NEEDED = N_("ops.screening.decision_needed")
REASON_TEXT, REASON_LONG = N_("ops.screening.reason_text"), N_("ops.screening.reason_long")
REFUSED = N_("ops.screening.refused")  # a refusal whose code the catalogs lack
MAX_FACILITY = 32   # facility codes are short; anything longer is no code


def _source() -> str:
    return (request.remote_addr if has_request_context() else None) or "unknown"


def _text(code: str, lang: str, detail: str = "") -> str:
    """A refusal's message id in `lang` (a generic one when the catalogs lack it)."""
    return t(code if has_text(code) else REFUSED, lang, detail=detail)


def facility_of(principal: Principal, typed: object) -> str | None:
    """The facility whose queue the desk shows: the one typed (officers), else the user's
    own (facility staff). The data layer decides whether the user may see it."""
    text = typed.strip().upper() if isinstance(typed, str) else ""
    return text[:MAX_FACILITY + 1] if text else desk_facility(principal)


def rule_set_by_id(rule_set_id: object) -> RuleSet | None:
    """The shipped rule set with this id (None for anything else)."""
    return next((s for s in rule_sets() if s.id == rule_set_id), None)


# -- the queue ---------------------------------------------------------------------------

def _local_time(at: dt.datetime, tz: str) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # SQLite drops the zone
    return fmt_time(aware.astimezone(ZoneInfo(tz)))[:5]


def queue_option(w: Waiting, lang: str, tz: str) -> dict[str, Any]:
    """One radio of the queue: its arrival number first (what the desk types)."""
    sex = CODE_KEYS["sex"].get(w.sex)
    facts = [f"{w.id_type} {w.person_id}", t("ops.screening.age", lang, age=w.age_years),
             t(sex, lang) if sex else w.sex, _local_time(w.checked_in_at, tz)]
    if w.rule_set_id is None:
        facts.append(_text(w.rule_set_problem, lang))
    label = html.Span(
        [html.B(str(w.number), className="ops-queue-number"),
         html.Span(w.full_name or w.person_id, className="ops-queue-name"),
         html.Span(" · ".join(facts), className="ops-queue-facts")],
        className="ops-queue-label", **{"data-number": str(w.number)})
    return {"label": label, "value": w.checkin_id}


def queue_view(services: Services, principal: Principal, lang: str | None, typed: object,
               today: dt.date) -> tuple[list[dict[str, Any]], str | None, str, str]:
    """(options, the one selected, the line above the queue, the facility field's error)."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return [], None, "", t("ops.denied", lang)
    facility = facility_of(principal, typed)
    if facility is None:
        return [], None, "", t("ops.screening.facility_needed", lang)
    if len(facility) > MAX_FACILITY:
        return [], None, "", t("session.facility_unknown", lang, detail=facility[:MAX_FACILITY])
    try:
        waiting = screening_queue(services.engine, principal, _source(), facility, today)
    except Forbidden:
        return [], None, "", t("ops.screening.facility_denied", lang, facility=facility)
    except OpsError as err:
        return [], None, "", problem_message(err.problems[0], lang)
    options = [queue_option(w, lang, services.settings.timezone) for w in waiting]
    info = t("ops.screening.waiting", lang, n=fmt_int(len(waiting), lang), facility=facility)
    return options, (waiting[0].checkin_id if waiting else None), info, ""


def open_form(services: Services, principal: Principal, lang: str | None, typed: object,
              checkin_id: object, today: dt.date
              ) -> tuple[list[Component] | str, dict[str, str] | None, str]:
    """(the form or a hint, the open subject, the error beside the queue)."""
    lang = norm_lang(lang)
    empty = t("ops.screening.pick", lang)
    if not principal.has(*OPERATIONS_ROLES):
        return empty, None, t("ops.denied", lang)
    facility = facility_of(principal, typed)
    if not isinstance(checkin_id, str) or not checkin_id or len(checkin_id) > 64:
        return empty, None, t("ops.screening.pick_first", lang)
    if facility is None or len(facility) > MAX_FACILITY:
        return empty, None, t("ops.screening.facility_needed", lang)
    try:
        w = waiting_one(services.engine, principal, _source(), facility, today, checkin_id)
    except Forbidden:
        return empty, None, t("ops.screening.facility_denied", lang, facility=facility)
    except OpsError as err:
        return empty, None, problem_message(err.problems[0], lang)
    rule_set = rule_set_by_id(w.rule_set_id)
    if rule_set is None:
        return empty, None, _text(w.rule_set_problem, lang)
    subject = {"checkin_id": w.checkin_id, "rule_set_id": rule_set.id, "facility": facility,
               "name": w.full_name or w.person_id}
    return screening_form(w, rule_set, lang), subject, ""


# -- what the form holds -----------------------------------------------------------------

def _key(entry: Mapping[str, Any], name: str) -> str | None:
    cid = entry.get("id")
    key = cid.get(name) if isinstance(cid, dict) else None
    return key if isinstance(key, str) else None


def parse_vital(value: object) -> float | None | str:
    """A typed vital as a number (a decimal comma is fine), None when empty, or the message id
    of why it is no number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "screening.vital_value"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,4}([.,]\d{1,2})?\s*", value):
        return float(value.strip().replace(",", "."))
    return "screening.vital_value"


def form_values(items: Sequence[Mapping[str, Any]], vitals: Sequence[Mapping[str, Any]]
                ) -> tuple[dict[str, Any], dict[str, float], list[Problem]]:
    """(answers, vitals, problems) of the form as the request sent it: Có/Không become
    True/False, anything else is passed on for the rules to refuse; unreadable vitals are
    problems beside their field."""
    answers: dict[str, Any] = {}
    for entry in items:
        key, value = _key(entry, "item"), entry.get("value")
        if key is not None and value is not None:
            answers[key] = ANSWERS.get(value, value) if isinstance(value, str) else value
    measured: dict[str, float] = {}
    problems = []
    for entry in vitals:
        key = _key(entry, "vital")
        if key is None:
            continue
        number = parse_vital(entry.get("value"))
        if isinstance(number, str):
            problems.append(Problem(key, number))
        elif number is not None:
            measured[key] = number
    return answers, measured, problems


def live_outcome(subject: object, items: Sequence[Mapping[str, Any]],
                 vitals: Sequence[Mapping[str, Any]], lang: str | None
                 ) -> tuple[Component | str, str | None]:
    """(the outcome so far in words, its code) while the form is filled in."""
    lang = norm_lang(lang)
    rule_set = rule_set_by_id(subject.get("rule_set_id") if isinstance(subject, dict) else None)
    if rule_set is None:
        return "", None
    answers, measured, _ = form_values(items, vitals)
    draft = evaluate_draft(rule_set, answers, measured)
    outcome = draft.screening.outcome
    names = {i.id: f"{i.number} {getattr(i.text, lang)}".strip() for i in rule_set.items}
    names |= {v.id: getattr(v.text, lang) for v in rule_set.vitals}
    because = [names.get(r.id, r.id) + (f" ({r.value:g} {r.bound})" if r.source == "vital"
                                        and r.value is not None else "")
               for r in draft.screening.reasons]
    lines: list[Component] = [
        html.P([t("ops.screening.computed", lang), " ",
                html.Strong(outcome_text(outcome, lang),
                            className=f"ops-outcome ops-outcome-{outcome.value.lower()}")])]
    if because:
        lines.append(html.P(t("ops.screening.because", lang, reasons="; ".join(because)),
                            className="panel-hint"))
    missing = []
    if draft.unanswered:
        missing.append(t("ops.screening.unanswered", lang, n=len(draft.unanswered)))
    if draft.unmeasured:
        missing.append(t("ops.screening.unmeasured", lang, vitals=", ".join(
            names.get(v, v) for v in draft.unmeasured)))
    if missing:
        lines.append(html.P(" · ".join(missing), className="ops-screen-provisional"))
    return html.Div(lines), outcome.value


def follow_decision(decision: object, previous: object, computed: str | None) -> object:
    """The decision field follows the computed outcome until the clinician picks another."""
    if decision is None or decision == previous:
        return computed
    return dash.no_update


# -- saving ------------------------------------------------------------------------------

def save(services: Services, principal: Principal, lang: str | None, subject: object,
         items: Sequence[Mapping[str, Any]], vitals: Sequence[Mapping[str, Any]],
         decision: object, reason: object, today: dt.date) -> dict[str, Any]:
    """Record the screening; returns {"ok", "status", field -> message} of the attempt."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return {"ok": False, "status": t("ops.denied", lang)}
    if not isinstance(subject, dict) or not isinstance(subject.get("checkin_id"), str) \
            or not isinstance(subject.get("facility"), str):
        return {"ok": False, "status": t("ops.screening.pick_first", lang)}
    answers, measured, problems = form_values(items, vitals)
    if decision is None or decision == "":
        problems.append(Problem("final_decision", DECISION_NEEDED))
    if reason is not None and not isinstance(reason, str):
        problems.append(Problem("decision_reason", REASON_TEXT))
    elif isinstance(reason, str) and len(reason) > MAX_REASON:
        problems.append(Problem("decision_reason", REASON_LONG))
    if problems:
        return _refused(problems, lang)
    try:
        # Still waiting here today (not screened meanwhile by another desk), then record.
        waiting_one(services.engine, principal, _source(), subject["facility"], today,
                    subject["checkin_id"])
        done = record_screening(services.engine, principal, _source(), subject["checkin_id"],
                                answers, measured, str(decision)[:40], reason or "")
    except Forbidden:
        return {"ok": False, "status": t("ops.screening.facility_denied", lang,
                                         facility=str(subject["facility"])[:MAX_FACILITY])}
    except OpsError as err:
        return _refused(list(err.problems), lang)
    name = subject.get("name") if isinstance(subject.get("name"), str) else ""
    return {"ok": True, "status": t("ops.screening.saved", lang, name=name,
                                    outcome=outcome_text(done.final_decision, lang))}


def _refused(problems: Sequence[Problem], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": False, "status": t("ops.screening.not_saved", lang)}
    for p in problems:
        out.setdefault(p.field, problem_message(p, lang))
    return out


def _beside(result: Mapping[str, Any], outputs: Sequence[Mapping[str, Any]], name: str
            ) -> tuple[list[str], set[str]]:
    keys = [_key(o, name) for o in outputs]
    return [result.get(k, "") if k else "" for k in keys], {k for k in keys if k}


def register(app: dash.Dash, services: Services) -> None:
    """Attach the queue, form, live outcome, save and focus callbacks to `app`."""
    items_all = {"type": ids.OPS_SCREENING_ITEM, "item": ALL}
    vitals_all = {"type": ids.OPS_SCREENING_VITAL, "vital": ALL}

    @app.callback(
        Output(ids.OPS_SCREENING_QUEUE, "options"), Output(ids.OPS_SCREENING_QUEUE, "value"),
        Output(ids.OPS_SCREENING_QUEUE_INFO, "children"), Output(FACILITY_ERROR, "children"),
        Output(ids.OPS_SCREENING_FOCUS, "data"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_SCREENING_FACILITY, "value"),
        Input(ids.OPS_SCREENING_REFRESH, "n_clicks"), Input(ids.OPS_SCREENING_SAVED, "data"))
    def _queue(lang: str | None, typed: object, _n: int | None, _saved: object
               ) -> tuple[list, str | None, str, str, dict[str, Any]]:
        options, first, info, error = queue_view(services, current_principal(), lang, typed,
                                                 local_today(services))
        return options, first, info, error, {
            "to": ids.OPS_SCREENING_FACILITY if error else "queue", "n": _saved or 0}

    @app.callback(
        Output(ids.OPS_SCREENING_FORM, "children"), Output(ids.OPS_SCREENING_SUBJECT, "data"),
        Output(QUEUE_ERROR, "children"), Output(ids.OPS_SCREENING_STATUS, "children"),
        Output(ids.OPS_SCREENING_FOCUS, "data", allow_duplicate=True),
        Input(ids.OPS_SCREENING_OPEN, "n_clicks"), State(ids.OPS_SCREENING_QUEUE, "value"),
        State(ids.OPS_SCREENING_FACILITY, "value"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _open(n: int | None, checkin_id: object, typed: object, lang: str | None
              ) -> tuple[Any, Any, str, str, dict[str, Any]]:
        form, subject, error = open_form(services, current_principal(), lang, typed,
                                         checkin_id, local_today(services))
        return form, subject, error, "", {"to": "form" if subject else "queue", "n": n or 0}

    @app.callback(
        Output(ids.OPS_SCREENING_OUTCOME, "children"), Output(ids.OPS_SCREENING_DECISION, "value"),
        Output(ids.OPS_SCREENING_COMPUTED, "data"),
        Input(items_all, "value"), Input(vitals_all, "value"),
        State(ids.OPS_SCREENING_SUBJECT, "data"), State(ids.OPS_SCREENING_DECISION, "value"),
        State(ids.OPS_SCREENING_COMPUTED, "data"), State(ids.SHELL_LANG, "data"))
    def _live(_items: list, _vitals: list, subject: object, decision: object,
              previous: object, lang: str | None) -> tuple[Any, object, str | None]:
        current_principal()  # authenticated first, though nothing is read
        items, vitals = dash.ctx.inputs_list[0], dash.ctx.inputs_list[1]
        shown, computed = live_outcome(subject, items, vitals, lang)
        return shown, follow_decision(decision, previous, computed), computed

    @app.callback(
        Output({"type": ids.OPS_SCREENING_ITEM_ERROR, "item": ALL}, "children"),
        Output({"type": ids.OPS_SCREENING_VITAL_ERROR, "vital": ALL}, "children"),
        Output(DECISION_ERROR, "children"), Output(REASON_ERROR, "children"),
        Output(ids.OPS_SCREENING_STATUS, "children", allow_duplicate=True),
        Output(ids.OPS_SCREENING_SAVED, "data"),
        Output(ids.OPS_SCREENING_FORM, "children", allow_duplicate=True),
        Output(ids.OPS_SCREENING_SUBJECT, "data", allow_duplicate=True),
        Input(ids.OPS_SCREENING_SAVE, "n_clicks"),
        State(items_all, "value"), State(vitals_all, "value"),
        State(ids.OPS_SCREENING_DECISION, "value"), State(ids.OPS_SCREENING_REASON, "value"),
        State(ids.OPS_SCREENING_SUBJECT, "data"), State(ids.OPS_SCREENING_SAVED, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _save(n: int | None, _items: list, _vitals: list, decision: object, reason: object,
              subject: object, saved: object, lang: str | None) -> tuple[Any, ...]:
        principal = current_principal()
        if not n:
            raise PreventUpdate
        items, vitals = dash.ctx.states_list[0], dash.ctx.states_list[1]
        result = save(services, principal, lang, subject, items, vitals, decision, reason,
                      local_today(services))
        item_errors, item_keys = _beside(result, dash.ctx.outputs_list[0], "item")
        vital_errors, vital_keys = _beside(result, dash.ctx.outputs_list[1], "vital")
        status = result["status"]
        # A problem of no field shown here (an id the form does not have, the check-in) is
        # told in the status line.
        others = [v for k, v in result.items() if k not in (
            "ok", "status", "final_decision", "decision_reason", *item_keys, *vital_keys)]
        shown_beside = any(item_errors) or any(vital_errors) or any(
            result.get(k) for k in ("final_decision", "decision_reason"))
        if others:
            status = " ".join([status, *others] if shown_beside else others)
        if not result["ok"]:
            return (item_errors, vital_errors, result.get("final_decision", ""),
                    result.get("decision_reason", ""), status, dash.no_update,
                    dash.no_update, dash.no_update)
        count = (saved if isinstance(saved, int) and not isinstance(saved, bool) else 0) + 1
        return (item_errors, vital_errors, "", "", status, count,
                t("ops.screening.pick", lang), None)

    app.clientside_callback(
        ClientsideFunction(namespace="vx", function_name="screeningFocus"),
        Output(ids.OPS_SCREENING_FOCUSED, "data"), Input(ids.OPS_SCREENING_FOCUS, "data"))
