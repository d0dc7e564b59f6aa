"""Plans and sessions: the facility's sessions and the planning form (the invitation list:
callbacks.ops.invitations).

Every callback authenticates first (current_principal) and hands the typed values, checked
for type and length here, to one read of data.ops.queries or one command of
data.ops.commands, which check the scope. Refusals show beside their field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component

from callbacks.ops.fields import (
    client_source,
    operates,
    parse_count,
    parse_day,
    parse_time,
    problem_text,
    show_day,
)
from callbacks.ops.invitations import group_options
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, norm_lang, t
from callbacks.shared.security import current_principal
from data import catalog
from data.auth.roles import Forbidden, Principal
from data.clock import local_today
from data.command_errors import OpsError
from data.ops.commands.sessions import SessionPlan, create_session
from data.ops.queries import sessions as q
from data.services import Services

FORM_FIELDS: dict[str, str] = {  # the command's field -> the form's input
    "facility_code": ids.OPS_SESSIONS_FACILITY, "day": ids.OPS_SESSION_DAY,
    "starts_at": ids.OPS_SESSION_START, "ends_at": ids.OPS_SESSION_END,
    "capacity": ids.OPS_SESSION_CAPACITY, "vaccines": ids.OPS_SESSION_VACCINES,
    "lots": ids.OPS_SESSION_LOTS, "staff": ids.OPS_SESSION_STAFF}
STAFF_ROLE_KEYS = {"LEAD": N_("ops.staff_role.LEAD"), "CHECKIN": N_("ops.staff_role.CHECKIN"),
                   "SCREENING": N_("ops.staff_role.SCREENING"),
                   "VACCINATOR": N_("ops.staff_role.VACCINATOR"),
                   "OBSERVATION": N_("ops.staff_role.OBSERVATION")}
STATUS_KEYS = {"OPEN": N_("ops.sessions.status.OPEN"), "CLOSED": N_("ops.sessions.status.CLOSED")}
LIST_COLUMNS = (N_("ops.sessions.col.day"), N_("ops.sessions.col.time"),
                N_("ops.sessions.col.vaccines"), N_("ops.sessions.col.places"),
                N_("ops.sessions.col.status"), N_("ops.sessions.col.actions"))
REQUIRED = N_("ops.sessions.required")
DEFAULT_RANGE_DAYS = 14
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def _codes(value: object, limit: int = 50) -> list[str]:
    """The codes of a multi-select that look like codes (anything else is dropped)."""
    items = value if isinstance(value, list) else []
    return [v for v in items[:limit] if isinstance(v, str) and _CODE.fullmatch(v)]


def parse_staff(value: object) -> list[tuple[int, str]] | None:
    """'<user id>:<role>' options as (user id, role); None when one is malformed."""
    out = []
    for item in value if isinstance(value, list) else []:
        m = re.fullmatch(r"(\d{1,9}):([A-Z]{1,16})", item) if isinstance(item, str) else None
        if m is None or m.group(2) not in STAFF_ROLE_KEYS:
            return None
        out.append((int(m.group(1)), m.group(2)))
    return out


# --- the facility, the dates and the list of sessions -------------------------------------

def facility_options(services: Services, principal: Principal) -> list[dict[str, str]]:
    """The facilities the principal plans for, as dropdown options."""
    if not operates(principal):
        return []
    return [{"label": f"{f.code} · {f.name}", "value": f.code}
            for f in q.facilities_in_scope(services.engine, principal)]


def session_table(rows: Sequence[q.SessionRow], lang: str) -> Component:
    """The sessions as a table: a button opens each one's invitation list, a link closes it."""
    if not rows:
        return html.P(t("ops.sessions.none", lang), className="panel-hint")
    head = html.Tr([html.Th(t(k, lang)) for k in LIST_COLUMNS])
    body = [html.Tr([
        html.Td(fmt_date(r.day, lang)),
        html.Td(f"{r.starts_at:%H:%M}–{r.ends_at:%H:%M}"),
        html.Td(", ".join(r.vaccines)),
        html.Td(f"{r.booked}/{r.capacity}"),
        html.Td(t(STATUS_KEYS.get(r.status, r.status), lang)),
        html.Td(html.Div([
            html.Button(t("ops.sessions.invite_list", lang), n_clicks=0, type="button",
                        id={"type": ids.OPS_SESSIONS_PICK, "session": r.session_id},
                        className="form-button form-button-secondary ops-pick"),
            dcc.Link(t("ops.sessions.close_link", lang),
                     href=f"/ops/close?session={r.session_id}", className="ops-close")],
            className="ops-row-actions"))])
        for r in rows]
    return html.Table([html.Thead(head), html.Tbody(body)], className="ops-sessions-table")


