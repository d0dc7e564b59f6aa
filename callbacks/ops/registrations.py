"""Registrations: the registry of the user's area page by page (AG Grid's infinite rows,
asked of the server block by block), its search, assignment of the selected people to a
session, and the duplicates an officer merges (issue "Operations II").

Every callback authenticates first (current_principal) and hands typed, bounded values to one
read of data.ops.queries.registrations or one command (data.ops.commands.registration_merge,
invitations.invite), which check role and scope. Refusals show beside what they concern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, html, no_update
from dash.development.base_component import Component
from flask import has_request_context, request

from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, fmt_int, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data import catalog
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.clock import local_today
from data.command_errors import OpsError
from data.ops.commands.invitations import Invitee, invite
from data.ops.commands.registration_merge import MERGE_ROLES, merge_registrations
from data.ops.queries import registrations as q
from data.ops.queries.sessions import facilities_in_scope
from data.services import Services

_PLACE = re.compile(r"(\d{2})/(\d{3})")
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")
_SESSION = re.compile(r"[0-9a-f]{32}")
# Grid field -> header id.
COLUMNS = (("registration_id", N_("ops.reg.col.code")), ("full_name", N_("ops.reg.col.name")),
           ("identity", N_("ops.reg.col.identity")), ("birth", N_("ops.reg.col.birth")),
           ("phone", N_("ops.reg.col.phone")), ("group", N_("ops.reg.col.group")),
           ("organisation", N_("ops.reg.col.organisation")),
           ("registered", N_("ops.reg.col.registered")))
COUNT, COUNT_SEARCH = N_("ops.reg.count"), N_("ops.reg.count_search")
MERGE_CODES = (N_("merge.empty"), N_("merge.too_many"), N_("merge.unknown"),
               N_("merge.not_same"))


def _source() -> str:
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def _operates(principal: Principal) -> bool:
    return principal.has(*OPERATIONS_ROLES)


def parse_place(value: object) -> tuple[str, str] | None:
    """(province, district) of a district choice "01/001"."""
    m = _PLACE.fullmatch(value) if isinstance(value, str) else None
    return (m.group(1), m.group(2)) if m else None


def _code(value: object) -> str | None:
    return value if isinstance(value, str) and _CODE.fullmatch(value) else None


# -- choices -------------------------------------------------------------------------------

def columns(lang: str) -> list[dict[str, Any]]:
    """The grid's columns, headed in `lang` (the grid adds the selection boxes)."""
    cols: list[dict[str, Any]] = [{"field": f, "headerName": t(k, lang)} for f, k in COLUMNS]
    cols[0].update(width=170)
    cols[1].update(flex=2, minWidth=170)
    cols[2].update(width=170)
    cols[3].update(width=130)
    cols[4].update(width=125)
    cols[5].update(flex=1, minWidth=150, tooltipField="group")
    cols[6].update(flex=1, minWidth=140, tooltipField="organisation")
    cols[7].update(width=120)
    return cols


def choices(services: Services, principal: Principal, lang: str | None
            ) -> tuple[list[dict], list[dict], list[dict]]:
    """(districts, facilities, open sessions of the next two weeks) as dropdown options."""
    lang = norm_lang(lang)
    if not _operates(principal):
        return [], [], []
    districts = [{"label": f"{d.name} · {d.province_name}",
                  "value": f"{d.province_code}/{d.district_code}"}
                 for d in q.districts(services.engine, principal)]
    facilities = [{"label": f"{f.code} · {f.name}", "value": f.code}
                  for f in facilities_in_scope(services.engine, principal)]
    return districts, facilities, session_options(services, principal, lang)


def session_options(services: Services, principal: Principal, lang: str) -> list[dict]:
    """Open sessions the principal works, with the places left."""
    today = local_today(services)
    return [{"label": t("ops.reg.session_label", lang, facility=s.facility_name,
                        day=fmt_date(s.day, lang), start=f"{s.starts_at:%H:%M}",
                        end=f"{s.ends_at:%H:%M}", left=fmt_int(s.capacity - s.booked, lang)),
             "value": s.session_id, "disabled": s.booked >= s.capacity}
            for s in q.assignable_sessions(services.engine, principal, today)]


