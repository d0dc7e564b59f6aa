"""Observation board: today's people of the desk's facility in their 30 minutes, released with
one key; "Reaction" opens a short AEFI form pre-filled with the dose.

The board comes from data.ops.observation_board and the actions from
data.ops.commands.observation, with the signed-in principal: scope is checked there. The
countdown ticks in the browser (assets/ops_observation.js) from each row's release time and
the server's clock sent with the board, so no request is made each second.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from flask import has_request_context, request

from callbacks.ops.checkin import desk_facility
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, has_text, norm_lang, t
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.catalog import OUTCOMES, SERIOUSNESS
from data.command_errors import OpsError, Problem
from data.ops.commands.observation import Reaction, record_reaction, release
from data.ops.observation_board import UnderObservation, observation_board
from data.services import Services

COLUMNS = (N_("ops.obs.col.name"), N_("ops.obs.col.dose"), N_("ops.obs.col.given"),
           N_("ops.obs.col.left"), N_("ops.obs.col.action"))
SERIOUSNESS_KEYS = {
    "DEATH": N_("ops.obs.seriousness.DEATH"),
    "LIFE_THREATENING": N_("ops.obs.seriousness.LIFE_THREATENING"),
    "HOSPITALISATION": N_("ops.obs.seriousness.HOSPITALISATION"),
    "DISABILITY": N_("ops.obs.seriousness.DISABILITY"),
    "CONGENITAL_ANOMALY": N_("ops.obs.seriousness.CONGENITAL_ANOMALY"),
    "MEDICALLY_IMPORTANT": N_("ops.obs.seriousness.MEDICALLY_IMPORTANT"),
}
# The form's fields, in the order the errors are returned (each shown beside its field).
FORM_FIELDS = (ids.OPS_OBS_SYMPTOMS, ids.OPS_OBS_SEVERITY, ids.OPS_OBS_SERIOUSNESS,
               ids.OPS_OBS_ONSET, ids.OPS_OBS_OUTCOME)
# Command field -> form field.
FIELD_OF = {"symptoms": ids.OPS_OBS_SYMPTOMS, "severity": ids.OPS_OBS_SEVERITY,
            "seriousness": ids.OPS_OBS_SERIOUSNESS, "onset_at": ids.OPS_OBS_ONSET,
            "reported_at": ids.OPS_OBS_ONSET, "outcome": ids.OPS_OBS_OUTCOME}
ONSET_BAD = N_("ops.obs.onset_bad")
MAX_SYMPTOMS = 1000


def _source() -> str:
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def _kind(kind: str, number: int, lang: str) -> str:
    key = CODE_KEYS["dose_kind"].get(kind)
    return f"{t(key, lang) if key else kind} {number}"


def _clock(moment: dt.datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%H:%M")


def problem_text(problem: Problem, lang: str) -> str:
    """A command's problem in `lang`: our codes from the catalogs; an AEFI rule's as the
    command worded it (the reject report's reason)."""
    if has_text(problem.code):
        return t(problem.code, lang, detail=problem.detail)
    return problem.detail or t("ops.obs.refused", lang)


def dose_label(p: UnderObservation, lang: str, tz: str) -> str:
    """One line naming the dose: who, which vaccine and dose, given when."""
    return (f"{p.full_name} · {p.vaccine_code} {_kind(p.dose_kind, p.dose_number, lang)} · "
            f"{t('ops.obs.given_at', lang, time=_clock(p.administered_at, tz))}")


def _ms(moment: dt.datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def _row(p: UnderObservation, lang: str, tz: str, now: dt.datetime) -> html.Tr:
    due = now >= p.release_at
    # The buttons first, so they line up whether or not a row still needs a reason.
    actions: list[Component] = [
        html.Button(t("ops.obs.release", lang), id=ids.obs_row(ids.OPS_OBS_RELEASE, p.record_id),
                    n_clicks=0, className="form-button form-button-primary ops-obs-release",
                    **{"aria-label": t("ops.obs.release_who", lang, name=p.full_name)}),
        html.Button(t("ops.obs.reaction", lang), id=ids.obs_row(ids.OPS_OBS_REACT, p.record_id),
                    n_clicks=0, className="form-button form-button-secondary ops-obs-react",
                    **{"aria-label": t("ops.obs.reaction_who", lang, name=p.full_name)}),
    ]
    if not due:
        # An early release needs a reason (Enter in it releases too). dcc.Input takes no
        # aria-label: the label wraps it, its text for screen readers.
        actions.append(html.Label([
            html.Span(t("ops.obs.reason_for", lang, name=p.full_name), className="ops-sr-only"),
            dcc.Input(id=ids.obs_row(ids.OPS_OBS_REASON, p.record_id), type="text",
                      maxLength=500, n_submit=0, placeholder=t("ops.obs.reason", lang),
                      className="form-input ops-obs-reason")]))
    actions.append(html.Span(id=ids.obs_row(ids.OPS_OBS_ROW_ERROR, p.record_id),
                             className="form-error", role="alert"))
    return html.Tr(
        [html.Td(p.full_name, className="ops-obs-name"),
         html.Td(f"{p.vaccine_code} {_kind(p.dose_kind, p.dose_number, lang)}"),
         html.Td(_clock(p.administered_at, tz)),
         # Filled and ticked by assets/ops_observation.js; no children for React to redraw.
         html.Td(html.Span(className="ops-obs-left", **{"data-release-at": _ms(p.release_at)})),
         html.Td(html.Div(actions, className="ops-obs-actions"))],
        key=p.record_id, className="ops-obs-row" + (" ops-obs-overdue" if due else ""))


def board_view(services: Services, principal: Principal, lang: str | None,
               now: dt.datetime | None = None) -> tuple[Component, dict[str, str]]:
    """(the board, record_id -> label of each dose for the reaction form)."""
    lang = norm_lang(lang)
    tz = services.settings.timezone
    if not principal.has(*OPERATIONS_ROLES):
        return html.P(t("ops.denied", lang), role="alert"), {}
    facility = desk_facility(principal)
    if facility is None:
        return html.P(t("ops.checkin.no_facility", lang), className="panel-hint"), {}
    try:
        people = observation_board(services.engine, principal, facility, tz)
    except Forbidden:
        return html.P(t("ops.denied", lang), role="alert"), {}
    except OpsError as err:
        return html.P(problem_text(err.problems[0], lang), role="alert"), {}
    now = now or dt.datetime.now(dt.UTC)
    labels = {p.record_id: dose_label(p, lang, tz) for p in people}
    if not people:
        return html.P(t("ops.obs.empty", lang), className="panel-hint"), labels
    head = html.Tr([html.Th(t(k, lang), scope="col") for k in COLUMNS])
    # data-*: the server's clock now, and the words the countdown shows, for the browser.
    table = html.Table(
        [html.Thead(head), html.Tbody([_row(p, lang, tz, now) for p in people])],
        className="ops-obs-table", **{"data-now": _ms(now),
                                      "data-ready": t("ops.obs.ready", lang),
                                      "data-over": t("ops.obs.over", lang)})
    return table, labels


def release_one(services: Services, principal: Principal, lang: str | None, record_id: str,
                reason: object, who: str = "") -> tuple[str, str]:
    """(error beside the row, status line) of a release; `who` names the dose."""
    lang = norm_lang(lang)
    try:
        release(services.engine, principal, _source(), record_id,
                reason if isinstance(reason, str) else None)
    except Forbidden:
        return t("ops.denied", lang), ""
    except OpsError as err:
        return problem_text(err.problems[0], lang), ""
    return "", t("ops.obs.released", lang, who=who or record_id)


def form_view(label_text: str, lang: str | None, tz: str) -> list[Component]:
    """The reaction form of one dose (pre-filled: the dose, onset now, outcome recovering)."""
    lang = norm_lang(lang)

    def field(field_id: str, key: str, widget: Component) -> html.Div:
        return html.Div([html.Label(t(key, lang), htmlFor=field_id, className="form-label"),
                         widget,
                         html.P(id=ids.field_error(field_id), className="form-error",
                                role="alert")], className="form-field")

    onset = dt.datetime.now(ZoneInfo(tz)).strftime("%H:%M")
    return [
        html.H2(t("ops.obs.form_title", lang)),
        html.P(label_text, className="ops-obs-form-dose"),
        html.Div([
            field(ids.OPS_OBS_SYMPTOMS, N_("ops.obs.symptoms"), dcc.Input(
                id=ids.OPS_OBS_SYMPTOMS, type="text", autoFocus=True, maxLength=MAX_SYMPTOMS,
                n_submit=0, placeholder=t("ops.obs.symptoms_hint", lang),
                className="form-input")),
            field(ids.OPS_OBS_SEVERITY, N_("ops.obs.severity"), dcc.RadioItems(
                id=ids.OPS_OBS_SEVERITY, value="MILD", inline=True, options=[
                    {"label": t(CODE_KEYS["severity"][s], lang), "value": s}
                    for s in ("MILD", "SERIOUS")])),
            field(ids.OPS_OBS_SERIOUSNESS, N_("ops.obs.seriousness"), dcc.Checklist(
                id=ids.OPS_OBS_SERIOUSNESS, value=[], inline=True, options=[
                    {"label": t(SERIOUSNESS_KEYS[s], lang), "value": s} for s in SERIOUSNESS])),
            field(ids.OPS_OBS_ONSET, N_("ops.obs.onset"), dcc.Input(
                id=ids.OPS_OBS_ONSET, type="time", value=onset, className="form-input")),
            field(ids.OPS_OBS_OUTCOME, N_("ops.obs.outcome"), dcc.Dropdown(
                id=ids.OPS_OBS_OUTCOME, value="RECOVERING", clearable=False, options=[
                    {"label": t(CODE_KEYS["outcome"][o], lang), "value": o} for o in OUTCOMES])),
        ], className="ops-obs-fields"),
        html.Div([html.Button(t("ops.obs.submit", lang), id=ids.OPS_OBS_SUBMIT, n_clicks=0,
                              className="form-button form-button-primary"),
                  html.Button(t("ops.obs.cancel", lang), id=ids.OPS_OBS_CANCEL, n_clicks=0,
                              className="form-button form-button-secondary")],
                 className="form-actions"),
    ]


def _onset(value: object, tz: str) -> dt.datetime | None:
    """Today's HH:MM on the facility's clock as a moment; None when it is no time."""
    if not isinstance(value, str) or len(value) > 8:
        return None
    try:
        clock = dt.time.fromisoformat(value)
    except ValueError:
        return None
    zone = ZoneInfo(tz)
    return dt.datetime.combine(dt.datetime.now(zone).date(), clock, tzinfo=zone)


def submit_reaction(services: Services, principal: Principal, lang: str | None,
                    record_id: object, symptoms: object, severity: object,
                    seriousness: object, onset: object, outcome: object
                    ) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, whether the report was recorded)."""
    lang = norm_lang(lang)
    tz = services.settings.timezone
    if not isinstance(record_id, str):
        return {}, t("ops.obs.no_dose", lang), False
    when = _onset(onset, tz)
    if when is None:
        return {ids.OPS_OBS_ONSET: t(ONSET_BAD, lang)}, "", False
    text = symptoms.strip()[:MAX_SYMPTOMS] if isinstance(symptoms, str) else ""
    terms = [s for s in seriousness if isinstance(s, str)] if isinstance(seriousness, list) \
        else []
    reaction = Reaction(severity if isinstance(severity, str) else "", text,
                        outcome if isinstance(outcome, str) else "",
                        ";".join(terms[:len(SERIOUSNESS)]) or None, when)
    try:
        record_reaction(services, principal, _source(), record_id, reaction, lang)
    except Forbidden:
        return {}, t("ops.denied", lang), False
    except OpsError as err:
        errors: dict[str, str] = {}
        status = ""
        for p in err.problems:
            field = FIELD_OF.get(p.field)
            if field is None:
                status = status or problem_text(p, lang)
            else:
                errors.setdefault(field, problem_text(p, lang))
        return errors, status, False
    return {}, t("ops.obs.reaction_recorded", lang), True


def register(app: dash.Dash, services: Services) -> None:
    """Attach the board, release and reaction callbacks to `app`."""
    @app.callback(
        Output(ids.OPS_OBS_BOARD, "children"), Output(ids.OPS_OBS_ROWS, "data"),
        Input(ids.OPS_OBS_TICK, "n_intervals"), Input(ids.OPS_OBS_DONE, "data"),
        Input(ids.SHELL_LANG, "data"))
    def _board(_n: int | None, _done: object, lang: str | None) -> tuple[Component, dict]:
        return board_view(services, current_principal(), lang)

    @app.callback(
        Output({"type": ids.OPS_OBS_ROW_ERROR, "record": ALL}, "children"),
        Output(ids.OPS_OBS_STATUS, "children", allow_duplicate=True),
        Output(ids.OPS_OBS_DONE, "data", allow_duplicate=True),
        Input({"type": ids.OPS_OBS_RELEASE, "record": ALL}, "n_clicks"),
        Input({"type": ids.OPS_OBS_REASON, "record": ALL}, "n_submit"),
        State({"type": ids.OPS_OBS_REASON, "record": ALL}, "value"),
        State(ids.OPS_OBS_ROWS, "data"), State(ids.OPS_OBS_DONE, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _release(clicks: list, submits: list, reasons: list, rows: Any, done: Any,
                 lang: str | None) -> tuple[list, Any, Any]:
        principal = current_principal()
        outs = [o["id"]["record"] for o in ctx.outputs_list[0]]
        trigger = ctx.triggered_id
        fired = bool(ctx.triggered and ctx.triggered[0].get("value"))
        if not isinstance(trigger, dict) or not fired:  # rows drawn anew, nothing pressed
            return [no_update] * len(outs), no_update, no_update
        record_id = str(trigger.get("record", ""))
        by_id = {s["id"]["record"]: s.get("value") for s in ctx.states_list[0]}
        who = str(rows.get(record_id, "")) if isinstance(rows, dict) else ""
        error, status = release_one(services, principal, lang, record_id, by_id.get(record_id),
                                    who)
        errors = [error if r == record_id else "" for r in outs]
        if error:
            return errors, "", no_update
        return errors, status, (done if isinstance(done, int) else 0) + 1

    @app.callback(
        Output(ids.OPS_OBS_FORM, "children"), Output(ids.OPS_OBS_FORM, "hidden"),
        Output(ids.OPS_OBS_DOSE, "data"),
        Input({"type": ids.OPS_OBS_REACT, "record": ALL}, "n_clicks"),
        State(ids.OPS_OBS_ROWS, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _open(_clicks: list, rows: Any, lang: str | None) -> tuple[Any, Any, Any]:
        trigger = ctx.triggered_id
        fired = bool(ctx.triggered and ctx.triggered[0].get("value"))
        if not isinstance(trigger, dict) or not fired or not isinstance(rows, dict):
            return no_update, no_update, no_update
        record_id = str(trigger.get("record", ""))
        if record_id not in rows or not current_principal().has(*OPERATIONS_ROLES):
            return no_update, no_update, no_update
        return form_view(str(rows[record_id]), lang, services.settings.timezone), False, \
            record_id

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in FORM_FIELDS],
        Output(ids.OPS_OBS_STATUS, "children", allow_duplicate=True),
        Output(ids.OPS_OBS_DONE, "data", allow_duplicate=True),
        Output(ids.OPS_OBS_FORM, "hidden", allow_duplicate=True),
        Input(ids.OPS_OBS_SUBMIT, "n_clicks"), Input(ids.OPS_OBS_SYMPTOMS, "n_submit"),
        State(ids.OPS_OBS_DOSE, "data"), State(ids.OPS_OBS_SYMPTOMS, "value"),
        State(ids.OPS_OBS_SEVERITY, "value"), State(ids.OPS_OBS_SERIOUSNESS, "value"),
        State(ids.OPS_OBS_ONSET, "value"), State(ids.OPS_OBS_OUTCOME, "value"),
        State(ids.OPS_OBS_DONE, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _submit(clicks: int | None, submits: int | None, record_id: object, symptoms: object,
                severity: object, seriousness: object, onset: object, outcome: object,
                done: Any, lang: str | None) -> tuple:
        if not (clicks or submits):
            return (no_update,) * (len(FORM_FIELDS) + 3)
        errors, status, ok = submit_reaction(services, current_principal(), lang, record_id,
                                             symptoms, severity, seriousness, onset, outcome)
        texts = tuple(errors.get(f, "") for f in FORM_FIELDS)
        if not ok:
            return (*texts, status, no_update, no_update)
        return (*texts, status, (done if isinstance(done, int) else 0) + 1, True)

    @app.callback(Output(ids.OPS_OBS_FORM, "hidden", allow_duplicate=True),
                  Input(ids.OPS_OBS_CANCEL, "n_clicks"), prevent_initial_call=True)
    def _cancel(clicks: int | None) -> Any:
        return True if clicks else no_update
