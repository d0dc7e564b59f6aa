"""Plans and sessions: the facility's sessions, the planning form, the invitation list.

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
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from flask import has_request_context, request

from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_date, has_text, norm_lang, t
from callbacks.shared.security import current_principal
from data import catalog
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.clock import local_today
from data.ops.commands.errors import OpsError, Problem
from data.ops.commands.invitations import Invitee, invite
from data.ops.commands.sessions import SessionPlan, create_session
from data.ops.exports import table_xlsx
from data.ops.queries import invitations as inv
from data.ops.queries import sessions as q
from data.services import Services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_FIELDS: dict[str, str] = {  # the command's field -> the form's input
    "facility_code": ids.OPS_SESSIONS_FACILITY, "day": ids.OPS_SESSION_DAY,
    "starts_at": ids.OPS_SESSION_START, "ends_at": ids.OPS_SESSION_END,
    "capacity": ids.OPS_SESSION_CAPACITY, "vaccines": ids.OPS_SESSION_VACCINES,
    "lots": ids.OPS_SESSION_LOTS, "staff": ids.OPS_SESSION_STAFF}
STAFF_ROLE_KEYS = {"LEAD": N_("ops.staff_role.LEAD"), "CHECKIN": N_("ops.staff_role.CHECKIN"),
                   "SCREENING": N_("ops.staff_role.SCREENING"),
                   "VACCINATOR": N_("ops.staff_role.VACCINATOR"),
                   "OBSERVATION": N_("ops.staff_role.OBSERVATION")}
# The refusals of data.ops.commands.invitations.invite, shown beside "invite selected".
INVITE_CODES = (N_("invite.empty"), N_("invite.too_many"), N_("invite.places_left"),
                N_("invite.duplicate"))
STATUS_KEYS = {"OPEN": N_("ops.sessions.status.OPEN"), "CLOSED": N_("ops.sessions.status.CLOSED")}
LIST_COLUMNS = (N_("ops.sessions.col.day"), N_("ops.sessions.col.time"),
                N_("ops.sessions.col.vaccines"), N_("ops.sessions.col.places"),
                N_("ops.sessions.col.status"), N_("ops.sessions.col.actions"))
# Grid field -> header id; the export writes the same columns in the same language.
INVITE_COLUMNS = (("full_name", N_("ops.invite.col.name")), ("id", N_("ops.invite.col.id")),
                  ("phone", N_("ops.invite.col.phone")), ("group", N_("ops.invite.col.group")),
                  ("reason", N_("ops.invite.col.reason")), ("due", N_("ops.invite.col.due")))
REASON_KEYS = {inv.FIRST: N_("ops.invite.reason.FIRST"), inv.NEXT: N_("ops.invite.reason.NEXT")}
REQUIRED = N_("ops.sessions.required")
DEFAULT_RANGE_DAYS = 14
MAX_TEXT = 40
_SESSION_ID = re.compile(r"[0-9a-f]{32}")
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def _source() -> str:
    return (request.remote_addr if has_request_context() else None) or "unknown"


def problem_text(problem: Problem, lang: str) -> str:
    """A command's problem in `lang` (its code is the message id)."""
    if not has_text(problem.code):
        return t("ops.sessions.refused", lang)
    return t(problem.code, lang, detail=problem.detail)


def parse_day(value: object) -> dt.date | None:
    """A typed day: dd/mm/yyyy as Vietnamese forms write it (d/m and '-' or '.' too), or
    ISO yyyy-mm-dd (docs/interchange.md takes both); None when it is neither."""
    if not isinstance(value, str) or len(value) > 10:
        return None
    text = value.strip()
    day_first = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if day_first:
            d, m, y = (int(g) for g in day_first.groups())
            return dt.date(y, m, d)
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) \
            else None
    except ValueError:
        return None


def show_day(day: dt.date) -> str:
    """A day as the day fields show it (dd/mm/yyyy)."""
    return f"{day:%d/%m/%Y}"


