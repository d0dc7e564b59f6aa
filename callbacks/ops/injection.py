"""Injection desk: the screened people waiting -> the dose form of the one chosen -> the dose
given through data.ops.commands.give_dose with the signed-in principal as vaccinator.

The form makes its record_id when it opens (a store), so a double press of Enter or of the
button sends the same record and stores one dose. Refusals are told beside their field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import dash
from dash import Input, Output, State, ctx, html, no_update
from dash.development.base_component import Component
from flask import has_request_context, request

from callbacks.ops.checkin import desk_facility
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_date, fmt_int, has_text, norm_lang, t
from callbacks.shared.security import current_principal
from data.auth.roles import OPERATIONS_ROLES, Forbidden, Principal
from data.clock import local_today
from data.command_errors import OpsError, Problem
from data.models.ops import INJECTION_SITES
from data.ops.commands.give_dose import DoseChoice, give_dose
from data.ops.commands.injection import new_record_id
from data.ops.queries.injection_desk import DoseForm, dose_form, waiting
from data.ops.queries.lots import LotHeld
from data.services import Services

DOSES = (("PRIMARY", 1), ("PRIMARY", 2), ("PRIMARY", 3), ("ADDITIONAL", 1), ("BOOSTER", 1),
         ("BOOSTER", 2))
SITE_KEYS = {"LEFT_ARM": N_("ops.injection.site.LEFT_ARM"),
             "RIGHT_ARM": N_("ops.injection.site.RIGHT_ARM"),
             "LEFT_THIGH": N_("ops.injection.site.LEFT_THIGH"),
             "RIGHT_THIGH": N_("ops.injection.site.RIGHT_THIGH")}
DECISION_KEYS = {"ELIGIBLE": N_("ops.injection.decision.ELIGIBLE"),
                 "CAUTION": N_("ops.injection.decision.CAUTION")}
# Fields the form shows errors beside; any other (the check-in, the record, the person's
# registration as the contract reads it) is told under the button.
FORM_FIELDS = {"lot_number": ids.OPS_INJECTION_LOT, "vaccine_code": ids.OPS_INJECTION_LOT,
               "dose_number": ids.OPS_INJECTION_DOSE, "dose_kind": ids.OPS_INJECTION_DOSE,
               "override_reason": ids.OPS_INJECTION_REASON,
               "injection_site": ids.OPS_INJECTION_SITE}
ERROR_FIELDS = (ids.OPS_INJECTION_LOT, ids.OPS_INJECTION_DOSE, ids.OPS_INJECTION_REASON,
                ids.OPS_INJECTION_SITE, ids.OPS_INJECTION_SUBMIT)
MAX_ID = 64
_DOSE_DETAIL = re.compile(r"(PRIMARY|ADDITIONAL|BOOSTER) (\d)")


def _source() -> str:
    return (request.remote_addr if has_request_context() else None) or "unknown"


def dose_label(kind: str, number: int, lang: str) -> str:
    """"Cơ bản 2", "Nhắc lại 1"..."""
    key = CODE_KEYS["dose_kind"].get(kind)
    return f"{t(key, lang) if key else kind} {number}"


def dose_value(kind: str, number: int) -> str:
    """The radio value of a dose."""
    return f"{kind}:{number}"


def lot_value(lot: LotHeld) -> str:
    """The radio value of a lot."""
    return f"{lot.vaccine_code}|{lot.lot_number}"


def problem_text(problem: Problem, lang: str) -> str:
    """A refusal in `lang`: the contract's reasons come worded; the step's codes are ids, and
    a dose in their detail ("PRIMARY 2") is named as the form names it."""
    if problem.worded and problem.detail:
        return problem.detail
    if not has_text(problem.code):
        return t("ops.checkin.refused", lang)
    dose = _DOSE_DETAIL.fullmatch(problem.detail)
    detail = dose_label(dose[1], int(dose[2]), lang) if dose else problem.detail
    return t(problem.code, lang, detail=detail)


def people_options(found: list[Any], lang: str) -> list[dict[str, Any]]:
    """One radio per person waiting: name, identity number, screening decision."""
    return [{"label": " · ".join([w.full_name, w.person_id,
                                  t(DECISION_KEYS.get(w.final_decision, w.final_decision),
                                    lang)]),
             "value": w.checkin_id} for w in found]


def list_waiting(services: Services, principal: Principal, lang: str | None,
                 today: dt.date) -> tuple[list[dict[str, Any]], str]:
    """(radio options, error beside the list) of the people waiting at the desk's facility."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return [], t("ops.denied", lang)
    facility = desk_facility(principal)
    if facility is None:
        return [], t("ops.checkin.no_facility", lang)
    try:
        found = waiting(services.engine, principal, _source(), facility, today)
    except Forbidden:
        return [], t("ops.denied", lang)
    return people_options(found, lang), "" if found else t("ops.injection.none_waiting", lang)