# -- the list ------------------------------------------------------------------------------

def query_of(district: object, facility: object, search: object) -> dict[str, Any]:
    """What the grid lists, as the store keeps it (checked again when read)."""
    text = search[:q.MAX_SEARCH] if isinstance(search, str) else ""
    return {"district": district if parse_place(district) else None,
            "facility": _code(facility), "search": text.strip()}


def row_of(r: q.RegistrationRow, lang: str) -> dict[str, Any]:
    """One grid row (the registration id keys it; assignment re-reads the rest)."""
    names = catalog.PRIORITY_GROUPS.get(r.priority_group, {})
    return {"registration_id": r.registration_id, "full_name": r.full_name,
            "identity": f"{r.id_type} {r.person_id}", "birth": fmt_date(r.birth_date, lang),
            "phone": r.phone, "group": f"{r.priority_group} · {names.get(lang, '')}",
            "organisation": r.organisation or "",
            "registered": fmt_date(r.registered_at.date(), lang)}


def rows_block(services: Services, principal: Principal, lang: str | None, query: object,
               request_: object) -> tuple[dict[str, Any], str]:
    """(getRowsResponse of the block the grid asks for, the count line)."""
    lang = norm_lang(lang)
    empty = {"rowData": [], "rowCount": 0}
    if not _operates(principal):
        return empty, t("ops.denied", lang)
    query = query if isinstance(query, dict) else {}
    place = parse_place(query.get("district"))
    search = query.get("search") if isinstance(query.get("search"), str) else ""
    if place is None and not search:
        return empty, t("ops.reg.pick_district", lang)
    block = request_ if isinstance(request_, dict) else {}
    start = block.get("startRow") if isinstance(block.get("startRow"), int) else 0
    end = block.get("endRow") if isinstance(block.get("endRow"), int) else start + 50
    try:
        page = q.registrations_page(services.engine, principal, _source(),
                                    *(place or (None, None)), search or None,
                                    _code(query.get("facility")), start, end - start)
    except Forbidden:
        return empty, t("ops.denied", lang)
    except OpsError as err:
        return empty, problem_message(err.problems[0], lang)
    count = fmt_int(page.total, lang) + ("+" if page.capped else "")
    # rowCount -1 while capped: the grid keeps asking for blocks as the user scrolls.
    total = -1 if page.capped else page.total
    line = t(COUNT_SEARCH if search else COUNT, lang, count=count)
    return {"rowData": [row_of(r, lang) for r in page.rows], "rowCount": total}, line


# -- assignment ----------------------------------------------------------------------------

def assign(services: Services, principal: Principal, source: str, lang: str | None,
           session: object, selected: object) -> tuple[str, str, bool]:
    """(the error beside the button, the outcome line, whether anyone was booked)."""
    lang = norm_lang(lang)
    if not _operates(principal):
        return t("ops.denied", lang), "", False
    if not (isinstance(session, str) and _SESSION.fullmatch(session)):
        return t("ops.reg.pick_session", lang), "", False
    wanted = [r.get("registration_id") for r in selected[:q.MAX_PAGE]
              if isinstance(r, dict)] if isinstance(selected, list) else []
    # The identities come from the registry, never from what the browser sent.
    found = q.registrations_by_ids(services.engine, principal,
                                   [w for w in wanted if isinstance(w, str)])
    if not found:
        return t("ops.reg.pick_people", lang), "", False
    people = [Invitee(r.person_id, r.id_type, r.registration_id) for r in found]
    try:
        booked = invite(services.engine, principal, source, session, people)
    except Forbidden:
        return t("ops.denied", lang), "", False
    except OpsError as err:
        return problem_message(err.problems[0], lang), "", False
    return "", t("ops.reg.assigned", lang, count=fmt_int(len(booked), lang)), True


# -- duplicates ----------------------------------------------------------------------------

