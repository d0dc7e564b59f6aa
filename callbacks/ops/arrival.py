"""Check-in desk, second half: the session the desk works, and recording the arrival.

A person found by the search is checked in with one button (their registration gives the
birth date and sex the CCCD is checked against); a person the registry does not know is
registered as a walk-in through the short form and checked in in the same command
(data.ops.commands.checkin.record_checkin). Refusals are told beside the field they concern.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

import dash
from dash import ALL, Input, Output, State, ctx, html
from flask import has_request_context, request

from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data import admin_units, catalog
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.clock import local_today
from data.command_errors import OpsError, Problem
from data.ops.commands.checkin import PersonForm, find_person, record_checkin
from data.ops.queries.open_sessions import OpenSession, open_sessions
from data.services import Services

ID_TYPE_KEYS = {"CCCD": N_("ops.id_type.CCCD"), "CMND": N_("ops.id_type.CMND"),
                "PASSPORT": N_("ops.id_type.PASSPORT")}
# The walk-in form's fields, by the command's field names (a problem goes beside its field).
WALKIN_FIELDS: dict[str, str] = {
    "id_type": ids.OPS_WALKIN_ID_TYPE, "person_id": ids.OPS_WALKIN_PERSON_ID,
    "full_name": ids.OPS_WALKIN_NAME, "birth_date": ids.OPS_WALKIN_BIRTH,
    "sex": ids.OPS_WALKIN_SEX, "phone": ids.OPS_WALKIN_PHONE,
    "province_code": ids.OPS_WALKIN_PROVINCE, "district_code": ids.OPS_WALKIN_DISTRICT,
    "ward_code": ids.OPS_WALKIN_DISTRICT, "priority_group": ids.OPS_WALKIN_GROUP,
}
_FIELD_IDS = list(dict.fromkeys(WALKIN_FIELDS.values()))
SESSION_ERROR = ids.field_error(ids.OPS_CHECKIN_SESSION)
REQUIRED = N_("ops.walkin.required")
TOO_LONG = N_("ops.walkin.too_long")
BIRTH_FORMAT = N_("ops.walkin.birth_format")
BIRTH_RANGE = N_("ops.walkin.birth_range")
DONE = {True: N_("ops.walkin.done"), False: N_("ops.checkin.arrived")}
MAX_TEXT = 200  # no field of the form is longer; anything longer is refused, not cut
_PERSON_KEY = re.compile(r"(CCCD|CMND|PASSPORT):([A-Z0-9]{6,20})")
_BIRTH = (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), re.compile(r"(\d{2})(\d{2})(\d{4})"))


def source_address() -> str:
    """Where the request came from, for the audit log."""
    return (request.remote_addr if has_request_context() else None) or "unknown"


def session_label(s: OpenSession) -> str:
    """'07:30–11:30 · Trạm Y tế Phúc Xá (F00101) · 12/40'."""
    return (f"{s.starts_at:%H:%M}–{s.ends_at:%H:%M} · {s.facility_name} ({s.facility_code})"
            f" · {s.booked}/{s.capacity}")


def session_of(services: Services, principal: Principal, session_id: object,
               today: dt.date) -> OpenSession | None:
    """The chosen session when it is open today and the principal works it."""
    if not isinstance(session_id, str):
        return None
    return next((s for s in open_sessions(services.engine, principal, today)
                 if s.session_id == session_id), None)


def parse_birth(text: object, today: dt.date) -> dt.date | str:
    """The birth date typed as dd/mm/yyyy (or ddmmyyyy, or ISO), else the message id of
    what is wrong with it."""
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        return REQUIRED
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
        else:
            m = next((m for p in _BIRTH if (m := p.fullmatch(value))), None)
            if m is None:
                return BIRTH_FORMAT
            day = dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return BIRTH_FORMAT
    if not dt.date(1900, 1, 1) <= day <= today:
        return BIRTH_RANGE
    return day


@dataclass(frozen=True)
class Outcome:
    """What the desk shows after an attempt: the status line, errors by field id."""

    status: str = ""
    errors: Mapping[str, str] | None = None
    done: bool = False


def _refusal(err: OpsError, lang: str, fields: Mapping[str, str]) -> Outcome:
    errors: dict[str, str] = {}
    rest = []
    for p in err.problems:
        where = SESSION_ERROR if p.field == "session_id" else fields.get(p.field)
        text = problem_message(p, lang)
        if where is None:
            rest.append(text)
        else:
            key = where if where == SESSION_ERROR else ids.field_error(where)
            errors[key] = f"{errors[key]} {text}" if key in errors else text
    return Outcome(" ".join(rest) or t("ops.walkin.fix", lang), errors)


def arrive(services: Services, principal: Principal, source: str, lang: str | None,
           session_id: object, person_key: object, today: dt.date) -> Outcome:
    """Check in a person the search found, on the chosen session."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return Outcome(t("ops.denied", lang))
    key = _PERSON_KEY.fullmatch(person_key) if isinstance(person_key, str) else None
    if key is None:
        return Outcome(t("ops.refused", lang))
    session = session_of(services, principal, session_id, today)
    if session is None:
        return Outcome("", {SESSION_ERROR: t("ops.checkin.choose_session", lang)})
    id_type, number = key[1], key[2]
    try:
        found = find_person(services.engine, principal, source, session.facility_code, "id",
                            number)
        match = next((m for m in found if m.id_type == id_type and m.person_id == number),
                     None)
        if match is None:
            return Outcome(t("ops.checkin.not_found", lang))
        form = PersonForm(id_type, number, match.birth_date, match.sex, match.full_name,
                          match.phone or "", match.province_code, match.district_code,
                          match.ward_code)
        record_checkin(services.engine, principal, source, session.session_id, form,
                       lang=lang, tz=services.settings.timezone)
    except Forbidden:
        return Outcome(t("ops.denied", lang))
    except OpsError as err:
        return _refusal(err, lang, {})
    return Outcome(t("ops.checkin.arrived", lang, name=match.full_name, number=number),
                   done=True)