def list_sessions(services: Services, principal: Principal, lang: str | None, facility: object,
                  start: object, end: object) -> tuple[Component | str, str]:
    """(the session table, the error beside the facility)."""
    lang = norm_lang(lang)
    if not operates(principal):
        return "", t("ops.denied", lang)
    if not isinstance(facility, str) or not _CODE.fullmatch(facility):
        return html.P(t("ops.sessions.pick_facility", lang), className="panel-hint"), ""
    first, last = parse_day(start), parse_day(end)
    if first is None or last is None or last < first:
        return "", t("ops.sessions.bad_range", lang)
    try:
        rows = q.sessions_of(services.engine, principal, facility, first, last)
    except Forbidden:
        return "", t("ops.denied", lang)
    except OpsError as err:
        return "", problem_text(err.problems[0], lang)
    return session_table(rows, lang), ""


# --- the planning form --------------------------------------------------------------------

def form_choices(services: Services, principal: Principal, lang: str | None, facility: object,
                 day: object) -> tuple[list, list, list]:
    """(vaccine, lot, staff) options of the form for the facility."""
    lang = norm_lang(lang)
    vaccines = [{"label": f"{v.code} · {v.name}", "value": v.code} for v in catalog.VACCINES]
    if not operates(principal) or not isinstance(facility, str) \
            or not _CODE.fullmatch(facility):
        return vaccines, [], []
    try:
        lots = q.lots_on_hand(services.engine, principal, facility, parse_day(day))
        staff = q.staff_of(services.engine, principal, facility)
    except (Forbidden, OpsError):
        return vaccines, [], []
    lot_options = [{"label": t("ops.sessions.lot_option", lang, lot=lot.lot_number,
                               vaccine=lot.vaccine_code, doses=lot.doses,
                               expiry=fmt_date(lot.expiry_date, lang)),
                    "value": lot.lot_number} for lot in lots]
    staff_options = [{"label": f"{s.display_name} — {t(key, lang)}",
                      "value": f"{s.user_id}:{role}"}
                     for s in staff for role, key in STAFF_ROLE_KEYS.items()]
    return vaccines, lot_options, staff_options


def _plan_of(facility: object, day: object, start: object, end: object, capacity: object,
             vaccines: object, lots: object, staff: object
             ) -> tuple[SessionPlan | None, dict[str, str]]:
    """The plan the form holds, or the message ids of the fields it cannot be read from."""
    errors: dict[str, str] = {}
    if not isinstance(facility, str) or not _CODE.fullmatch(facility):
        errors["facility_code"] = REQUIRED
    parsed_day = parse_day(day)
    if parsed_day is None:
        errors["day"] = REQUIRED if not day else N_("ops.sessions.bad_date")
    starts, ends = parse_time(start), parse_time(end)
    if starts is None:
        errors["starts_at"] = REQUIRED if not start else N_("ops.sessions.bad_time")
    if ends is None:
        errors["ends_at"] = REQUIRED if not end else N_("ops.sessions.bad_time")
    places = parse_count(capacity)
    if places is None:
        errors["capacity"] = REQUIRED if capacity in (None, "") else "session.capacity"
    people = parse_staff(staff)
    if people is None:
        errors["staff"] = "session.staff_role"
    if errors:
        return None, errors
    assert parsed_day and starts and ends and places is not None and people is not None
    return SessionPlan(str(facility), parsed_day, starts, ends, places, _codes(vaccines),
                       _codes(lots, 200), people), {}


def create(services: Services, principal: Principal, source: str, lang: str | None,
           values: Sequence[object]) -> tuple[dict[str, str], str, bool]:
    """(error text per form field, the outcome line, whether a session was created)."""
    lang = norm_lang(lang)
    if not operates(principal):
        return {}, t("ops.denied", lang), False
    plan, errors = _plan_of(*values)
    texts: dict[str, str] = {k: t(v, lang, detail="") for k, v in errors.items()}
    if plan is not None:
        try:
            create_session(services.engine, principal, source, plan)
        except Forbidden:
            return {"facility_code": t("ops.denied", lang)}, "", False
        except OpsError as err:
            for p in err.problems:
                texts.setdefault(p.field if p.field in FORM_FIELDS else "facility_code",
                                 problem_text(p, lang))
        else:
            return {}, t("ops.sessions.created", lang, day=fmt_date(plan.day, lang),
                         start=f"{plan.starts_at:%H:%M}", end=f"{plan.ends_at:%H:%M}"), True
    return texts, "", False


