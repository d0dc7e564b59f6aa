"""The portal's self-report page: identify -> the doses of the last 28 days -> the reactions,
recorded through data.citizen.self_report as a self-reported AEFI report.

Nothing the browser holds is trusted: the submit identifies the person again from the three
fields and the command checks the dose is theirs and within the window. A wrong combination
reads exactly as an unknown person. Both buttons are rate-limited per client address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import dash
from dash import Input, Output, State
from dash.exceptions import PreventUpdate

from callbacks.portal.citizen import (
    FIND_LIMITS,
    NOT_FOUND,
    SUBMIT_LIMITS,
    allowed,
    identify,
    identity_errors,
    parse_day,
    source,
    too_many,
)
from callbacks.shared import ids
from callbacks.shared.codes import CODE_KEYS
from callbacks.shared.i18n import N_, fmt_date, norm_lang, t
from callbacks.shared.ids_portal import (
    SR_DOB,
    SR_DOSE,
    SR_FIND,
    SR_FORM,
    SR_HOSPITAL,
    SR_ID,
    SR_NAME,
    SR_ONSET,
    SR_REACTIONS,
    SR_STATUS,
    SR_SUBMIT,
    SR_TEXT,
)
from callbacks.shared.problems import problem_message
from data.citizen.self_report import RecentDose, recent_doses, record_self_report
from data.command_errors import OpsError
from data.ops.rules import aefi_terms
from data.services import Services

IDENTITY = (SR_ID, SR_NAME, SR_DOB)
FIND_ERRORS = (*IDENTITY, SR_FIND)
SUBMIT_ERRORS = (*IDENTITY, SR_DOSE, SR_ONSET, SR_REACTIONS, SR_TEXT, SR_HOSPITAL, SR_SUBMIT)
# The command's fields -> the form's.
FIELD_OF = {"record_id": SR_DOSE, "onset_date": SR_ONSET, "reactions": SR_REACTIONS,
            "text": SR_TEXT}
HOSPITAL = "YES"


def options(lang: str | None) -> tuple[list[dict], list[dict]]:
    """(reaction checkboxes, the hospital checkbox) in `lang`."""
    lang = norm_lang(lang)
    return ([{"label": aefi_terms.label(c, lang), "value": c} for c in aefi_terms.CODES],
            [{"label": t("portal.sr.hospital_yes", lang), "value": HOSPITAL}])


def dose_label(d: RecentDose, lang: str, tz: str) -> str:
    """'dd/mm/yyyy · vaccine · dose 2 · facility' of a dose the person may report on."""
    given = d.administered_at if d.administered_at.tzinfo else \
        d.administered_at.replace(tzinfo=dt.UTC)
    kind = CODE_KEYS["dose_kind"].get(d.dose_kind)
    parts = [fmt_date(given.astimezone(ZoneInfo(tz)).date(), lang), d.vaccine_name or
             d.vaccine_code, t("portal.sr.dose_n", lang, kind=t(kind, lang) if kind
                               else d.dose_kind, n=d.dose_number)]
    if d.facility_name:
        parts.append(d.facility_name)
    return " · ".join(parts)


def find(services: Services, lang: str | None, number: object, name: object, dob: object
         ) -> tuple[dict[str, str], list[dict], Any, bool, str]:
    """(field -> error, dose options, the dose picked, form hidden, onset prefilled)."""
    lang = norm_lang(lang)
    tz = services.settings.timezone
    errors = identity_errors(number, name, dob, lang, IDENTITY)
    if errors:
        return errors, [], None, True, ""
    if not allowed("sr-find", FIND_LIMITS):
        return {SR_FIND: too_many(lang)}, [], None, True, ""
    person = identify(services, number, name, dob)
    if person is None:
        return {SR_FIND: t(NOT_FOUND, lang)}, [], None, True, ""
    doses = recent_doses(services, person)
    if not doses:
        return {SR_FIND: t("portal.sr.no_recent", lang)}, [], None, True, ""
    opts = [{"label": dose_label(d, lang, tz), "value": d.record_id} for d in doses]
    today = dash_today(tz)
    return {}, opts, doses[0].record_id, False, today


def dash_today(tz: str) -> str:
    """Today on the local clock as the form writes dates."""
    return f"{dt.datetime.now(ZoneInfo(tz)).date():%d/%m/%Y}"


def _texts(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)][:40] if isinstance(value, list) else []


def submit(services: Services, lang: str | None, values: dict[str, Any]
           ) -> tuple[dict[str, str], str, bool]:
    """(field -> error, status line, recorded) of the report; `values` by field id."""
    lang = norm_lang(lang)
    number, name, dob = (values.get(f) for f in IDENTITY)
    errors = identity_errors(number, name, dob, lang, IDENTITY)
    onset = parse_day(values.get(SR_ONSET))
    if onset is None:
        errors[SR_ONSET] = t("portal.citizen.day_bad", lang)
    dose = values.get(SR_DOSE)
    if not isinstance(dose, str) or not dose:
        errors[SR_DOSE] = t("portal.sr.dose_needed", lang)
    if errors:
        return errors, "", False
    if not allowed("sr-submit", SUBMIT_LIMITS):
        return {SR_SUBMIT: too_many(lang)}, "", False
    person = identify(services, number, name, dob)
    if person is None:
        return {SR_SUBMIT: t(NOT_FOUND, lang)}, "", False
    text = values.get(SR_TEXT)
    try:
        got = record_self_report(
            services, person, dose, onset, _texts(values.get(SR_REACTIONS)),  # type: ignore[arg-type]
            text if isinstance(text, str) else None,
            hospitalised=HOSPITAL in _texts(values.get(SR_HOSPITAL)), channel="portal",
            source=source(), lang=lang)
    except OpsError as err:
        found: dict[str, str] = {}
        for p in err.problems:
            found.setdefault(FIELD_OF.get(p.field, SR_SUBMIT), problem_message(p, lang))
        return found, "", False
    key = N_("portal.sr.saved_serious") if got.severity == "SERIOUS" else N_("portal.sr.saved")
    return {}, t(key, lang, ref=got.report_id[-8:].upper()), True


def register(app: dash.Dash, services: Services) -> None:
    """Attach the self-report page's callbacks to the portal app."""

    @app.callback(Output(SR_REACTIONS, "options"), Output(SR_HOSPITAL, "options"),
                  Input(ids.SHELL_LANG, "data"), Input(SR_FORM, "id"))
    def _options(lang: Any, _form: Any) -> tuple[list, list]:
        return options(lang if isinstance(lang, str) else None)

    @app.callback(
        *[Output(ids.field_error(f), "children", allow_duplicate=True) for f in FIND_ERRORS],
        Output(SR_DOSE, "options"), Output(SR_DOSE, "value"), Output(SR_FORM, "hidden"),
        Output(SR_ONSET, "value"), Output(SR_STATUS, "children", allow_duplicate=True),
        Input(SR_FIND, "n_clicks"), Input(SR_DOB, "n_submit"),
        State(SR_ID, "value"), State(SR_NAME, "value"), State(SR_DOB, "value"),
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _find(clicks: Any, submits: Any, number: Any, name: Any, dob: Any,
              lang: Any) -> tuple:
        if not (clicks or submits):
            raise PreventUpdate
        errors, opts, value, hidden, onset = find(
            services, lang if isinstance(lang, str) else None, number, name, dob)
        return (*(errors.get(f, "") for f in FIND_ERRORS), opts, value, hidden, onset, "")

    @app.callback(
        *[Output(ids.field_error(f), "children", allow_duplicate=True)
          for f in SUBMIT_ERRORS],
        Output(SR_STATUS, "children", allow_duplicate=True),
        Output(SR_REACTIONS, "value"), Output(SR_TEXT, "value"),
        Input(SR_SUBMIT, "n_clicks"),
        State(SR_ID, "value"), State(SR_NAME, "value"), State(SR_DOB, "value"),
        State(SR_DOSE, "value"), State(SR_ONSET, "value"), State(SR_REACTIONS, "value"),
        State(SR_TEXT, "value"), State(SR_HOSPITAL, "value"), State(ids.SHELL_LANG, "data"),
        prevent_initial_call=True)
    def _submit(clicks: Any, *rest: Any) -> tuple:
        if not clicks:
            raise PreventUpdate
        *values, lang = rest
        fields = (*IDENTITY, SR_DOSE, SR_ONSET, SR_REACTIONS, SR_TEXT, SR_HOSPITAL)
        errors, status, ok = submit(services, lang if isinstance(lang, str) else None,
                                    dict(zip(fields, values, strict=True)))
        cleared = ([], "") if ok else (dash.no_update, dash.no_update)
        return (*(errors.get(f, "") for f in SUBMIT_ERRORS), status, *cleared)
