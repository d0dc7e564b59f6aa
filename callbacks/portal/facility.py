"""The portal's facility registration: choices in the UI language, chained places, and the
PENDING facility (data.portal.facility), each error beside its field."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, no_update

from callbacks.portal import limits
from callbacks.portal.places import district_options, province_options, ward_options
from callbacks.portal.register import text
from callbacks.shared import ids
from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import norm_lang, t
from callbacks.shared.problems import problem_message
from data import catalog
from data.command_errors import OpsError
from data.portal.facility import FacilityApplication, register_facility
from data.services import Services

FIELDS: dict[str, str] = {
    pid.PFAC_NAME: "name", pid.PFAC_KIND: "kind", pid.PFAC_PROVINCE: "province_code",
    pid.PFAC_DISTRICT: "district_code", pid.PFAC_WARD: "ward_code",
    pid.PFAC_ADDRESS: "address", pid.PFAC_CAPACITY: "daily_capacity",
    pid.PFAC_CONTACT_NAME: "contact_name", pid.PFAC_CONTACT_PHONE: "contact_phone",
}


def submit(services: Services, lang: str, values: dict[str, Any]) -> tuple[dict[str, str], str]:
    """(error per form field id, the outcome line)."""
    errors = {f: "" for f in FIELDS}
    address = limits.client_address()
    if not limits.allow("facility-address", address, limits.FACILITY_PER_ADDRESS):
        return errors, t("portal.too_many", lang)
    form = FacilityApplication(**{FIELDS[f]: text(v) for f, v in values.items()
                                  if FIELDS[f] != "province_code"})
    try:
        code = register_facility(services.engine, form, lang, address)
    except OpsError as err:
        by_field = {v: k for k, v in FIELDS.items()}
        others: list[str] = []
        for p in err.problems:
            where = by_field.get("district_code" if p.field == "province_code" else p.field)
            if where is None:
                others.append(problem_message(p, lang))
            elif not errors[where]:
                errors[where] = problem_message(p, lang)
        return errors, " ".join([t("portal.reg.fix", lang), *others])
    return errors, t("portal.fac.done", lang, code=code)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the facility form's callbacks to the portal app."""

    @app.callback(Output(pid.PFAC_KIND, "options"), Output(pid.PFAC_PROVINCE, "options"),
                  Input(ids.SHELL_LANG, "data"))
    def _choices(lang: Any) -> tuple:
        lang = norm_lang(lang if isinstance(lang, str) else None)
        return ([{"label": t(f"facility.kind.{k}", lang), "value": k}
                 for k in catalog.FACILITY_KINDS], province_options())

    @app.callback(Output(pid.PFAC_DISTRICT, "options"), Output(pid.PFAC_DISTRICT, "value"),
                  Input(pid.PFAC_PROVINCE, "value"))
    def _districts(province: Any) -> tuple:
        return district_options(province), None

    @app.callback(Output(pid.PFAC_WARD, "options"), Output(pid.PFAC_WARD, "value"),
                  Input(pid.PFAC_DISTRICT, "value"))
    def _wards(district: Any) -> tuple:
        return ward_options(district), None

    @app.callback(
        *[Output(ids.field_error(f), "children") for f in FIELDS],
        Output(pid.PFAC_STATUS, "children"),
        Input(pid.PFAC_SUBMIT, "n_clicks"), *[State(f, "value") for f in FIELDS],
        State(ids.SHELL_LANG, "data"), prevent_initial_call=True)
    def _submit(clicks: Any, *rest: Any) -> tuple:
        if not clicks:
            return (no_update,) * (len(FIELDS) + 1)
        values = dict(zip(FIELDS, rest[:len(FIELDS)], strict=True))
        lang = norm_lang(rest[-1] if isinstance(rest[-1], str) else None)
        errors, outcome = submit(services, lang, values)
        return (*[errors[f] for f in FIELDS], outcome)