def _group(g: Sequence[q.RegistrationRow], lang: str, can_merge: bool) -> Component:
    first = g[0]
    options = [{"label": " · ".join(x for x in [
        r.registration_id, r.full_name, fmt_date(r.registered_at.date(), lang), r.phone,
        r.organisation or "", f"{r.province_code}/{r.district_code}"] if x),
        "value": r.registration_id} for r in g]
    key = {"person": first.person_id}
    parts: list[Component] = [
        html.Legend(f"{first.id_type} {first.person_id} · {first.full_name}",
                    className="form-label"),
        html.Div(t("ops.reg.keep", lang), className="panel-hint"),
        dash.dcc.RadioItems(id={"type": ids.OPS_REG_MERGE_KEEP, **key}, options=options,
                            value=first.registration_id, className="form-radios ops-reg-keep",
                            labelClassName="form-radio")]
    if can_merge:
        parts.append(html.Button(t("ops.reg.merge", lang), id={"type": ids.OPS_REG_MERGE, **key},
                                 n_clicks=0, type="button",
                                 className="form-button form-button-primary"))
    return html.Fieldset(parts, className="form-fieldset ops-reg-group")


def duplicates_view(services: Services, principal: Principal, lang: str | None,
                    query: object) -> tuple[Component | str, Component | str]:
    """(the duplicate groups of the district, its merge history)."""
    lang = norm_lang(lang)
    if not _operates(principal):
        return t("ops.denied", lang), ""
    place = parse_place(query.get("district")) if isinstance(query, dict) else None
    if place is None:
        return t("ops.reg.pick_district", lang), ""
    try:
        groups = q.duplicate_groups(services.engine, principal, _source(), *place)
        history = q.merge_history(services.engine, principal, *place)
    except Forbidden:
        return t("ops.denied", lang), ""
    can_merge = principal.has(*MERGE_ROLES)
    shown: Component | str = (html.Div([_group(g, lang, can_merge) for g in groups])
                              if groups else t("ops.reg.no_duplicates", lang))
    if not history:
        return shown, t("ops.reg.no_history", lang)
    items = [html.Li(t("ops.reg.history_line", lang, kept=h.kept_registration_id,
                       merged=", ".join(h.merged_ids), who=h.merged_by_name,
                       when=fmt_date(h.merged_at.date(), lang),
                       moved=fmt_int(h.bookings_moved, lang),
                       fields=", ".join(f"{k}←{v['from']}" for k, v in h.kept_fields.items()
                                        if v.get("from") != h.kept_registration_id) or "—"))
             for h in history]
    return shown, html.Ul(items, className="ops-reg-history-list")


def merge(services: Services, principal: Principal, source: str, lang: str | None,
          person: object, keep: object) -> tuple[str, bool]:
    """(the outcome line, whether the merge was made): `keep` and the person's other
    registrations in the area, read again here, are merged."""
    lang = norm_lang(lang)
    if not isinstance(person, str) or not isinstance(keep, str) or len(keep) > 64:
        return t("ops.reg.merge_pick", lang), False
    try:
        rows = q.registrations_of_person(services.engine, principal, person)
        others = [r.registration_id for r in rows if r.registration_id != keep]
        if keep not in {r.registration_id for r in rows}:
            return t("ops.reg.merge_pick", lang), False
        merge_registrations(services.engine, principal, source, keep, others)
    except Forbidden:
        return t("ops.reg.merge_denied", lang), False
    except OpsError as err:
        return problem_message(err.problems[0], lang), False
    return t("ops.reg.merged", lang, kept=keep, count=fmt_int(len(others), lang)), True


def _bump(version: object) -> int:
    return (version if isinstance(version, int) else 0) + 1