def parse_time(value: object) -> dt.time | None:
    """A typed time, hh:mm (h:mm, or hhmm as a keypad types it); None when it is not one."""
    text = value.strip() if isinstance(value, str) and len(value) <= 8 else ""
    m = re.fullmatch(r"(\d{1,2})[:h.]?(\d{2})", text)
    if m is None:
        return None
    try:
        return dt.time(int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None


def parse_count(value: object) -> int | None:
    """A typed whole number (at most 6 digits), None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if re.fullmatch(r"\d{1,6}", text) else None


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


def _operates(principal: Principal) -> bool:
    return principal.has(*OPERATIONS_ROLES)


# --- the facility, the dates and the list of sessions -------------------------------------

def facility_options(services: Services, principal: Principal) -> list[dict[str, str]]:
    """The facilities the principal plans for, as dropdown options."""
    if not _operates(principal):
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
    if not _operates(principal):
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
    if not _operates(principal) or not isinstance(facility, str) \
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
    if not _operates(principal):
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


# --- the invitation list ------------------------------------------------------------------

def group_options(lang: str | None) -> list[dict[str, Any]]:
    """The priority groups of the Ministry's list, coded (docs/interchange.md, Catalogues)."""
    lang = norm_lang(lang)
    return [{"label": f"{code} · {names[lang]}", "value": code}
            for code, names in catalog.PRIORITY_GROUPS.items()]


def reason_text(c: inv.Candidate, lang: str) -> str:
    """Why the person is on the list: the dose, its product and the first day for it."""
    key = CODE_KEYS["dose_kind"].get(c.dose_kind)
    dose = f"{t(key, lang) if key else c.dose_kind} {c.dose_number}"
    return t(REASON_KEYS[c.reason], lang, dose=dose, product=c.product,
             date=fmt_date(c.earliest, lang))


def candidate_rows(found: Sequence[inv.Candidate], lang: str) -> list[dict[str, Any]]:
    """The grid's rows (the identity travels with each row for "invite selected")."""
    groups = catalog.PRIORITY_GROUPS
    return [{"person_id": c.person_id, "id_type": c.id_type,
             "registration_id": c.registration_id, "full_name": c.full_name,
             "id": f"{c.id_type} {c.person_id}", "phone": c.phone or "",
             "group": f"{c.priority_group} · {groups.get(c.priority_group, {}).get(lang, '')}",
             "reason": reason_text(c, lang), "due": fmt_date(c.due, lang),
             "due_iso": c.due.isoformat()} for c in found]


def invite_columns(lang: str) -> list[dict[str, Any]]:
    """The grid's columns, headed in `lang`."""
    cols: list[dict[str, Any]] = [{"field": f, "headerName": t(k, lang)}
                                  for f, k in INVITE_COLUMNS]
    cols[0].update(flex=2, minWidth=170)
    cols[1].update(width=170)
    cols[2].update(width=125)
    cols[3].update(flex=2, minWidth=170, tooltipField="group")
    cols[4].update(flex=4, minWidth=280, tooltipField="reason")
    # Sort the due column by its ISO day, not by the text the language writes.
    cols[5].update(field="due_iso", width=120,
                   valueFormatter={"function": "params.data.due"})
    return cols


def _session_id(value: object) -> str | None:
    return value if isinstance(value, str) and _SESSION_ID.fullmatch(value) else None


def _candidates(services: Services, principal: Principal, lang: str, session: object,
                groups: object, due_by: object, read: str = "ops.invitations"
                ) -> list[inv.Candidate] | str:
    session_id = _session_id(session)
    if session_id is None:
        return t("ops.invite.pick_session", lang)
    chosen = inv.clean_groups(groups if isinstance(groups, list) else [])
    try:
        return inv.invitation_candidates(services.engine, principal, _source(), session_id,
                                         chosen, parse_day(due_by), read=read)
    except Forbidden:
        return t("ops.denied", lang)
    except OpsError as err:
        return problem_text(err.problems[0], lang)


def generate(services: Services, principal: Principal, lang: str | None, session: object,
             groups: object, due_by: object) -> tuple[list[dict[str, Any]], list, str]:
    """(grid columns, grid rows, the outcome line) of the invitation list."""
    lang = norm_lang(lang)
    if not _operates(principal):
        return [], [], t("ops.denied", lang)
    found = _candidates(services, principal, lang, session, groups, due_by)
    if isinstance(found, str):
        return invite_columns(lang), [], found
    return (invite_columns(lang), candidate_rows(found, lang),
            t("ops.invite.count", lang, count=len(found), limit=inv.DEFAULT_LIMIT))


def reselect(rows: list[dict[str, Any]], selected: object) -> list[dict[str, Any]]:
    """The rows of `rows` that were selected before (matched by identity document)."""
    kept = {r.get("id") for r in selected if isinstance(r, dict)} if isinstance(
        selected, list) else set()
    return [r for r in rows if r["id"] in kept]


def _invitees(rows: object) -> list[Invitee]:
    out = []
    for row in rows[:1000] if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        pid, kind, reg = row.get("person_id"), row.get("id_type"), row.get("registration_id")
        if isinstance(pid, str) and isinstance(kind, str) and len(pid) <= MAX_TEXT \
                and len(kind) <= 10 and (reg is None or (isinstance(reg, str)
                                                         and len(reg) <= 64)):
            out.append(Invitee(pid, kind, reg))
    return out


def send(services: Services, principal: Principal, source: str, lang: str | None,
         session: object, rows: object) -> tuple[str, str, bool]:
    """(the error beside the button, the outcome line, whether anyone was invited)."""
    lang = norm_lang(lang)
    session_id = _session_id(session)
    if not _operates(principal):
        return t("ops.denied", lang), "", False
    if session_id is None:
        return t("ops.invite.pick_session", lang), "", False
    try:
        booked = invite(services.engine, principal, source, session_id, _invitees(rows))
    except Forbidden:
        return t("ops.denied", lang), "", False
    except OpsError as err:
        return problem_text(err.problems[0], lang), "", False
    return "", t("ops.invite.sent", lang, count=len(booked)), True


def export(services: Services, principal: Principal, lang: str | None, session: object,
           groups: object, due_by: object) -> tuple[dict[str, Any] | None, str]:
    """(the dcc.Download payload of the list as .xlsx, the error beside the button).

    The list is read again here with the same filters: the file holds what the data layer
    returns for this user, never rows the browser sent.
    """
    lang = norm_lang(lang)
    if not _operates(principal):
        return None, t("ops.denied", lang)
    found = _candidates(services, principal, lang, session, groups, due_by,
                        read="ops.invitations.xlsx")
    if isinstance(found, str):
        return None, found
    rows = candidate_rows(found, lang)
    headers = [t(k, lang) for _, k in INVITE_COLUMNS]
    cells = [[r["full_name"], r["id"], r["phone"], r["group"], r["reason"],
              dt.date.fromisoformat(r["due_iso"])] for r in rows]
    sheet = t("ops.invite.sheet", lang)
    data = table_xlsx(sheet, headers, cells)
    name = f"{t('ops.invite.file', lang)}-{_session_id(session)}.xlsx"
    return dcc.send_bytes(data, name, type=XLSX), ""


def session_heading(services: Services, principal: Principal, lang: str | None,
                    session_id: str) -> tuple[str, str | None]:
    """(the invitation panel's heading, the session's day as the due-by field shows it)."""
    lang = norm_lang(lang)
    row = q.session_brief(services.engine, principal, session_id)
    return (t("ops.invite.title", lang, facility=row.facility_code,
              day=fmt_date(row.day, lang), start=f"{row.starts_at:%H:%M}",
              end=f"{row.ends_at:%H:%M}", booked=row.booked, capacity=row.capacity),
            show_day(row.day))


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
        texts, outcome, done = create(services, current_principal(), _source(), lang, values)
        fields = [f for f, i in FORM_FIELDS.items() if i != ids.OPS_SESSIONS_FACILITY]
        new_version = (version if isinstance(version, int) else 0) + 1 if done else no_update
        return (*(texts.get(f, "") for f in fields), texts.get("facility_code", ""),
                outcome, new_version)

    @app.callback(
        Output(ids.OPS_INVITE_SESSION, "data"), Output(ids.OPS_INVITE_PANEL, "hidden"),
        Output(ids.OPS_INVITE_TITLE, "children"), Output(ids.OPS_INVITE_DUE_BY, "value"),
        Input({"type": ids.OPS_SESSIONS_PICK, "session": ALL}, "n_clicks"),
        Input(ids.SHELL_LANG, "data"), State(ids.OPS_INVITE_SESSION, "data"),
        prevent_initial_call=True)
    def _pick(clicks: list, lang: str | None, shown: object) -> tuple:
        picked = ctx.triggered_id
        relabel = picked == ids.SHELL_LANG  # the heading of the session shown, in `lang`
        if relabel:
            session_id = _session_id(shown)
        elif isinstance(picked, dict) and any(clicks or []):
            session_id = _session_id(picked.get("session"))
        else:
            session_id = None
        if session_id is None:
            return no_update, no_update, no_update, no_update
        try:
            title, day = session_heading(services, current_principal(), lang, session_id)
        except (Forbidden, OpsError):
            return None, True, "", None
        if relabel:
            return no_update, no_update, title, no_update
        return session_id, False, title, day

    @app.callback(
        Output(ids.OPS_INVITE_GRID, "columnDefs"), Output(ids.OPS_INVITE_GRID, "rowData"),
        Output(ids.OPS_INVITE_COUNT, "children"),
        Output(ids.OPS_INVITE_GRID, "selectedRows"),
        Input(ids.OPS_INVITE_GENERATE, "n_clicks"), Input(ids.OPS_INVITE_DUE_BY, "n_submit"),
        Input(ids.OPS_INVITE_SESSION, "data"), Input(ids.OPS_SESSIONS_VERSION, "data"),
        Input(ids.SHELL_LANG, "data"),
        State(ids.OPS_INVITE_GROUPS, "value"), State(ids.OPS_INVITE_DUE_BY, "value"),
        State(ids.OPS_INVITE_GRID, "selectedRows"), prevent_initial_call=True)
    def _generate(_n: Any, _s: Any, session: object, _v: Any, lang: str | None,
                  groups: object, due_by: object, selected: object) -> tuple:
        if _session_id(session) is None:
            return no_update, [], "", []
        cols, rows, outcome = generate(services, current_principal(), lang, session, groups,
                                       due_by)
        if ctx.triggered_id != ids.SHELL_LANG:
            return cols, rows, outcome, []
        # The same list in the new language: the clerk's ticks stay on the same people.
        return cols, rows, outcome, reselect(rows, selected)

    @app.callback(
        Output(ids.field_error(ids.OPS_INVITE_SEND), "children"),
        Output(ids.OPS_INVITE_STATUS, "children"),
        Output(ids.OPS_SESSIONS_VERSION, "data", allow_duplicate=True),
        Input(ids.OPS_INVITE_SEND, "n_clicks"), State(ids.OPS_INVITE_GRID, "selectedRows"),
        State(ids.OPS_INVITE_SESSION, "data"), State(ids.SHELL_LANG, "data"),
        State(ids.OPS_SESSIONS_VERSION, "data"), prevent_initial_call=True)
    def _send(_n: Any, rows: object, session: object, lang: str | None,
              version: object) -> tuple:
        error, outcome, done = send(services, current_principal(), _source(), lang, session,
                                    rows)
        bump = (version if isinstance(version, int) else 0) + 1 if done else no_update
        return error, outcome, bump

    @app.callback(
        Output(ids.OPS_INVITE_DOWNLOAD, "data"),
        Output(ids.field_error(ids.OPS_INVITE_SEND), "children", allow_duplicate=True),
        Input(ids.OPS_INVITE_EXPORT, "n_clicks"), State(ids.OPS_INVITE_SESSION, "data"),
        State(ids.OPS_INVITE_GROUPS, "value"), State(ids.OPS_INVITE_DUE_BY, "value"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _export(_n: Any, session: object, groups: object, due_by: object,
                lang: str | None) -> tuple:
        payload, error = export(services, current_principal(), lang, session, groups, due_by)
        return (payload if payload is not None else no_update), error
