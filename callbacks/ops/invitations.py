"""The invitation list of a session (Plans and sessions page): the people due, by priority
group and due date, invited in one command, exported to Excel.

Every callback authenticates first (current_principal); the list is read by
data.ops.queries.invitations and booked by data.ops.commands.invitations, which check scope.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, no_update

from callbacks.ops.fields import client_source, operates, parse_day, problem_text, show_day
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_date, norm_lang, t
from callbacks.shared.security import current_principal
from data import catalog
from data.auth.roles import Forbidden, Principal
from data.command_errors import OpsError
from data.ops.commands.invitations import Invitee, invite
from data.ops.exports import table_xlsx
from data.ops.queries import invitations as inv
from data.ops.queries import sessions as q
from data.services import Services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The refusals of data.ops.commands.invitations.invite, shown beside "invite selected".
INVITE_CODES = (N_("invite.empty"), N_("invite.too_many"), N_("invite.places_left"),
                N_("invite.duplicate"))
# Grid field -> header id; the export writes the same columns in the same language.
INVITE_COLUMNS = (("full_name", N_("ops.invite.col.name")), ("id", N_("ops.invite.col.id")),
                  ("phone", N_("ops.invite.col.phone")), ("group", N_("ops.invite.col.group")),
                  ("reason", N_("ops.invite.col.reason")), ("due", N_("ops.invite.col.due")))
REASON_KEYS = {inv.FIRST: N_("ops.invite.reason.FIRST"), inv.NEXT: N_("ops.invite.reason.NEXT")}
MAX_TEXT = 40
_SESSION_ID = re.compile(r"[0-9a-f]{32}")


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
        return inv.invitation_candidates(services.engine, principal, client_source(), session_id,
                                         chosen, parse_day(due_by), read=read)
    except Forbidden:
        return t("ops.denied", lang)
    except OpsError as err:
        return problem_text(err.problems[0], lang)


def generate(services: Services, principal: Principal, lang: str | None, session: object,
             groups: object, due_by: object) -> tuple[list[dict[str, Any]], list, str]:
    """(grid columns, grid rows, the outcome line) of the invitation list."""
    lang = norm_lang(lang)
    if not operates(principal):
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
    if not operates(principal):
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
    if not operates(principal):
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
    """Attach the invitation panel's callbacks to `app`."""

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
        error, outcome, done = send(services, current_principal(), client_source(), lang, session,
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