def _lot_label(lot: LotHeld, lang: str) -> str:
    expiry = fmt_date(lot.expiry_date, lang) if lot.expiry_date else "?"
    return t("ops.injection.lot_option", lang, vaccine=lot.vaccine_code, lot=lot.lot_number,
             expiry=expiry, doses=fmt_int(lot.doses, lang))


def _person(form: DoseForm, lang: str) -> list[Component]:
    given = ", ".join(f"{fmt_date(d.day, lang)} {d.product} {dose_label(d.kind, d.number, lang)}"
                      for d in form.history) or t("ops.checkin.no_doses", lang)
    p = form.proposal
    if p.kind is not None and p.number is not None:
        proposed = t("ops.injection.proposed", lang, dose=dose_label(p.kind, p.number, lang),
                     products=", ".join(p.products))
    else:
        proposed = t("ops.injection.no_proposal", lang)
    return [html.H2(form.full_name, className="ops-person-name"),
            html.P(f"{form.person_id} · {fmt_date(form.birth_date, lang)} · "
                   f"{t(DECISION_KEYS.get(form.final_decision, 'ops.checkin.refused'), lang)}",
                   className="ops-person-facts"),
            html.P(f"{t('ops.checkin.doses', lang)}: {given}", className="ops-history"),
            html.P(proposed, className="ops-due")]


def open_form(services: Services, principal: Principal, lang: str | None,
              checkin_id: object) -> dict[str, Any]:
    """What the form shows when a person is chosen (every output of the open callback)."""
    lang = norm_lang(lang)
    closed: dict[str, Any] = {"hidden": True, "person": [], "lots": [], "lot": None,
                              "doses": [], "dose": None, "record": None, "error": "",
                              "vaccinator": ""}
    if not isinstance(checkin_id, str) or not 0 < len(checkin_id) <= MAX_ID:
        return closed
    try:
        form = dose_form(services.engine, principal, checkin_id)
    except Forbidden:
        return closed | {"error": t("ops.denied", lang)}
    except OpsError as err:
        return closed | {"error": problem_text(err.problems[0], lang)}
    proposed = (form.proposal.kind, form.proposal.number)
    doses = [{"label": dose_label(k, n, lang) + (f" · {t('ops.injection.proposal', lang)}"
                                                 if (k, n) == proposed else ""),
              "value": dose_value(k, n)} for k, n in DOSES]
    suggested = form.suggested_lot
    return {"hidden": False, "person": _person(form, lang),
            "lots": [{"label": _lot_label(lot, lang), "value": lot_value(lot)}
                     for lot in form.lots],
            "lot": lot_value(suggested) if suggested else None,
            "doses": doses,
            "dose": dose_value(*proposed) if form.proposal.kind else None,
            # Made as the form opens: the same dose sent twice is stored once.
            "record": new_record_id(),
            "error": "" if form.lots else t("ops.injection.no_lots", lang),
            "vaccinator": t("ops.injection.vaccinator", lang, name=principal.display_name)}


def _choice(checkin_id: object, lot: object, dose: object, reason: object, site: object,
            record_id: object) -> DoseChoice | dict[str, str]:
    """The form's values as a DoseChoice, or {form field id: message id} of what is missing."""
    missing: dict[str, str] = {}
    lot_parts = lot.split("|", 1) if isinstance(lot, str) and len(lot) <= 2 * MAX_ID else []
    if len(lot_parts) != 2:
        missing[ids.OPS_INJECTION_LOT] = N_("injection.lot_required")
    kind, _, number = dose.partition(":") if isinstance(dose, str) and len(dose) < 20 \
        else ("", "", "")
    if not number.isdigit():
        missing[ids.OPS_INJECTION_DOSE] = N_("ops.injection.dose_required")
    if site not in INJECTION_SITES:
        missing[ids.OPS_INJECTION_SITE] = N_("injection.site")
    if not isinstance(checkin_id, str) or not isinstance(record_id, str):
        missing[ids.OPS_INJECTION_SUBMIT] = N_("ops.injection.choose_person")
    if missing:
        return missing
    return DoseChoice(record_id=str(record_id), checkin_id=str(checkin_id),
                      vaccine_code=lot_parts[0], lot_number=lot_parts[1], dose_kind=kind,
                      dose_number=int(number), injection_site=str(site),
                      override_reason=reason if isinstance(reason, str) else "")


