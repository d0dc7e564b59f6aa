"""Self-registration's callbacks: the choices in the UI language, the chained places, the
challenge, and the registration itself (data.portal.registration), each error beside its
field; then the code, printable.

Anyone can call these: the rate limits (callbacks.portal.limits) and the challenge's
signature and sum (data.portal.challenge) are checked here, before the data layer writes;
the data layer spends the challenge, once, with the registration.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component
from flask import current_app

from callbacks.portal import limits
from callbacks.portal.places import (
    district_options,
    facility_options,
    province_options,
    ward_options,
)
from callbacks.shared import ids, portal_paths
from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import N_, norm_lang, t
from callbacks.shared.json_ready import as_dicts
from callbacks.shared.problems import problem_message
from data import catalog
from data.command_errors import OpsError
from data.portal import challenge
from data.portal.registration import AlreadyRegistered, SelfRegistration, register_self
from data.services import Services

# Form field id -> the contract's field (the data layer's problems name the latter).
FIELDS: dict[str, str] = {
    pid.REG_ID_TYPE: "id_type", pid.REG_PERSON_ID: "person_id",
    pid.REG_FULL_NAME: "full_name", pid.REG_BIRTH_DATE: "birth_date", pid.REG_SEX: "sex",
    pid.REG_PHONE: "phone", pid.REG_PRIORITY: "priority_group",
    pid.REG_PROVINCE: "province_code", pid.REG_DISTRICT: "district_code",
    pid.REG_WARD: "ward_code", pid.REG_ADDRESS: "address", pid.REG_FACILITY: "facility_code",
}
ERROR_FIELDS = (*FIELDS, pid.REG_CHALLENGE_ANSWER)
# Message ids of the choices (named here so the catalog check sees them used).
ID_TYPES = {"CCCD": N_("portal.reg.id.CCCD"), "CMND": N_("portal.reg.id.CMND"),
            "PASSPORT": N_("portal.reg.id.PASSPORT")}
SEXES = {"M": N_("portal.reg.sex.M"), "F": N_("portal.reg.sex.F")}
MAX_FIELD = 400
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def text(value: Any) -> str | None:
    """A field's value as text (None for anything else, or blank)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:MAX_FIELD] if value else None


def iso_date(value: Any) -> str | None:
    """A typed date as ISO: dd/mm/yyyy (how Vietnamese forms write it) or yyyy-mm-dd; other
    text is passed on as typed, for the contract's rule to word the error."""
    typed = text(value)
    if typed is None:
        return None
    found = _DMY.fullmatch(typed)
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return typed
    return typed


def secret() -> str:
    """The app's secret: what signs the challenge."""
    return str(current_app.config["SECRET_KEY"])


def question_text(token: Any, lang: str) -> str:
    """The challenge's sum in words (empty for a bad token: a new one is on its way)."""
    asked = challenge.question(secret(), token)
    return t("portal.reg.challenge", lang, a=asked[0], b=asked[1]) if asked else ""


def result_block(code: str, lang: str) -> list[Component]:
    """The code, as the person keeps it (and prints it)."""
    return [
        html.H2(t("portal.reg.done_heading", lang), className="preg-done"),
        html.P(t("portal.reg.code_label", lang), className="preg-code-label"),
        html.P(code, className="preg-code", id=f"{pid.REG_RESULT}-code"),
        html.P(t("portal.reg.code_keep", lang,
                 path=portal_paths.REGISTRATION_STATUS), className="preg-hint"),
        dcc.Link(t("portal.reg.look_up", lang), href=portal_paths.REGISTRATION_STATUS,
                 className="preg-link"),
    ]


