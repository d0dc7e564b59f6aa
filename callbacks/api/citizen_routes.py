"""The citizens' routes under /api/v1/citizen, in the API's one OpenAPI document.

Sign-in (code, token) is rate limited per client address and per identity number: the code
and the token route each count their own requests.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from spectree import Response, SpecTree

from callbacks.api import citizen, citizen_certificate, citizen_reports
from callbacks.api.schemas import ErrorBody, TokenError, TokenResponse
from callbacks.api.schemas_citizen import (
    CitizenDoseList,
    CitizenMeOut,
    CitizenRegistrationIn,
    CitizenRegistrationList,
    CitizenRegistrationOut,
    CitizenTokenRequest,
    CodeAccepted,
    CodeRequest,
    DeclarationIn,
    DeclarationOut,
    FhirBundle,
    ImmunizationQuery,
    SelfReportIn,
    SelfReportOut,
)
from callbacks.api.schemas_citizen_certificate import CitizenCertificateOut
from data.citizen.otp_sender import load_sender
from data.citizen.signin import normalise_identity
from data.services import Services

# app.server.config keys that override the settings' limits (tests raise them).
ADDRESS_LIMIT = "VX_CITIZEN_ADDRESS_LIMIT"
IDENTITY_LIMIT = "VX_CITIZEN_IDENTITY_LIMIT"
TAGS = ["citizen"]


def _settings_limit(key: str, field: str) -> str:
    services: Services = current_app.extensions["vx_services"]
    return str(current_app.config.get(key) or getattr(services.settings, field))


def address_limit() -> str:
    """Sign-in requests per client address."""
    return _settings_limit(ADDRESS_LIMIT, "citizen_address_limit")


def identity_limit() -> str:
    """Sign-in requests per identity number."""
    return _settings_limit(IDENTITY_LIMIT, "citizen_identity_limit")


def identity_key() -> str:
    """The rate limit's key of the identity number in the body (hashed: the limiter's store
    holds no identity numbers); the client address when the body names none."""
    body = request.get_json(silent=True)
    number = body.get("identity_number") if isinstance(body, dict) else None
    if not isinstance(number, str) or not number.strip():
        return f"addr:{get_remote_address()}"
    digest = hashlib.sha256(normalise_identity(number).encode("utf-8", "replace"))
    return f"id:{digest.hexdigest()[:32]}"


def _errors(*statuses: int) -> dict[str, Any]:
    return {f"HTTP_{status}": ErrorBody for status in statuses}


def _limited(limiter: Limiter, view: Any) -> Any:
    by_address = limiter.limit(address_limit, methods=["POST"])
    by_identity = limiter.limit(identity_limit, key_func=identity_key, methods=["POST"])
    return by_address(by_identity(view))


def add_routes(spec: SpecTree, bp: Blueprint, server: Flask, limiter: Limiter) -> None:
    """The citizen routes on the API blueprint, and the app's OtpSender."""
    server.extensions[citizen.SENDER] = load_sender(
        server.extensions["vx_services"].settings.otp_sender)
    signed = _errors(400, 401, 413)
    code = spec.validate(json=CodeRequest, security={}, tags=TAGS, resp=Response(
        HTTP_202=CodeAccepted, **_errors(400, 413, 429)))
    bp.add_url_rule("/citizen/auth/code", "citizen_code",
                    _limited(limiter, code(citizen.request_code)), methods=["POST"])
    token = spec.validate(json=CitizenTokenRequest, security={}, tags=TAGS, resp=Response(
        HTTP_200=TokenResponse, HTTP_401=TokenError, **_errors(400, 413, 429)))
    bp.add_url_rule("/citizen/auth/token", "citizen_token",
                    _limited(limiter, token(citizen.issue_token)), methods=["POST"])
    bp.add_url_rule("/citizen/me", "citizen_me", spec.validate(
        tags=TAGS, resp=Response(HTTP_200=CitizenMeOut, **signed, **_errors(404)))(
            citizen.me))
    bp.add_url_rule("/citizen/me/doses", "citizen_doses", spec.validate(
        tags=TAGS, resp=Response(HTTP_200=CitizenDoseList, **signed))(citizen.doses))
    bp.add_url_rule("/citizen/me/immunizations", "citizen_immunizations", spec.validate(
        query=ImmunizationQuery, tags=TAGS, resp=Response(HTTP_200=FhirBundle, **signed))(
            citizen.immunizations))
    bp.add_url_rule("/citizen/me/registrations", "citizen_registrations", spec.validate(
        tags=TAGS, resp=Response(HTTP_200=CitizenRegistrationList, **signed))(
            citizen.my_registrations))
    bp.add_url_rule("/citizen/me/registrations", "citizen_register", spec.validate(
        json=CitizenRegistrationIn, tags=TAGS, resp=Response(
            HTTP_201=CitizenRegistrationOut, **signed, **_errors(422)))(citizen.register),
        methods=["POST"])
    cancel = spec.validate(tags=TAGS, resp=Response(HTTP_200=CitizenRegistrationOut,
                                                    **signed, **_errors(404)))(citizen.cancel)
    bp.add_url_rule("/citizen/me/registrations/<registration_id>/cancel", "citizen_cancel",
                    cancel, methods=["POST"])
    bp.add_url_rule("/citizen/me/registrations/<registration_id>", "citizen_delete",
                    cancel, methods=["DELETE"])
    bp.add_url_rule("/citizen/me/self-reports", "citizen_self_report", spec.validate(
        json=SelfReportIn, tags=TAGS, resp=Response(HTTP_201=SelfReportOut, **signed,
                                                    **_errors(422)))(
            citizen_reports.self_report), methods=["POST"])
    bp.add_url_rule("/citizen/me/declarations", "citizen_declaration", spec.validate(
        json=DeclarationIn, tags=TAGS, resp=Response(HTTP_201=DeclarationOut,
                                                     HTTP_200=DeclarationOut, **signed,
                                                     **_errors(422)))(
            citizen_reports.declare), methods=["POST"])
    bp.add_url_rule("/citizen/me/certificate", "citizen_certificate", spec.validate(
        tags=TAGS, resp=Response(HTTP_200=CitizenCertificateOut, **signed,
                                 **_errors(404, 503)))(citizen_certificate.certificate))
