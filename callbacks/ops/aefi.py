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
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import dash
from dash import Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from callbacks.ops.fields import parse_day
from callbacks.ops.observation import SERIOUSNESS_KEYS
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.catalog import OUTCOMES, SERIOUSNESS
from data.command_errors import OpsError, Problem
from data.ops.commands import aefi_case, aefi_staff
from data.ops.commands.aefi_staff import StaffReport
from data.ops.queries.aefi_cases import CaseDetail, CaseRow, case_detail, case_list
from data.ops.rules import aefi_terms, causality
from data.services import Services

STATUSES = ("REPORTED", "INVESTIGATED", "CLASSIFIED")
ALL = "ALL"
STATUS_KEYS = {"ALL": N_("ops.aefi.status.ALL"), "REPORTED": N_("ops.aefi.status.REPORTED"),
               "INVESTIGATED": N_("ops.aefi.status.INVESTIGATED"),
               "CLASSIFIED": N_("ops.aefi.status.CLASSIFIED")}
DATE_BAD = N_("ops.aefi.date_bad")
ONSET_BAD = N_("ops.aefi.new.onset_bad")
RECORD_NEEDED = N_("ops.aefi.new.record_needed")
MAX_ID = 64
CHANNEL_KEYS = {"PORTAL": N_("ops.aefi.channel.PORTAL"), "APP": N_("ops.aefi.channel.APP")}

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


def _local(at: dt.datetime | None, tz: str) -> dt.datetime | None:
    if at is None:
        return None
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC
    return aware.astimezone(ZoneInfo(tz))


def fmt_moment(at: dt.datetime | None, lang: str, tz: str) -> str:
    """A moment on the local clock: its date as the UI writes dates, then hh:mm."""
    local = _local(at, tz)
    return "—" if local is None else f"{fmt_date(local.date(), lang)} {local:%H:%M}"


def status_text(status: str, lang: str) -> str:
    """A case status in words."""
    return t(STATUS_KEYS[status], lang) if status in STATUS_KEYS else status


def seriousness_text(codes: str | None, lang: str) -> str:
    """The ';'-separated seriousness criteria in words."""
    words = [t(SERIOUSNESS_KEYS[c], lang) if c in SERIOUSNESS_KEYS else c
             for c in (codes or "").split(";") if c]
    return ", ".join(words) or "—"


def outcome_text(outcome: str | None, lang: str) -> str:
    """An outcome in words."""
    key = CODE_KEYS["outcome"].get(outcome or "")
    return t(key, lang) if key else (outcome or "—")


def choices(lang: str | None) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """(status filter, symptom terms, seriousness criteria, outcomes) options in `lang`."""
    lang = norm_lang(lang)
    return ([{"label": status_text(s, lang), "value": s} for s in (*STATUSES, ALL)],
            [{"label": aefi_terms.label(c, lang), "value": c} for c in aefi_terms.CODES],
            [{"label": t(SERIOUSNESS_KEYS[s], lang), "value": s} for s in SERIOUSNESS],
            [{"label": outcome_text(o, lang), "value": o} for o in OUTCOMES])


# -- the list ----------------------------------------------------------------------------

def case_option(c: CaseRow, lang: str, tz: str) -> dict[str, Any]:
    """One radio of the list: status, onset, the dose's vaccine and lot; then the facility,
    the seriousness and the report's id."""
    label = html.Span(
        [html.Span([html.B(status_text(c.status, lang),
                           className=f"ops-aefi-status ops-aefi-{c.status.lower()}"),
                    *self_badge(c.self_reported, lang),
                    html.Span(f"{fmt_moment(c.onset_at, lang, tz)} · {c.vaccine_code or '?'} · "
                              f"{c.lot_number or '?'}", className="ops-queue-name")]),
         html.Span(" · ".join([c.facility_code, seriousness_text(c.seriousness, lang),
                               c.report_id]), className="ops-aefi-id")],
        className="ops-aefi-label")
    return {"label": label, "value": c.report_id}


def self_badge(self_reported: bool, lang: str) -> list[Component]:
    """The "self-reported" badge of a citizen's own report (data.citizen.self_report)."""
    if not self_reported:
        return []
    return [html.B(t("ops.aefi.self_reported", lang), className="ops-aefi-self")]


