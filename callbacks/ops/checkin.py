"""Check-in desk: what was typed or scanned -> the people found, their doses, the dose due next.

The search goes through data.ops.commands.checkin.find_person with the signed-in principal,
which checks the facility scope and audits the read. Refusals are told beside the field.
"""

from __future__ import annotations

import datetime as dt
import re

import dash
from dash import Input, Output, State, html
from dash.development.base_component import Component

from callbacks.ops.arrival import arrive_button, session_of, source_address
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_date, has_text, norm_lang, t
from callbacks.shared.problems import problem_message
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.clock import local_today
from data.command_errors import OpsError, Problem
from data.ops.commands.checkin import PersonMatch, SearchBy, find_person, local_day
from data.ops.rules.errors import RuleError
from data.ops.rules.schedule import Due, next_due
from data.services import Services

SEARCH_ERROR = ids.field_error(ids.OPS_CHECKIN_SEARCH)
DOSE_COLUMNS = (N_("ops.checkin.col.day"), N_("ops.checkin.col.vaccine"),
                N_("ops.checkin.col.dose"), N_("ops.checkin.col.facility"))
# Shown when the recorded doses do not follow the schedule (next_due refuses the history).
SCHEDULE_UNKNOWN = N_("ops.checkin.schedule_unknown")
MAX_TYPED = 64  # a scanner's code or a number; anything longer is no search


def search_by(text: str) -> SearchBy:
    """What the typed text is: 9 or 12 digits an identity number, 0 and 9 more digits a
    phone, anything else a registration or booking code."""
    compact = re.sub(r"[\s.-]", "", text)
    if re.fullmatch(r"\d{9}|\d{12}", compact):
        return "id"
    if re.fullmatch(r"0\d{9}", compact):
        return "phone"
    return "code"


def desk_facility(principal: Principal) -> str | None:
    """The facility the desk searches for: the one of the user's facility grant."""
    return min(principal.facility_codes(), default=None)


def problem_text(problem: Problem, lang: str) -> str:
    """A command's problem in `lang` (its code is the message id)."""
    if not has_text(problem.code):
        return t("ops.checkin.refused", lang)
    return problem_message(problem, lang)


def due_of(match: PersonMatch, today: dt.date) -> Due | None | str:
    """The next dose of the person, None when none is foreseen, or the rule's refusal code
    when the recorded history does not follow the schedule."""
    history = match.history()
    as_of = max([today, *(d.day for d in history)])
    try:
        return next_due(history, as_of, match.birth_date)
    except (RuleError, ValueError) as err:
        return getattr(err, "code", SCHEDULE_UNKNOWN)


def _kind(kind: str, number: int, lang: str) -> str:
    key = CODE_KEYS["dose_kind"].get(kind)
    return f"{t(key, lang) if key else kind} {number}"


def _doses_table(match: PersonMatch, lang: str) -> Component:
    if not match.doses:
        return html.P(t("ops.checkin.no_doses", lang), className="panel-hint")
    head = html.Tr([html.Th(t(k, lang)) for k in DOSE_COLUMNS])
    rows = [html.Tr([html.Td(fmt_date(local_day(d.administered_at), lang)),
                     html.Td(d.vaccine_code), html.Td(_kind(d.dose_kind, d.dose_number, lang)),
                     html.Td(d.facility_code)])
            for d in match.doses]
    return html.Table([html.Thead(head), html.Tbody(rows)], className="ops-doses")


def _due_line(due: Due | None | str, lang: str) -> Component:
    if due is None:
        text = t("ops.checkin.due_none", lang)
    elif isinstance(due, str):
        text = t(due if has_text(due) else SCHEDULE_UNKNOWN, lang, detail="")
    elif not due.options or due.earliest is None:
        text = t("ops.checkin.due_no_product", lang, dose=_kind(due.kind, due.number, lang))
    else:
        text = t("ops.checkin.due", lang, dose=_kind(due.kind, due.number, lang),
                 date=fmt_date(due.earliest, lang), products=", ".join(due.products))
    return html.P(text, className="ops-due")


def person_card(match: PersonMatch, lang: str, today: dt.date) -> html.Article:
    """One person found: who, the doses given, the dose due next."""
    sex = CODE_KEYS["sex"].get(match.sex)
    facts = [f"{match.id_type} {match.person_id}", fmt_date(match.birth_date, lang),
             t(sex, lang) if sex else match.sex, match.phone or ""]
    return html.Article(
        [html.H2(match.full_name, className="ops-person-name"),
         html.P(" · ".join(f for f in facts if f), className="ops-person-facts"),
         html.H3(t("ops.checkin.doses", lang)), _doses_table(match, lang),
         html.H3(t("ops.checkin.next", lang)), _due_line(due_of(match, today), lang),
         arrive_button(match.id_type, match.person_id, lang)],
        className="panel ops-person")


def search(services: Services, principal: Principal, source: str, lang: str | None,
           value: object, today: dt.date, session_id: object = None,
           ) -> tuple[list[Component], str]:
    """(result cards, error text beside the field) of one search, at the chosen session's
    facility (else at the facility of the user's own grant)."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return [], t("ops.denied", lang)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return [], t("person.search_empty", lang)
    if len(text) > MAX_TYPED:
        return [], t("ops.checkin.not_found", lang)
    session = session_of(services, principal, session_id, today)
    facility = session.facility_code if session else desk_facility(principal)
    if facility is None:
        return [], t("ops.checkin.no_facility", lang)
    try:
        found = find_person(services.engine, principal, source, facility, search_by(text), text)
    except Forbidden:
        return [], t("ops.denied", lang)
    except OpsError as err:
        return [], problem_text(err.problems[0], lang)
    if not found:
        return [], t("ops.checkin.not_found", lang)
    return [person_card(m, lang, today) for m in found], ""


def register(app: dash.Dash, services: Services) -> None:
    """Attach the search callback to `app`."""
    @app.callback(
        Output(ids.OPS_CHECKIN_RESULTS, "children"), Output(SEARCH_ERROR, "children"),
        Output(ids.OPS_WALKIN_PANEL, "hidden"), Output(ids.OPS_WALKIN_PERSON_ID, "value"),
        Output(ids.OPS_CHECKIN_STATUS, "children", allow_duplicate=True),
        Input(ids.OPS_CHECKIN_SEARCH, "n_submit"), State(ids.OPS_CHECKIN_SEARCH, "value"),
        State(ids.OPS_CHECKIN_SESSION, "value"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _search(_n: int | None, value: object, session_id: object,
                lang: str | None) -> tuple[list, str, bool, object, str]:
        cards, error = search(services, current_principal(), source_address(), lang, value,
                              local_today(services), session_id)
        # Nobody found by an identity number: the walk-in form opens with it filled in.
        typed = value.strip() if isinstance(value, str) else ""
        if error == t("ops.checkin.not_found", lang) and search_by(typed) == "id":
            return cards, error, False, re.sub(r"[\s.-]", "", typed), ""
        return cards, error, dash.no_update, dash.no_update, ""