def submit(services: Services, lang: str, values: dict[str, Any], token: Any,
           answer: Any) -> tuple[dict[str, str], str, list | None]:
    """(error per form field id, the outcome line, the result block or None)."""
    errors = {f: "" for f in ERROR_FIELDS}
    address = limits.client_address()
    if not limits.allow("register-address", address, limits.REGISTER_PER_ADDRESS):
        return errors, t("portal.too_many", lang), None
    nonce = challenge.answer_ok(secret(), token, answer)
    if nonce is None:
        errors[pid.REG_CHALLENGE_ANSWER] = t("portal.reg.challenge_wrong", lang)
        return errors, t("portal.reg.fix", lang), None
    person = text(values.get(pid.REG_PERSON_ID))
    if person and not limits.allow("register-identity", limits.hashed(person),
                                   limits.REGISTER_PER_IDENTITY):
        return errors, t("portal.too_many", lang), None
    form = SelfRegistration(
        person_id=person, id_type=text(values.get(pid.REG_ID_TYPE)),
        full_name=text(values.get(pid.REG_FULL_NAME)),
        birth_date=iso_date(values.get(pid.REG_BIRTH_DATE)),
        sex=text(values.get(pid.REG_SEX)), phone=text(values.get(pid.REG_PHONE)),
        priority_group=text(values.get(pid.REG_PRIORITY)),
        province_code=text(values.get(pid.REG_PROVINCE)),
        district_code=text(values.get(pid.REG_DISTRICT)),
        ward_code=text(values.get(pid.REG_WARD)), address=text(values.get(pid.REG_ADDRESS)),
        facility_code=text(values.get(pid.REG_FACILITY)))
    try:
        code = register_self(services.engine, form, lang, services.settings.timezone, address,
                             nonce=nonce)
    except challenge.ChallengeUsed:
        errors[pid.REG_CHALLENGE_ANSWER] = t("portal.reg.challenge_used", lang)
        return errors, t("portal.reg.fix", lang), None
    except AlreadyRegistered:
        errors[pid.REG_PERSON_ID] = t("portal.reg.duplicate", lang,
                                      path=portal_paths.REGISTRATION_STATUS)
        return errors, t("portal.reg.refused", lang), None
    except OpsError as err:
        by_field = {v: k for k, v in FIELDS.items()}
        others: list[str] = []
        for p in err.problems:
            where = by_field.get(p.field)
            if where is None:
                others.append(problem_message(p, lang))
            elif not errors[where]:
                errors[where] = problem_message(p, lang)
        return errors, " ".join([t("portal.reg.fix", lang), *others]), None
    return errors, t("portal.reg.done", lang), result_block(code, lang)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the registration form's callbacks to the portal app."""

    @app.callback(
        Output(pid.REG_ID_TYPE, "options"), Output(pid.REG_ID_TYPE, "value"),
        Output(pid.REG_SEX, "options"), Output(pid.REG_PRIORITY, "options"),
        Output(pid.REG_PROVINCE, "options"),
        Input(ids.SHELL_LANG, "data"), State(pid.REG_ID_TYPE, "value"))
    def _choices(lang: Any, id_type: Any) -> tuple:
        lang = norm_lang(lang if isinstance(lang, str) else None)
        return ([{"label": t(key, lang), "value": k} for k, key in ID_TYPES.items()],
                id_type if id_type in ID_TYPES else "CCCD",
                [{"label": t(key, lang), "value": k} for k, key in SEXES.items()],
                [{"label": names.get(lang, names["vi"]), "value": str(code)}
                 for code, names in catalog.PRIORITY_GROUPS.items()],
                province_options())

    @app.callback(Output(pid.REG_DISTRICT, "options"), Output(pid.REG_DISTRICT, "value"),
                  Input(pid.REG_PROVINCE, "value"))
    def _districts(province: Any) -> tuple:
        return district_options(province), None

    @app.callback(Output(pid.REG_WARD, "options"), Output(pid.REG_WARD, "value"),
                  Output(pid.REG_FACILITY, "options"), Output(pid.REG_FACILITY, "value"),
                  Input(pid.REG_DISTRICT, "value"))
    def _wards(district: Any) -> tuple:
        return ward_options(district), None, facility_options(services, district), None

    @app.callback(Output(pid.REG_CHALLENGE_TOKEN, "data"),
                  Input(pid.REG_CHALLENGE_QUESTION, "id"))
    def _first_challenge(_: Any) -> str:
        return challenge.new_challenge(secret()).token

    @app.callback(Output(pid.REG_CHALLENGE_QUESTION, "children"),
                  Input(pid.REG_CHALLENGE_TOKEN, "data"), Input(ids.SHELL_LANG, "data"))
    def _question(token: Any, lang: Any) -> str:
        return question_text(token, norm_lang(lang if isinstance(lang, str) else None))

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in ERROR_FIELDS],
        Output(pid.REG_STATUS, "children"), Output(pid.REG_RESULT, "children"),
        Output(f"{pid.REG_RESULT}-block", "hidden"),
        Output(pid.REG_CHALLENGE_TOKEN, "data", allow_duplicate=True),
        Output(pid.REG_CHALLENGE_ANSWER, "value"),
        # Once registered the form goes away: what is left is the code to keep.
        Output(pid.REG_FORM, "hidden"),
        Input(pid.REG_SUBMIT, "n_clicks"), Input(pid.REG_CHALLENGE_ANSWER, "n_submit"),
        *[State(f, "value") for f in FIELDS],
        State(pid.REG_CHALLENGE_TOKEN, "data"), State(pid.REG_CHALLENGE_ANSWER, "value"),
        State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _submit(clicks: Any, entered: Any, *rest: Any) -> tuple:
        if not clicks and not entered:
            return (no_update,) * (len(ERROR_FIELDS) + 6)
        values = dict(zip(FIELDS, rest[:len(FIELDS)], strict=True))
        token, answer, lang = rest[len(FIELDS):]
        lang = norm_lang(lang if isinstance(lang, str) else None)
        errors, outcome, block = submit(services, lang, values, token, answer)
        if block is not None:  # stored: the form goes away, and no next sum is asked
            return (*[errors[f] for f in ERROR_FIELDS], outcome, as_dicts(block), False,
                    no_update, "", True)
        fresh = challenge.new_challenge(secret()).token  # every try costs a new sum
        return (*[errors[f] for f in ERROR_FIELDS], outcome, no_update, True, fresh, "",
                no_update)

    # The code prints on its own (assets/portal_register.css hides the rest in print); the
    # function is in assets/portal_register.js, as the CSP allows no inline script.
    app.clientside_callback(
        ClientsideFunction(namespace="vxPortalRegister", function_name="print"),
        Output(pid.REG_PRINTED, "data"), Input(pid.REG_PRINT, "n_clicks"),
        prevent_initial_call=True)