def self_report_text(own: dict, lang: str) -> str:
    """How a self-report came: its channel, and whether the person went to hospital."""
    channel = t(CHANNEL_KEYS.get(own["channel"], "ops.aefi.channel.PORTAL"), lang)
    text = t("ops.aefi.d.self_report", lang, channel=channel)
    return text + (" · " + t("ops.aefi.d.hospitalised", lang) if own["hospitalised"] else "")


def list_view(services: Services, principal: Principal, lang: str | None, status: object
              ) -> tuple[list[dict[str, Any]], str]:
    """(options, the line above the list) of the cases in the principal's area."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return [], t("ops.denied", lang)
    wanted = status if status in STATUSES else None
    cases = case_list(services.engine, principal, wanted)
    if not cases:
        return [], t("ops.aefi.empty", lang)
    tz = services.settings.timezone
    return [case_option(c, lang, tz) for c in cases], t("ops.aefi.count",
                                                        lang, n=fmt_int(len(cases), lang))


# -- one case ----------------------------------------------------------------------------

def _fact(key: str, value: Component | str, lang: str) -> list[Component]:
    return [html.Dt(t(key, lang)), html.Dd(value)]


def _facts(pairs: Iterable[tuple[str, Component | str]], lang: str) -> html.Dl:
    return html.Dl([part for k, v in pairs for part in _fact(k, v, lang)],
                   className="ops-aefi-facts")


def _signed(who: str, at: dt.datetime | None, lang: str, tz: str) -> html.P:
    return html.P(t("ops.aefi.d.signed", lang, who=who, at=fmt_moment(at, lang, tz)),
                  className="ops-aefi-signed")


def lot_href(vaccine_code: str, lot_number: str) -> str:
    """The trace page of a lot (pages.ops.lot)."""
    return "/ops/lot?" + urlencode({"vaccine": vaccine_code, "lot": lot_number})


def _lot_link(r: CaseRow, lang: str) -> Component | str:
    # The investigator follows the dose's lot to its stores, sessions and other cases.
    if not (r.lot_number and r.vaccine_code):
        return r.lot_number or "—"
    return html.Span([r.lot_number, " · ", dcc.Link(
        t("ops.aefi.d.trace", lang), href=lot_href(r.vaccine_code, r.lot_number),
        id=ids.OPS_AEFI_LOT_LINK, className="ops-aefi-trace")])


def detail_view(d: CaseDetail, lang: str, tz: str) -> list[Component]:
    """The case: its report and dose, then each step signed (or not yet)."""
    r = d.row
    reporter: Component | str = t("ops.aefi.d.no_reporter", lang)
    if d.self_report is not None:
        reporter = self_report_text(d.self_report, lang)
    elif d.reporter is not None:
        who = [d.reporter["reporter_name"], d.reporter["reporter_title"],
               d.reporter["reporter_phone"]]
        reporter = " · ".join(w for w in who if w) + " " + t(
            "ops.aefi.d.entered_by", lang, who=d.reporter["entered_by_name"])
    out: list[Component] = [
        html.H2([t("ops.aefi.d.case", lang, report=r.report_id), " ",
                 html.Span(status_text(r.status, lang),
                           className=f"ops-aefi-status ops-aefi-{r.status.lower()}"),
                 *self_badge(r.self_reported, lang)]),
        _facts([(N_("ops.aefi.d.dose"), f"{r.record_id} · {r.vaccine_code or '?'}"),
                (N_("ops.aefi.d.lot"), _lot_link(r, lang)),
                (N_("ops.aefi.d.given"), fmt_moment(d.administered_at, lang, tz)),
                (N_("ops.aefi.d.facility"), r.facility_code),
                (N_("ops.aefi.d.onset"), fmt_moment(r.onset_at, lang, tz)),
                (N_("ops.aefi.d.reported"), fmt_moment(r.reported_at, lang, tz)),
                (N_("ops.aefi.d.symptoms"), aefi_terms.in_language(d.symptoms, lang) or "—"),
                (N_("ops.aefi.d.seriousness"), seriousness_text(r.seriousness, lang)),
                (N_("ops.aefi.d.outcome"), outcome_text(r.outcome, lang)),
                (N_("ops.aefi.d.reporter"), reporter)], lang)]
    inv = d.investigation
    step: list[Component] = [html.H3(t("ops.aefi.d.investigation", lang))]
    if inv is None:
        step.append(html.P(t("ops.aefi.d.not_yet", lang), className="panel-hint"))
    else:
        day = fmt_date(inv["investigated_on"], lang)
        step += [_facts([(N_("ops.aefi.d.investigated_on"), day),
                         (N_("ops.aefi.d.findings"), inv["findings"] or "—")], lang),
                 _signed(inv["investigated_by_name"], inv["investigation_signed_at"], lang, tz)]
    council = d.council
    step.append(html.H3(t("ops.aefi.d.council", lang)))
    if council is None:
        step.append(html.P(t("ops.aefi.d.not_yet", lang), className="panel-hint"))
    else:
        code = council["causality"]
        step += [_facts([(N_("ops.aefi.d.causality"), causality.label(code, lang)
                          if code in causality.BY_CODE else code),
                         (N_("ops.aefi.d.decided_on"),
                          fmt_date(council["council_decided_on"], lang)),
                         (N_("ops.aefi.d.note"), council["council_note"] or "—")], lang),
                 _signed(council["classified_by_name"], council["classification_signed_at"],
                         lang, tz)]
    return [*out, html.Div(step, className="ops-aefi-steps")]


def _field(field_id: str, key: str, widget: Component, lang: str, width: str = "") -> html.Div:
    return html.Div([html.Label(t(key, lang), htmlFor=field_id, className="form-label"), widget,
                     html.P(id=ids.field_error(field_id), className="form-error", role="alert",
                            **{"aria-live": "assertive"})],
                    className=f"form-field {width}".strip())


def _day_input(field_id: str) -> dcc.Input:
    # Plain text, as the sessions page's days: a native date input steps through its parts.
    return dcc.Input(id=field_id, type="text", inputMode="numeric", placeholder="dd/mm/yyyy",
                     maxLength=10, autoComplete="off", n_submit=0, className="form-input")


def _submit(button_id: str, key: str, lang: str) -> list[Component]:
    return [html.Button(t(key, lang), id=button_id, n_clicks=0, type="button",
                        className="form-button form-button-primary"),
            html.P(id=ids.field_error(button_id), className="form-error", role="alert",
                   **{"aria-live": "assertive"})]


def investigation_form(lang: str, today: dt.date) -> html.Fieldset:
    """The district officer's investigation form: the date (today by default), findings."""
    day = _day_input(ids.OPS_AEFI_INV_DATE)
    day.value = f"{today:%d/%m/%Y}"
    return html.Fieldset([
        html.Legend(t("ops.aefi.inv.title", lang)),
        _field(ids.OPS_AEFI_INV_DATE, N_("ops.aefi.inv.date"), day, lang, "ops-field-day"),
        _field(ids.OPS_AEFI_INV_FINDINGS, N_("ops.aefi.inv.findings"), dcc.Textarea(
            id=ids.OPS_AEFI_INV_FINDINGS, value="", maxLength=aefi_case.MAX_TEXT, rows=4,
            className="form-input ops-aefi-text"), lang),
        *_submit(ids.OPS_AEFI_INV_SUBMIT, N_("ops.aefi.inv.submit"), lang)],
        className="ops-aefi-form")


