"""The citizens' health book through the API: sign in by one-time code, then one's own
profile, doses (also as FHIR), registrations. Every read and write is keyed by the token's
person: another person's record answers 404, as a record that does not exist."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from flask import current_app

from callbacks.api.bearer import services, source
from callbacks.api.citizen_bearer import citizen_person
from callbacks.api.errors import ApiError, error_response, item, request_lang
from callbacks.api.schemas import TokenResponse
from callbacks.api.schemas_citizen import (
    CitizenDoseList,
    CitizenDoseOut,
    CitizenMeOut,
    CitizenRegistrationIn,
    CitizenRegistrationList,
    CitizenRegistrationOut,
    CitizenTokenRequest,
    CodeAccepted,
    CodeRequest,
    FhirBundle,
    ImmunizationQuery,
)
from callbacks.shared.i18n import N_, t
from data.citizen import records, registrations, signin
from data.citizen.fhir import immunization_bundle
from data.citizen.otp_sender import OtpSender
from data.db import unit_of_work

_UNSTORABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
ACCEPTED = 202
CREATED = 201
# server.extensions key of the app's OtpSender (made from settings.otp_sender).
SENDER = "vx_otp_sender"
# The refusal codes of the citizen commands, marked for the catalogs.
CITIZEN_CODES = (N_("registration.duplicate"), N_("registration.birth_date"),
                 N_("citizen.code_sent"), N_("citizen.invalid_grant"))


def _not_found() -> ApiError:
    return ApiError(404, "not_found", N_("api.error.not_found"))


def request_code(json: CodeRequest) -> tuple[CodeAccepted, int]:
    """Send a one-time code when the identity number and birth date match a person on
    record; 202 and the same body either way."""
    svc = services()
    lang = request_lang()
    sender: OtpSender = current_app.extensions[SENDER]
    signin.request_code(svc.engine, sender, json.identity_number, json.date_of_birth, lang,
                        source(), svc.settings.citizen_code_ttl_s)
    ttl = svc.settings.citizen_code_ttl_s
    return CodeAccepted(detail=t("citizen.code_sent", lang, minutes=max(ttl // 60, 1)),
                        expires_in=ttl), ACCEPTED


def issue_token(json: CitizenTokenRequest) -> Any:
    """The code for a citizen token (OAuth 2's token response); every refusal is the same
    401 invalid_grant."""
    svc = services()
    issued = signin.exchange_code(svc.engine, json.identity_number, json.date_of_birth,
                                  json.code, source(), svc.settings.citizen_token_ttl_s,
                                  svc.settings.citizen_code_attempts)
    if issued is None:
        error = item("code", "invalid_grant", N_("citizen.invalid_grant"), request_lang())
        return error_response(401, [error], error="invalid_grant",
                              error_description=error["message"])
    body = TokenResponse(access_token=issued.token, token_type="bearer",
                         expires_in=issued.expires_in)
    response = current_app.json.response(body.model_dump())
    response.headers["Pragma"] = "no-cache"  # RFC 6749 §5.1
    return response


def me() -> CitizenMeOut:
    """The citizen as on record."""
    person_id = citizen_person()
    with unit_of_work(services().engine) as conn:
        found = records.profile(conn, person_id)
    if found is None:  # the records behind the sign-in were removed since
        raise _not_found()
    return CitizenMeOut(full_name=found.full_name, birth_date=found.birth_date,
                        sex=found.sex,  # type: ignore[arg-type]
                        province_code=found.province_code, district_code=found.district_code,
                        ward_code=found.ward_code, phone=found.phone_masked)


def doses() -> CitizenDoseList:
    """The citizen's doses, oldest first."""
    person_id = citizen_person()
    with unit_of_work(services().engine) as conn:
        found = records.doses(conn, person_id)
    return CitizenDoseList(doses=[CitizenDoseOut(**dataclasses.asdict(d)) for d in found])


def immunizations(query: ImmunizationQuery) -> FhirBundle:
    """The citizen's doses as a FHIR R4 Bundle of Immunization resources."""
    person_id = citizen_person()
    with unit_of_work(services().engine) as conn:
        who = records.profile(conn, person_id)
        given = records.doses(conn, person_id)
    return FhirBundle.model_validate(
        immunization_bundle(signin.person_ref(person_id), who, given))


def _registration_out(r: registrations.MyRegistration) -> CitizenRegistrationOut:
    return CitizenRegistrationOut(**dataclasses.asdict(r))


def my_registrations() -> CitizenRegistrationList:
    """The citizen's registrations, active and cancelled."""
    person_id = citizen_person()
    with unit_of_work(services().engine) as conn:
        found = registrations.list_mine(conn, person_id)
    return CitizenRegistrationList(registrations=[_registration_out(r) for r in found])


def register(json: CitizenRegistrationIn) -> tuple[CitizenRegistrationOut, int]:
    """Register the citizen for vaccination (one registration at a time); 422 with one error
    per problem, worded as a file's reject report, when refused."""
    person_id = citizen_person()
    svc = services()
    registration_id = registrations.create(
        svc.engine, person_id, json.model_dump(), request_lang(), svc.settings.timezone,
        source())
    with unit_of_work(svc.engine) as conn:
        mine = {r.registration_id: r for r in registrations.list_mine(conn, person_id)}
    return _registration_out(mine[registration_id]), CREATED


def cancel(registration_id: str) -> CitizenRegistrationOut:
    """Cancel one of the citizen's registrations; another person's is not found (404)."""
    person_id = citizen_person()
    if len(registration_id) > 64 or _UNSTORABLE.search(registration_id):
        raise _not_found()  # no registration has such an id; PostgreSQL would refuse a NUL
    try:
        done = registrations.cancel(services().engine, person_id, registration_id, source())
    except registrations.RegistrationNotFound:
        raise _not_found() from None
    return _registration_out(done)