def register(app: dash.Dash, services: Services) -> None:
    """Attach the registrations page's callbacks to `app`."""

    @app.callback(
        Output(ids.OPS_REG_DISTRICT, "options"), Output(ids.OPS_REG_DISTRICT, "value"),
        Output(ids.OPS_REG_FACILITY, "options"), Output(ids.OPS_REG_SESSION, "options"),
        Output(ids.OPS_REG_GRID, "columnDefs"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_REG_VERSION, "data"),
        State(ids.OPS_REG_DISTRICT, "value"))
    def _start(lang: str | None, _v: Any, chosen: object) -> tuple:
        principal = current_principal()
        districts, facilities, sessions = choices(services, principal, lang)
        value = chosen if parse_place(chosen) else (districts[0]["value"] if districts else None)
        return districts, value, facilities, sessions, columns(norm_lang(lang))

    @app.callback(
        Output(ids.OPS_REG_QUERY, "data"),
        Input(ids.OPS_REG_DISTRICT, "value"), Input(ids.OPS_REG_FACILITY, "value"),
        Input(ids.OPS_REG_FIND, "n_clicks"), Input(ids.OPS_REG_SEARCH, "n_submit"),
        Input(ids.OPS_REG_VERSION, "data"), State(ids.OPS_REG_SEARCH, "value"))
    def _query(district: object, facility: object, _n: Any, _s: Any, version: object,
               search: object) -> dict[str, Any]:
        return query_of(district, facility, search) | {"version": version}

    # A new query empties the grid's blocks: it asks the server again from the first row.
    app.clientside_callback(
        ClientsideFunction(namespace="vxRegistrations", function_name="purge"),
        Output(ids.OPS_REG_PURGED, "data"), Input(ids.OPS_REG_QUERY, "data"),
        State(ids.OPS_REG_GRID, "id"), prevent_initial_call=True)

    @app.callback(
        Output(ids.OPS_REG_GRID, "getRowsResponse"), Output(ids.OPS_REG_COUNT, "children"),
        Input(ids.OPS_REG_GRID, "getRowsRequest"), State(ids.OPS_REG_QUERY, "data"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _rows(block: object, query: object, lang: str | None) -> tuple:
        return rows_block(services, current_principal(), lang, query, block)

    @app.callback(
        Output(ids.field_error(ids.OPS_REG_ASSIGN), "children"),
        Output(ids.OPS_REG_ASSIGN_STATUS, "children"),
        Output(ids.OPS_REG_VERSION, "data", allow_duplicate=True),
        Input(ids.OPS_REG_ASSIGN, "n_clicks"), State(ids.OPS_REG_SESSION, "value"),
        State(ids.OPS_REG_GRID, "selectedRows"), State(ids.SHELL_LANG, "data"),
        State(ids.OPS_REG_VERSION, "data"), prevent_initial_call=True)
    def _assign(_n: Any, session: object, selected: object, lang: str | None,
                version: object) -> tuple:
        error, outcome, done = assign(services, current_principal(), _source(), lang,
                                      session, selected)
        return error, outcome, _bump(version) if done else no_update

    @app.callback(
        Output(ids.OPS_REG_DUPLICATES, "children"), Output(ids.OPS_REG_HISTORY, "children"),
        Input(ids.OPS_REG_QUERY, "data"), Input(ids.SHELL_LANG, "data"))
    def _duplicates(query: object, lang: str | None) -> tuple:
        return duplicates_view(services, current_principal(), lang, query)

    @app.callback(
        Output(ids.OPS_REG_MERGE_STATUS, "children"),
        Output(ids.OPS_REG_VERSION, "data", allow_duplicate=True),
        Input({"type": ids.OPS_REG_MERGE, "person": ALL}, "n_clicks"),
        State({"type": ids.OPS_REG_MERGE_KEEP, "person": ALL}, "value"),
        State({"type": ids.OPS_REG_MERGE_KEEP, "person": ALL}, "id"),
        State(ids.SHELL_LANG, "data"), State(ids.OPS_REG_VERSION, "data"),
        prevent_initial_call=True)
    def _merge(clicks: list, keeps: list, keep_ids: list, lang: str | None,
               version: object) -> tuple:
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(isinstance(c, int) and c for c in clicks):
            return no_update, no_update
        person = trigger.get("person")
        keep = next((v for v, i in zip(keeps, keep_ids, strict=False)
                     if isinstance(i, dict) and i.get("person") == person), None)
        outcome, done = merge(services, current_principal(), _source(), lang, person, keep)
        return outcome, _bump(version) if done else no_update
