"""The portal's daily health declaration: identify and answer in one form, recorded through
data.citizen.declaration (one per person per day; declaring again replaces the day's answers).

The person is identified from the three fields at each submit (a wrong combination reads as
an unknown person); the submit is rate-limited per client address.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from callbacks.portal.citizen import (
    NOT_FOUND,
    SUBMIT_LIMITS,
    allowed,
    identify,
    identity_errors,
    source,
    too_many,
)
from callbacks.shared import ids
from callbacks.shared.i18n import N_, fmt_date, norm_lang, t
from callbacks.shared.ids_portal import (
    DC_CONTACT,
    DC_DOB,
    DC_ID,
    DC_NAME,
    DC_PROVINCE,
    DC_PROVINCE_FIELD,
    DC_STATUS,
    DC_SUBMIT,
    DC_SYMPTOMS,
    DC_TRAVEL,
)
from callbacks.shared.problems import problem_message
from data.admin_units import provinces
from data.citizen import declaration
from data.command_errors import OpsError
from data.services import Services

IDENTITY = (DC_ID, DC_NAME, DC_DOB)
FIELDS = (*IDENTITY, DC_SYMPTOMS, DC_CONTACT, DC_TRAVEL, DC_PROVINCE)
ERRORS = (*FIELDS, DC_SUBMIT)
FIELD_OF = {"symptoms": DC_SYMPTOMS, "contact": DC_CONTACT, "travel": DC_TRAVEL,
            "travel_province": DC_PROVINCE}
YES, NO = "YES", "NO"


def options(lang: str | None) -> tuple[list[dict], list[dict], list[dict]]:
    """(symptom checkboxes, yes/no radios, provinces) in `lang`."""
    lang = norm_lang(lang)
    yes_no = [{"label": t("portal.dc.yes", lang), "value": YES},
              {"label": t("portal.dc.no", lang), "value": NO}]
    places = sorted(provinces().values(), key=lambda p: p.name)
    return ([{"label": declaration.symptom_label(c, lang), "value": c}
             for c in declaration.CODES], yes_no,
            [{"label": p.name, "value": p.code} for p in places])


def _answer(value: object) -> bool | None:
    return {YES: True, NO: False}.get(value) if isinstance(value, str) else None


def submit(services: Services, lang: str | None, values: dict[str, Any]
           ) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, recorded); `values` by field id."""
    lang = norm_lang(lang)
    number, name, dob = (values.get(f) for f in IDENTITY)
    errors = identity_errors(number, name, dob, lang, IDENTITY)
    contact, travel = _answer(values.get(DC_CONTACT)), _answer(values.get(DC_TRAVEL))
    for field, answer in ((DC_CONTACT, contact), (DC_TRAVEL, travel)):
        if answer is None:
            errors[field] = t(declaration.ANSWER_REQUIRED, lang)
    if errors:
        return errors, "", False
    if not allowed("dc-submit", SUBMIT_LIMITS):
        return {DC_SUBMIT: too_many(lang)}, "", False
    person = identify(services, number, name, dob)
    if person is None:
        return {DC_SUBMIT: t(NOT_FOUND, lang)}, "", False
    symptoms = values.get(DC_SYMPTOMS)
    where = values.get(DC_PROVINCE)
    try:
        got = declaration.record_declaration(
            services, person, symptoms if isinstance(symptoms, list) else [],
            contact, travel, where if isinstance(where, str) else None,  # type: ignore[arg-type]
            channel="portal", source=source())
    except OpsError as err:
        found: dict[str, str] = {}
        for p in err.problems:
            found.setdefault(FIELD_OF.get(p.field, DC_SUBMIT), problem_message(p, lang))
        return found, "", False
    key = N_("portal.dc.replaced") if got.replaced else N_("portal.dc.saved")
    return {}, t(key, lang, day=fmt_date(got.day, lang)), True


def register(app: dash.Dash, services: Services) -> None:
    """Attach the declaration page's callbacks to the portal app."""

    @app.callback(Output(DC_SYMPTOMS, "options"), Output(DC_CONTACT, "options"),
                  Output(DC_TRAVEL, "options"), Output(DC_PROVINCE, "options"),
                  Input(ids.SHELL_LANG, "data"), Input(DC_SUBMIT, "id"))
    def _options(lang: Any, _form: Any) -> tuple[list, list, list, list]:
        symptoms, yes_no, places = options(lang if isinstance(lang, str) else None)
        return symptoms, yes_no, yes_no, places

    @app.callback(Output(DC_PROVINCE_FIELD, "hidden"), Input(DC_TRAVEL, "value"))
    def _travel(travel: Any) -> bool:
        return travel != YES

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in ERRORS],
        Output(DC_STATUS, "children"),
        Input(DC_SUBMIT, "n_clicks"), *[State(f, "value") for f in FIELDS],
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _submit(clicks: Any, *rest: Any) -> tuple:
        if not clicks:
            raise PreventUpdate
        *values, lang = rest
        errors, status, _ok = submit(services, lang if isinstance(lang, str) else None,
                                     dict(zip(FIELDS, values, strict=True)))
        return (*(errors.get(f, "") for f in ERRORS), status)