def submit(services: Services, principal: Principal, lang: str | None, checkin_id: object,
           lot: object, dose: object, reason: object, site: object,
           record_id: object) -> tuple[str, dict[str, str], str | None]:
    """(status line, {form field id: error}, record_id given or None) of one submit."""
    lang = norm_lang(lang)
    if not principal.has(*OPERATIONS_ROLES):
        return "", {ids.OPS_INJECTION_SUBMIT: t("ops.denied", lang)}, None
    choice = _choice(checkin_id, lot, dose, reason, site, record_id)
    if isinstance(choice, dict):
        return "", {f: t(k, lang, detail="") for f, k in choice.items()}, None
    try:
        done = give_dose(services, principal, choice, lang, source=_source())
    except Forbidden:
        return "", {ids.OPS_INJECTION_SUBMIT: t("ops.denied", lang)}, None
    except OpsError as err:
        errors: dict[str, str] = {}
        for p in err.problems:
            field = FORM_FIELDS.get(p.field, ids.OPS_INJECTION_SUBMIT)
            text = problem_text(p, lang)
            errors[field] = f"{errors[field]} {text}" if field in errors else text
        return "", errors, None
    kind, number = choice.dose_kind, choice.dose_number
    status = t("ops.injection.given", lang, dose=dose_label(kind, number, lang),
               vaccine=choice.vaccine_code, lot=choice.lot_number,
               site=t(SITE_KEYS[choice.injection_site], lang), record=done.record_id)
    return status, {}, done.record_id


def site_options(lang: str | None) -> list[dict[str, str]]:
    """The four injection sites, labelled."""
    return [{"label": t(key, lang), "value": site} for site, key in SITE_KEYS.items()]


def register(app: dash.Dash, services: Services) -> None:
    """Attach the waiting list, the form and the submit callbacks to `app`."""
    @app.callback(
        Output(ids.OPS_INJECTION_PEOPLE, "options"), Output(ids.OPS_INJECTION_PEOPLE, "value"),
        Output(ids.field_error(ids.OPS_INJECTION_PEOPLE), "children"),
        Output(ids.OPS_INJECTION_SITE, "options"),
        Input(ids.SHELL_LANG, "data"), Input(ids.OPS_INJECTION_REFRESH, "n_clicks"),
        Input(ids.OPS_INJECTION_DONE, "data"))
    def _people(lang: str | None, _n: int | None, _done: object) -> tuple:
        options, error = list_waiting(services, current_principal(), lang,
                                      local_today(services))
        # After a dose is given the list moves on: nobody stays chosen.
        chosen = None if ctx.triggered_id == ids.OPS_INJECTION_DONE else no_update
        return options, chosen, error, site_options(lang)

    # One callback owns the form: opening it (a person chosen) and submitting it (the button
    # or Enter) both set its errors, and an output has one owner.
    @app.callback(
        Output(ids.OPS_INJECTION_FORM, "hidden"), Output(ids.OPS_INJECTION_PERSON, "children"),
        Output(ids.OPS_INJECTION_LOT, "options"), Output(ids.OPS_INJECTION_LOT, "value"),
        Output(ids.OPS_INJECTION_DOSE, "options"), Output(ids.OPS_INJECTION_DOSE, "value"),
        Output(ids.OPS_INJECTION_REASON, "value"), Output(ids.OPS_INJECTION_SITE, "value"),
        Output(ids.OPS_INJECTION_RECORD, "data"),
        Output(ids.OPS_INJECTION_VACCINATOR, "children"),
        Output(ids.OPS_INJECTION_STATUS, "children"),
        *[Output(ids.field_error(f), "children") for f in ERROR_FIELDS],
        Output(ids.OPS_INJECTION_DONE, "data"),
        Input(ids.OPS_INJECTION_PEOPLE, "value"), Input(ids.OPS_INJECTION_SUBMIT, "n_clicks"),
        State(ids.OPS_INJECTION_LOT, "value"), State(ids.OPS_INJECTION_DOSE, "value"),
        State(ids.OPS_INJECTION_REASON, "value"), State(ids.OPS_INJECTION_SITE, "value"),
        State(ids.OPS_INJECTION_RECORD, "data"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _form(checkin_id: object, _n: int | None, lot: object, dose: object, reason: object,
              site: object, record_id: object, lang: str | None) -> tuple:
        principal = current_principal()
        if ctx.triggered_id == ids.OPS_INJECTION_SUBMIT:
            status, errors, given = submit(services, principal, lang, checkin_id, lot, dose,
                                           reason, site, record_id)
            return (*[no_update] * 10, status, *[errors.get(f, "") for f in ERROR_FIELDS],
                    given if given else no_update)
        shown = open_form(services, principal, lang, checkin_id)
        return (shown["hidden"], shown["person"], shown["lots"], shown["lot"], shown["doses"],
                shown["dose"], "", "LEFT_ARM", shown["record"], shown["vaccinator"],
                no_update, shown["error"], "", "", "", "", no_update)