def walk_in(services: Services, principal: Principal, source: str, lang: str | None,
            session_id: object, values: Mapping[str, object], today: dt.date) -> Outcome:
    """Register a walk-in and check them in; every refused field is told beside it."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return Outcome(t("ops.denied", lang))
    session = session_of(services, principal, session_id, today)
    if session is None:
        return Outcome("", {SESSION_ERROR: t("ops.checkin.choose_session", lang)})
    text = {f: (v.strip() if isinstance(v, str) else "") for f, v in values.items()}
    problems = [Problem(f, TOO_LONG) for f, v in text.items() if len(v) > MAX_TEXT]
    problems += [Problem(f, REQUIRED) for f in
                 ("id_type", "person_id", "full_name", "sex", "phone", "province_code",
                  "district_code") if not text.get(f)]
    birth = parse_birth(values.get("birth_date"), today)
    if isinstance(birth, str):
        problems.append(Problem("birth_date", birth))
    group = values.get("priority_group")
    group = group if isinstance(group, int) and not isinstance(group, bool) else 0
    if problems:
        return _refusal(OpsError(problems), lang, WALKIN_FIELDS)
    assert isinstance(birth, dt.date)
    form = PersonForm(text["id_type"], text["person_id"], birth, text["sex"],
                      text["full_name"], text["phone"], text["province_code"],
                      text["district_code"], None, group)
    try:
        done = record_checkin(services.engine, principal, source, session.session_id, form,
                              lang=lang, tz=services.settings.timezone)
    except Forbidden:
        return Outcome(t("ops.denied", lang))
    except OpsError as err:
        return _refusal(err, lang, WALKIN_FIELDS)
    return Outcome(t(DONE[done.registered], lang, name=text["full_name"],
                     number=text["person_id"].upper()), done=True)


def _options(labels: Mapping[str, str], lang: str) -> list[dict[str, str]]:
    return [{"label": t(k, lang), "value": v} for v, k in labels.items()]


def register(app: dash.Dash, services: Services) -> None:
    """Attach the session choice, the arrival and the walk-in form callbacks to `app`."""

    @app.callback(
        Output(ids.OPS_CHECKIN_SESSION, "options"), Output(ids.OPS_CHECKIN_SESSION, "value"),
        Output(SESSION_ERROR, "children"), Input(ids.SHELL_LANG, "data"),
        State(ids.OPS_CHECKIN_SESSION, "value"))
    def _sessions(lang: str | None, chosen: object) -> tuple[list, str | None, str]:
        principal = current_principal()
        if not principal.has(*OPERATIONS_ROLES):
            return [], None, ""
        found = open_sessions(services.engine, principal, local_today(services))
        options = [{"label": session_label(s), "value": s.session_id} for s in found]
        if not found:
            return [], None, t("ops.checkin.no_session", lang)
        keep = chosen if any(s.session_id == chosen for s in found) else found[0].session_id
        return options, keep, ""

    @app.callback(
        Output(ids.OPS_WALKIN_ID_TYPE, "options"), Output(ids.OPS_WALKIN_SEX, "options"),
        Output(ids.OPS_WALKIN_GROUP, "options"), Output(ids.OPS_WALKIN_PROVINCE, "options"),
        Output(ids.OPS_WALKIN_PROVINCE, "value"), Output(ids.OPS_WALKIN_GROUP, "value"),
        Output(ids.OPS_WALKIN_ID_TYPE, "value"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_CHECKIN_SESSION, "value"),
        State(ids.OPS_WALKIN_PROVINCE, "value"))
    def _walkin_options(lang: str | None, session_id: object,
                        province: object) -> tuple[list, list, list, list, str | None, int, str]:
        lang = norm_lang(lang)
        groups = [{"label": f"{code} · {names[lang]}", "value": code}
                  for code, names in catalog.PRIORITY_GROUPS.items()]
        provinces = [{"label": u.name_with_type, "value": code}
                     for code, u in sorted(admin_units.provinces().items())]
        session = session_of(services, current_principal(), session_id,
                             local_today(services))
        home = province if isinstance(province, str) and province else (
            session.province_code if session else None)
        return (_options(ID_TYPE_KEYS, lang), _options(CODE_KEYS["sex"], lang), groups,
                provinces, home, 0, "CCCD")

    @app.callback(
        Output(ids.OPS_WALKIN_DISTRICT, "options"), Output(ids.OPS_WALKIN_DISTRICT, "value"),
        Input(ids.OPS_WALKIN_PROVINCE, "value"), State(ids.OPS_CHECKIN_SESSION, "value"))
    def _districts(province: object, session_id: object) -> tuple[list, str | None]:
        if not isinstance(province, str):
            return [], None
        units = sorted((code, u) for code, u in admin_units.districts().items()
                       if u.parent_code == province)
        session = session_of(services, current_principal(), session_id,
                             local_today(services))
        home = session.district_code if session and session.province_code == province else None
        return [{"label": u.name_with_type, "value": code} for code, u in units], home

    # Keyboard flow: the walk-in form, once open, takes the cursor at its first empty field
    # (the name, when the number came from the search); after an arrival the cursor is back
    # in the scanner field.
    app.clientside_callback(
        """(hidden, cls) => { if (hidden === false) { setTimeout(() => {
             const f = ['ops-walkin-person-id', 'ops-walkin-name']
               .map((i) => document.getElementById(i)).find((e) => e && !e.value);
             if (f) f.focus(); }, 0); } return cls; }""",
        Output(ids.OPS_WALKIN_PANEL, "className"), Input(ids.OPS_WALKIN_PANEL, "hidden"),
        State(ids.OPS_WALKIN_PANEL, "className"), prevent_initial_call=True)
    app.clientside_callback(
        """(status, cls) => { setTimeout(() => {
             const f = document.getElementById('ops-checkin-search');
             if (f && status) f.focus(); }, 0); return cls; }""",
        Output(ids.OPS_CHECKIN_SEARCH, "className"), Input(ids.OPS_CHECKIN_STATUS, "children"),
        State(ids.OPS_CHECKIN_SEARCH, "className"), prevent_initial_call=True)

    # A scan that finds exactly one person puts the cursor on their "Check in": scan, Enter.
    # The cards can reach the page a few frames after this runs, and be drawn again after
    # the focus was given (seen in the keyboard test: the focus left on <body>, 1 run in 8),
    # so for half a second the button takes the focus back from the page or the scan field,
    # never from a field the user moved to.
    app.clientside_callback(
        """(children, cls) => { let tries = 0; const look = () => {
             const b = document.querySelectorAll('#ops-checkin-results button');
             const at = document.activeElement;
             if (b.length === 1 && at !== b[0] && (!at || at === document.body
                 || at.id === 'ops-checkin-search')) { b[0].focus(); }
             if (children && children.length && tries++ < 20) setTimeout(look, 25); };
           setTimeout(look, 0); return cls; }""",
        Output(ids.OPS_CHECKIN_RESULTS, "className"),
        Input(ids.OPS_CHECKIN_RESULTS, "children"),
        State(ids.OPS_CHECKIN_RESULTS, "className"), prevent_initial_call=True)

    @app.callback(
        Output(ids.OPS_WALKIN_PANEL, "hidden", allow_duplicate=True),
        Input(ids.OPS_WALKIN_OPEN, "n_clicks"), prevent_initial_call=True)
    def _open(_n: int | None) -> bool:
        return False

    @app.callback(
        Output(ids.OPS_CHECKIN_STATUS, "children"),
        Output(SESSION_ERROR, "children", allow_duplicate=True),
        Output(ids.OPS_CHECKIN_RESULTS, "children", allow_duplicate=True),
        Output(ids.OPS_CHECKIN_SEARCH, "value", allow_duplicate=True),
        Input({"type": ids.OPS_CHECKIN_ARRIVE, "person": ALL}, "n_clicks"),
        State(ids.OPS_CHECKIN_SESSION, "value"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _arrive(clicks: list, session_id: object, lang: str | None) -> tuple:
        trigger = ctx.triggered_id
        if not isinstance(trigger, Mapping) or not any(isinstance(c, int) and c > 0
                                                       for c in clicks or []):
            raise dash.exceptions.PreventUpdate
        out = arrive(services, current_principal(), source_address(), lang, session_id,
                     trigger.get("person"), local_today(services))
        session_error = (out.errors or {}).get(SESSION_ERROR, "")
        if out.done:
            return out.status, session_error, [], ""
        return out.status, session_error, dash.no_update, dash.no_update

    field_errors = [Output(ids.field_error(f), "children") for f in _FIELD_IDS]

    @app.callback(
        Output(ids.OPS_CHECKIN_STATUS, "children", allow_duplicate=True),
        Output(SESSION_ERROR, "children", allow_duplicate=True),
        Output(ids.OPS_WALKIN_PANEL, "hidden", allow_duplicate=True),
        Output(ids.OPS_CHECKIN_SEARCH, "value", allow_duplicate=True),
        *field_errors,
        Input(ids.OPS_WALKIN_SUBMIT, "n_clicks"),
        *[Input(f, "n_submit") for f in (ids.OPS_WALKIN_PERSON_ID, ids.OPS_WALKIN_NAME,
                                         ids.OPS_WALKIN_BIRTH, ids.OPS_WALKIN_PHONE)],
        *[State(f, "value") for f in _FIELD_IDS],
        State(ids.OPS_CHECKIN_SESSION, "value"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _walk_in(*args: object) -> tuple:
        values = dict(zip(_FIELD_IDS, args[5:5 + len(_FIELD_IDS)], strict=True))
        session_id, lang = args[-2], args[-1]
        form = {field: values[fid] for field, fid in WALKIN_FIELDS.items()
                if field != "ward_code"}
        out = walk_in(services, current_principal(), source_address(),
                      lang if isinstance(lang, str) else None, session_id, form,
                      local_today(services))
        errors = out.errors or {}
        shown = [errors.get(ids.field_error(f), "") for f in _FIELD_IDS]
        return (out.status, errors.get(SESSION_ERROR, ""),
                True if out.done else dash.no_update, "" if out.done else dash.no_update,
                *shown)


def arrive_button(id_type: str, person_id: str, lang: str) -> html.Button:
    """The button of one person found: check them in on the chosen session."""
    return html.Button(t("ops.checkin.arrive", lang),
                       id={"type": ids.OPS_CHECKIN_ARRIVE, "person": f"{id_type}:{person_id}"},
                       n_clicks=0, type="button", className="form-button form-button-primary")