def classification_form(lang: str, today: dt.date) -> html.Fieldset:
    """The provincial council's form: the WHO causality category, the decision date, a note."""
    day = _day_input(ids.OPS_AEFI_CLS_DATE)
    day.value = f"{today:%d/%m/%Y}"
    return html.Fieldset([
        html.Legend(t("ops.aefi.cls.title", lang)),
        _field(ids.OPS_AEFI_CLS_CAUSALITY, N_("ops.aefi.cls.causality"), dcc.RadioItems(
            id=ids.OPS_AEFI_CLS_CAUSALITY, value=None, className="form-radios ops-aefi-causality",
            labelClassName="form-radio",
            options=[{"label": causality.label(c, lang), "value": c}
                     for c in causality.CODES]), lang),
        _field(ids.OPS_AEFI_CLS_DATE, N_("ops.aefi.cls.date"), day, lang, "ops-field-day"),
        _field(ids.OPS_AEFI_CLS_NOTE, N_("ops.aefi.cls.note"), dcc.Textarea(
            id=ids.OPS_AEFI_CLS_NOTE, value="", maxLength=aefi_case.MAX_TEXT, rows=3,
            className="form-input ops-aefi-text"), lang),
        *_submit(ids.OPS_AEFI_CLS_SUBMIT, N_("ops.aefi.cls.submit"), lang)],
        className="ops-aefi-form")


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
