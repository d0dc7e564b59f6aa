"""AEFI cases: the serious cases of the user's area by status -> one case in detail -> the
step the user's role signs (a district officer's investigation, a provincial officer's
causality classification for the AEFI council); and the staff form reporting an AEFI of a
dose with the WHO core variables (issue 12, "AEFI case management").

Reads go through data.ops.queries.aefi_cases and writes through data.ops.commands.aefi_case
and aefi_staff, with the signed-in principal: scope and role are decided there, whatever the
page offered. Refusals are told beside the field they concern, in the UI language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import dash
from dash import Input, Output, State, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from callbacks.ops.aefi_view import (
    choices,
    classification_form,
    detail_view,
    investigation_form,
    list_view,
)
from callbacks.ops.fields import parse_day
from callbacks.shared import ids
from callbacks.shared.i18n import N_, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.catalog import OUTCOMES, SERIOUSNESS
from data.command_errors import OpsError, Problem
from data.ops.commands import aefi_case, aefi_staff
from data.ops.commands.aefi_staff import StaffReport
from data.ops.queries.aefi_cases import case_detail
from data.ops.rules import causality
from data.services import Services

DATE_BAD = N_("ops.aefi.date_bad")
ONSET_BAD = N_("ops.aefi.new.onset_bad")
RECORD_NEEDED = N_("ops.aefi.new.record_needed")
MAX_ID = 64

# The signing forms' fields, in the order their errors are returned; command field -> form.
INV_FIELDS = (ids.OPS_AEFI_INV_DATE, ids.OPS_AEFI_INV_FINDINGS, ids.OPS_AEFI_INV_SUBMIT)
INV_FIELD_OF = {"investigated_on": ids.OPS_AEFI_INV_DATE, "findings": ids.OPS_AEFI_INV_FINDINGS}
CLS_FIELDS = (ids.OPS_AEFI_CLS_CAUSALITY, ids.OPS_AEFI_CLS_DATE, ids.OPS_AEFI_CLS_NOTE,
              ids.OPS_AEFI_CLS_SUBMIT)
CLS_FIELD_OF = {"causality": ids.OPS_AEFI_CLS_CAUSALITY,
                "council_decided_on": ids.OPS_AEFI_CLS_DATE,
                "council_note": ids.OPS_AEFI_CLS_NOTE}
NEW_FIELDS = (ids.OPS_AEFI_NEW_RECORD, ids.OPS_AEFI_NEW_ONSET, ids.OPS_AEFI_NEW_SYMPTOMS,
              ids.OPS_AEFI_NEW_TEXT, ids.OPS_AEFI_NEW_SERIOUSNESS, ids.OPS_AEFI_NEW_OUTCOME,
              ids.OPS_AEFI_NEW_REPORTER, ids.OPS_AEFI_NEW_TITLE, ids.OPS_AEFI_NEW_PHONE,
              ids.OPS_AEFI_NEW_SUBMIT)
# The contract's rules name onset_at, reported_at and symptoms (data.ops.commands.aefi_report).
NEW_FIELD_OF = {"record_id": ids.OPS_AEFI_NEW_RECORD, "onset_at": ids.OPS_AEFI_NEW_ONSET,
                "reported_at": ids.OPS_AEFI_NEW_ONSET, "symptom_codes": ids.OPS_AEFI_NEW_SYMPTOMS,
                "symptoms": ids.OPS_AEFI_NEW_SYMPTOMS, "symptom_text": ids.OPS_AEFI_NEW_TEXT,
                "seriousness": ids.OPS_AEFI_NEW_SERIOUSNESS,
                "outcome": ids.OPS_AEFI_NEW_OUTCOME, "reporter_name": ids.OPS_AEFI_NEW_REPORTER,
                "reporter_title": ids.OPS_AEFI_NEW_TITLE,
                "reporter_phone": ids.OPS_AEFI_NEW_PHONE}



def _source() -> str:
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]



def open_case(services: Services, principal: Principal, lang: str | None, report_id: object,
              today: dt.date) -> tuple[list[Component] | Component, Component | str, str | None]:
    """(the detail, the form of the step the principal signs or nothing, the case's id)."""
    lang = norm_lang(lang)
    hint = html.P(t("ops.aefi.pick", lang), className="panel-hint")
    if not principal.has(*OPERATIONS_ROLES):
        return html.P(t("ops.denied", lang), role="alert"), "", None
    if not isinstance(report_id, str) or not report_id or len(report_id) > MAX_ID:
        return hint, "", None
    try:
        detail = case_detail(services.engine, principal, report_id)
    except Forbidden:
        return html.P(t("ops.aefi.case_denied", lang), role="alert"), "", None
    if detail is None:
        return html.P(t("ops.aefi.unknown", lang), role="alert"), "", None
    step = aefi_case.next_step(principal, detail.row.status, detail.province_code,
                               detail.row.district_code)
    form: Component | str = ""
    if step == "INVESTIGATE":
        form = investigation_form(lang, today)
    elif step == "CLASSIFY":
        form = classification_form(lang, today)
    return detail_view(detail, lang, services.settings.timezone), form, report_id


# -- signing -----------------------------------------------------------------------------

def _beside(problems: Sequence[Problem], field_of: dict[str, str], fallback: str, lang: str
            ) -> dict[str, str]:
    """field -> message; a problem of no field on the form goes beside its button."""
    errors: dict[str, str] = {}
    for p in problems:
        errors.setdefault(field_of.get(p.field, fallback), problem_message(p, lang))
    return errors


def _case_id(report_id: object) -> str | None:
    return report_id if isinstance(report_id, str) and 0 < len(report_id) <= MAX_ID else None


def sign_investigation(services: Services, principal: Principal, lang: str | None,
                       report_id: object, day: object, findings: object
                       ) -> tuple[dict[str, str], str]:
    """(field -> error, status line) of the district's investigation."""
    lang = norm_lang(lang)
    case = _case_id(report_id)
    if case is None:
        return {ids.OPS_AEFI_INV_SUBMIT: t("ops.aefi.no_case", lang)}, ""
    when = parse_day(day)
    errors = {} if when is not None else {ids.OPS_AEFI_INV_DATE: t(DATE_BAD, lang)}
    try:  # an unreadable date goes in as None: the command still checks the rest
        step = aefi_case.investigate(services, principal, _source(), case, when,  # type: ignore[arg-type]
                                     findings if isinstance(findings, str) else "")
    except Forbidden:
        return {ids.OPS_AEFI_INV_SUBMIT: t("ops.aefi.step_denied", lang)}, ""
    except OpsError as err:
        found = _beside(err.problems, INV_FIELD_OF, ids.OPS_AEFI_INV_SUBMIT, lang)
        return found | errors, t("ops.aefi.not_saved", lang)
    return {}, t("ops.aefi.inv.signed", lang, report=step.report_id)


def sign_classification(services: Services, principal: Principal, lang: str | None,
                        report_id: object, category: object, day: object, note: object
                        ) -> tuple[dict[str, str], str]:
    """(field -> error, status line) of the council's classification."""
    lang = norm_lang(lang)
    case = _case_id(report_id)
    if case is None:
        return {ids.OPS_AEFI_CLS_SUBMIT: t("ops.aefi.no_case", lang)}, ""
    when = parse_day(day)
    errors = {} if when is not None else {ids.OPS_AEFI_CLS_DATE: t(DATE_BAD, lang)}
    code = category if isinstance(category, str) else ""
    text = note if isinstance(note, str) else None
    try:  # an unreadable date goes in as None: the command still checks the rest
        step = aefi_case.classify(services, principal, _source(), case, code,
                                  when, text, lang)  # type: ignore[arg-type]
    except Forbidden:
        return {ids.OPS_AEFI_CLS_SUBMIT: t("ops.aefi.step_denied", lang)}, ""
    except OpsError as err:
        found = _beside(err.problems, CLS_FIELD_OF, ids.OPS_AEFI_CLS_SUBMIT, lang)
        return found | errors, t("ops.aefi.not_saved", lang)
    return {}, t("ops.aefi.cls.signed", lang, report=step.report_id,
                 category=causality.label(code.strip().upper(), lang))


# -- the staff report --------------------------------------------------------------------

def parse_moment(value: object, tz: str) -> dt.datetime | None:
    """'dd/mm/yyyy hh:mm' (or ISO 'yyyy-mm-dd hh:mm') on the local clock as a moment; None
    when it is neither."""
    if not isinstance(value, str) or len(value) > 20:
        return None
    found = re.fullmatch(r"\s*(\S+)\s+(\d{1,2}):(\d{2})\s*", value)
    day = parse_day(found.group(1)) if found else None
    if found is None or day is None:
        return None
    try:
        clock = dt.time(int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None
    return dt.datetime.combine(day, clock, tzinfo=ZoneInfo(tz))


def _texts(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def submit_report(services: Services, principal: Principal, lang: str | None,
                  values: dict[str, object]) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, whether recorded) of the staff form; `values` by the
    form's field ids."""
    lang = norm_lang(lang)
    tz = services.settings.timezone
    if not principal.has(*OPERATIONS_ROLES):
        return {ids.OPS_AEFI_NEW_SUBMIT: t("ops.denied", lang)}, "", False
    errors: dict[str, str] = {}
    record = values.get(ids.OPS_AEFI_NEW_RECORD)
    record = record.strip() if isinstance(record, str) else ""
    if not record:
        errors[ids.OPS_AEFI_NEW_RECORD] = t(RECORD_NEEDED, lang)
    onset = parse_moment(values.get(ids.OPS_AEFI_NEW_ONSET), tz)
    if onset is None:
        errors[ids.OPS_AEFI_NEW_ONSET] = t(ONSET_BAD, lang)
    if errors:
        return errors, t("ops.aefi.not_saved", lang), False
    outcome = values.get(ids.OPS_AEFI_NEW_OUTCOME)
    form = StaffReport(
        record_id=record, onset_at=onset,  # type: ignore[arg-type]
        symptom_codes=_texts(values.get(ids.OPS_AEFI_NEW_SYMPTOMS)),
        symptom_text=_optional(values.get(ids.OPS_AEFI_NEW_TEXT)),
        seriousness=_texts(values.get(ids.OPS_AEFI_NEW_SERIOUSNESS))[:len(SERIOUSNESS)],
        outcome=outcome if isinstance(outcome, str) else "",
        reporter_name=_optional(values.get(ids.OPS_AEFI_NEW_REPORTER)),
        reporter_title=_optional(values.get(ids.OPS_AEFI_NEW_TITLE)),
        reporter_phone=_optional(values.get(ids.OPS_AEFI_NEW_PHONE)))
    try:
        report_id = aefi_staff.report(services, principal, _source(), form, lang)
    except Forbidden:
        return {ids.OPS_AEFI_NEW_RECORD: t("ops.aefi.new.dose_denied", lang)}, "", False
    except OpsError as err:
        return (_beside(err.problems, NEW_FIELD_OF, ids.OPS_AEFI_NEW_SUBMIT, lang),
                t("ops.aefi.not_saved", lang), False)
    key = N_("ops.aefi.new.saved_serious") if form.seriousness else N_("ops.aefi.new.saved")
    return {}, t(key, lang, report=report_id), True


def _bump(done: object) -> int:
    return (done if isinstance(done, int) and not isinstance(done, bool) else 0) + 1


def register(app: dash.Dash, services: Services) -> None:
    """Attach the list, detail, signing and staff report callbacks to `app`."""
    @app.callback(
        Output(ids.OPS_AEFI_FILTER, "options"), Output(ids.OPS_AEFI_NEW_SYMPTOMS, "options"),
        Output(ids.OPS_AEFI_NEW_SERIOUSNESS, "options"),
        Output(ids.OPS_AEFI_NEW_OUTCOME, "options"), Output(ids.OPS_AEFI_NEW_OUTCOME, "value"),
        Input(ids.SHELL_LANG, "data"), State(ids.OPS_AEFI_NEW_OUTCOME, "value"))
    def _choices(lang: str | None, outcome: object) -> tuple[list, list, list, list, str]:
        current_principal()  # authenticated first, though nothing is read
        # The dropdown shows no value until its options hold it: set once they do.
        return (*choices(lang), outcome if outcome in OUTCOMES else "RECOVERING")

    @app.callback(
        Output(ids.OPS_AEFI_LIST, "options"), Output(ids.OPS_AEFI_LIST_INFO, "children"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_AEFI_FILTER, "value"),
        Input(ids.OPS_AEFI_DONE, "data"))
    def _list(lang: str | None, status: object, _done: object) -> tuple[list, str]:
        return list_view(services, current_principal(), lang, status)

    @app.callback(
        Output(ids.OPS_AEFI_DETAIL, "children"), Output(ids.OPS_AEFI_STEP, "children"),
        Output(ids.OPS_AEFI_CASE, "data"),
        Output(ids.OPS_AEFI_STEP_STATUS, "children", allow_duplicate=True),
        Input(ids.OPS_AEFI_LIST, "value"), Input(ids.OPS_AEFI_DONE, "data"),
        Input(ids.SHELL_LANG, "data"), prevent_initial_call="initial_duplicate")
    def _open(report_id: object, _done: object, lang: str | None) -> tuple[Any, Any, Any, Any]:
        tz = ZoneInfo(services.settings.timezone)
        shown = open_case(services, current_principal(), lang, report_id,
                          dt.datetime.now(tz).date())
        # A signed step's line stays under the case it was signed for, not the next one.
        signed = dash.ctx.triggered_id == ids.OPS_AEFI_DONE
        return (*shown, no_update if signed else "")

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in INV_FIELDS],
        Output(ids.OPS_AEFI_STEP_STATUS, "children", allow_duplicate=True),
        Output(ids.OPS_AEFI_DONE, "data", allow_duplicate=True),
        Input(ids.OPS_AEFI_INV_SUBMIT, "n_clicks"), Input(ids.OPS_AEFI_INV_DATE, "n_submit"),
        State(ids.OPS_AEFI_CASE, "data"), State(ids.OPS_AEFI_INV_DATE, "value"),
        State(ids.OPS_AEFI_INV_FINDINGS, "value"), State(ids.OPS_AEFI_DONE, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _investigate(clicks: int | None, submits: int | None, case: object, day: object,
                     findings: object, done: object, lang: str | None) -> tuple:
        principal = current_principal()
        if not (clicks or submits):
            raise PreventUpdate
        errors, status = sign_investigation(services, principal, lang, case, day, findings)
        texts = tuple(errors.get(f, "") for f in INV_FIELDS)
        return (*texts, status, no_update if errors else _bump(done))

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in CLS_FIELDS],
        Output(ids.OPS_AEFI_STEP_STATUS, "children", allow_duplicate=True),
        Output(ids.OPS_AEFI_DONE, "data", allow_duplicate=True),
        Input(ids.OPS_AEFI_CLS_SUBMIT, "n_clicks"), Input(ids.OPS_AEFI_CLS_DATE, "n_submit"),
        State(ids.OPS_AEFI_CASE, "data"), State(ids.OPS_AEFI_CLS_CAUSALITY, "value"),
        State(ids.OPS_AEFI_CLS_DATE, "value"), State(ids.OPS_AEFI_CLS_NOTE, "value"),
        State(ids.OPS_AEFI_DONE, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _classify(clicks: int | None, submits: int | None, case: object, category: object,
                  day: object, note: object, done: object, lang: str | None) -> tuple:
        principal = current_principal()
        if not (clicks or submits):
            raise PreventUpdate
        errors, status = sign_classification(services, principal, lang, case, category, day,
                                             note)
        texts = tuple(errors.get(f, "") for f in CLS_FIELDS)
        return (*texts, status, no_update if errors else _bump(done))

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in NEW_FIELDS],
        Output(ids.OPS_AEFI_NEW_STATUS, "children"),
        Output(ids.OPS_AEFI_DONE, "data", allow_duplicate=True),
        Input(ids.OPS_AEFI_NEW_SUBMIT, "n_clicks"),
        *[State(f, "value") for f in NEW_FIELDS[:-1]],
        State(ids.OPS_AEFI_DONE, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _report(clicks: int | None, *rest: Any) -> tuple:
        principal = current_principal()
        if not clicks:
            raise PreventUpdate
        *values, done, lang = rest
        errors, status, ok = submit_report(services, principal, lang,
                                           dict(zip(NEW_FIELDS[:-1], values, strict=True)))
        texts = tuple(errors.get(f, "") for f in NEW_FIELDS)
        return (*texts, status, _bump(done) if ok else no_update)