def register(app: dash.Dash, services: Services) -> None:
    """Attach the planning page's callbacks to `app`."""
    form_errors = [Output(ids.field_error(i), "children") for i in FORM_FIELDS.values()
                   if i != ids.OPS_SESSIONS_FACILITY]

    @app.callback(
        Output(ids.OPS_SESSIONS_FACILITY, "options"), Output(ids.OPS_SESSIONS_FACILITY, "value"),
        Output(ids.OPS_SESSIONS_FROM, "value"), Output(ids.OPS_SESSIONS_TO, "value"),
        Output(ids.OPS_INVITE_GROUPS, "options"),
        Input(ids.OPS_SESSIONS_FACILITY, "id"), Input(ids.SHELL_LANG, "data"),
        State(ids.OPS_SESSIONS_FACILITY, "value"), State(ids.OPS_SESSIONS_FROM, "value"),
        State(ids.OPS_SESSIONS_TO, "value"))
    def _start(_id: str, lang: str | None, chosen: object, start: object,
               end: object) -> tuple:
        options = facility_options(services, current_principal())
        codes = [o["value"] for o in options]
        value = chosen if chosen in codes else (codes[0] if len(codes) == 1 else None)
        if start or end:  # a language change: the dates typed stay as they are
            return options, value, no_update, no_update, group_options(lang)
        today = local_today(services)
        return (options, value, show_day(today),
                show_day(today + dt.timedelta(days=DEFAULT_RANGE_DAYS)), group_options(lang))

    @app.callback(
        Output(ids.OPS_SESSIONS_LIST, "children"),
        Output(ids.field_error(ids.OPS_SESSIONS_FACILITY), "children"),
        # The dates count once typed (Enter, or Tab out), not at every key.
        Input(ids.OPS_SESSIONS_FACILITY, "value"), Input(ids.OPS_SESSIONS_FROM, "n_submit"),
        Input(ids.OPS_SESSIONS_FROM, "n_blur"), Input(ids.OPS_SESSIONS_TO, "n_submit"),
        Input(ids.OPS_SESSIONS_TO, "n_blur"), Input(ids.OPS_SESSIONS_VERSION, "data"),
        Input(ids.SHELL_LANG, "data"), State(ids.OPS_SESSIONS_FROM, "value"),
        State(ids.OPS_SESSIONS_TO, "value"))
    def _list(facility: object, *rest: Any) -> tuple:
        lang, start, end = rest[-3:]
        return list_sessions(services, current_principal(), lang, facility, start, end)

    @app.callback(
        Output(ids.OPS_SESSION_VACCINES, "options"), Output(ids.OPS_SESSION_LOTS, "options"),
        Output(ids.OPS_SESSION_STAFF, "options"),
        Input(ids.OPS_SESSIONS_FACILITY, "value"), Input(ids.OPS_SESSION_DAY, "n_blur"),
        Input(ids.SHELL_LANG, "data"), State(ids.OPS_SESSION_DAY, "value"))
    def _choices(facility: object, _blur: object, lang: str | None, day: object) -> tuple:
        return form_choices(services, current_principal(), lang, facility, day)

    @app.callback(
        *form_errors, Output(ids.field_error(ids.OPS_SESSIONS_FACILITY), "children",
                             allow_duplicate=True),
        Output(ids.OPS_SESSION_STATUS, "children"), Output(ids.OPS_SESSIONS_VERSION, "data"),
        Input(ids.OPS_SESSION_CREATE, "n_clicks"), Input(ids.OPS_SESSION_DAY, "n_submit"),
        Input(ids.OPS_SESSION_START, "n_submit"), Input(ids.OPS_SESSION_END, "n_submit"),
        Input(ids.OPS_SESSION_CAPACITY, "n_submit"),
        State(ids.OPS_SESSIONS_FACILITY, "value"), State(ids.OPS_SESSION_DAY, "value"),
        State(ids.OPS_SESSION_START, "value"), State(ids.OPS_SESSION_END, "value"),
        State(ids.OPS_SESSION_CAPACITY, "value"), State(ids.OPS_SESSION_VACCINES, "value"),
        State(ids.OPS_SESSION_LOTS, "value"), State(ids.OPS_SESSION_STAFF, "value"),
        State(ids.SHELL_LANG, "data"), State(ids.OPS_SESSIONS_VERSION, "data"),
        prevent_initial_call=True)
    def _create(*args: Any) -> tuple:
        values, lang, version = args[5:13], args[13], args[14]
        texts, outcome, done = create(services, current_principal(), client_source(), lang, values)
        fields = [f for f, i in FORM_FIELDS.items() if i != ids.OPS_SESSIONS_FACILITY]
        new_version = (version if isinstance(version, int) else 0) + 1 if done else no_update
        return (*(texts.get(f, "") for f in fields), texts.get("facility_code", ""),
                outcome, new_version)
