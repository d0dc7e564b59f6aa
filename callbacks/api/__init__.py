"""The JSON API under /api/v1 (the health-book services' face), on the app's Flask server.

Routes are validated and documented by spectree from the pydantic models in `schemas`; the
OpenAPI 3 document is served at /api/v1/openapi.json. Staff authenticate with bearer tokens
(POST /api/v1/auth/token); role and scope are checked in the data layer at every call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
from flask import Blueprint, Flask, current_app, request
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule

from callbacks.api import accounts, certificates, errors, observation, operations, vaccination
from callbacks.api.schemas import (
    ErrorBody,
    IdentityCheck,
    IdentityResult,
    MeOut,
    RuleSetList,
    TokenError,
    TokenList,
    TokenOut,
    TokenRequest,
    TokenResponse,
)
from callbacks.api.schemas_certificates import TrustListOut
from callbacks.api.schemas_day import (
    BookingIn,
    BookingOut,
    CheckinIn,
    CheckinOut,
    InjectionIn,
    InjectionOut,
    PeopleOut,
    PeopleQuery,
    ScreeningIn,
    ScreeningOut,
    SessionIn,
    SessionOut,
)
from callbacks.api.schemas_observation import (
    BoardOut,
    BoardQuery,
    GiveDoseIn,
    GiveDoseOut,
    LotsOut,
    ObservationOut,
    ReactionIn,
    ReleaseIn,
    TallyIn,
    TallyOut,
)
from callbacks.shared.security import LIMITER
from callbacks.shared.security.gate import JSON_API_PREFIX, is_json_api
from callbacks.shared.security.views import login_rate_limit

BLUEPRINT = "api_v1"
PREFIX = JSON_API_PREFIX.rstrip("/")
OPENAPI_PATH = "/openapi.json"
# Token ids are PostgreSQL integers: a larger one in the URL is a 404, not a database error.
MAX_ID = 2**31 - 1
BEARER = {"bearer": []}


def _errors(*statuses: int) -> dict[str, Any]:
    return {f"HTTP_{status}": ErrorBody for status in statuses}


def _spec() -> SpecTree:
    # The document is served by the blueprint's own route (spectree's would sit under a path
    # prefix it then leaves out of the document); "strict": only the routes validated here.
    return SpecTree(
        "flask", mode="strict", path=f"{PREFIX.lstrip('/')}{OPENAPI_PATH}", page_templates={},
        title="Tiêm chủng COVID-19 · COVID-19 vaccination API", version="1",
        description=("Errors: {\"errors\": [{\"field\", \"code\", \"message\"}]}, messages in "
                     "the language of Accept-Language (vi, en)."),
        security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(
            type=SecureType.HTTP, scheme="bearer"))],
        security=BEARER, before=errors.before_validation, validation_error_status=400,
        validation_error_model=ErrorBody, naming_strategy=lambda model: model.__name__,
    )


def _api_router(server: Flask) -> Callable[[], None]:
    """A before-request hook: a path under /api/v1 that no API route serves is a JSON 404 (or
    405 when another method would be served), never a Dash page nor the 405 of Dash's
    catch-all page route."""
    api_routes = Map([Rule(r.rule, methods=r.methods, endpoint=r.endpoint)
                      for r in server.url_map.iter_rules()
                      if r.endpoint.startswith(f"{BLUEPRINT}.")])

    def route() -> None:
        if is_json_api(request.path) and request.blueprint != BLUEPRINT:
            api_routes.bind("").match(request.path, request.method)  # NotFound, MethodNotAllowed
            raise NotFound()

    return route


def _vaccination_day(spec: SpecTree, bp: Blueprint, refused: dict[str, Any]) -> None:
    """The routes of data.ops.commands: 201 for what they create, 422 for a refusal."""
    day = ["vaccination day"]
    bp.add_url_rule("/sessions", "create_session", spec.validate(
        json=SessionIn, tags=day, resp=Response(HTTP_201=SessionOut, **refused))(
            vaccination.create), methods=["POST"])
    bp.add_url_rule("/sessions/<session_id>/bookings", "book", spec.validate(
        json=BookingIn, tags=day, resp=Response(HTTP_201=BookingOut, **refused))(
            vaccination.book_person), methods=["POST"])
    bp.add_url_rule("/sessions/<session_id>/close", "close_session", spec.validate(
        tags=day, resp=Response(HTTP_200=SessionOut, **refused))(vaccination.close),
        methods=["POST"])
    bp.add_url_rule("/sessions/<session_id>/tally", "close_tally", spec.validate(
        json=TallyIn, tags=day, resp=Response(HTTP_201=TallyOut, HTTP_200=TallyOut,
                                              **refused))(vaccination.close_tally),
        methods=["POST"])
    bp.add_url_rule("/people", "find_person", spec.validate(
        query=PeopleQuery, tags=day, resp=Response(HTTP_200=PeopleOut, **refused))(
            vaccination.people))
    bp.add_url_rule("/checkins", "checkin", spec.validate(
        json=CheckinIn, tags=day, resp=Response(HTTP_201=CheckinOut, **refused))(
            vaccination.checkin), methods=["POST"])
    bp.add_url_rule("/screenings", "screening_record", spec.validate(
        json=ScreeningIn, tags=day, resp=Response(HTTP_201=ScreeningOut, **refused))(
            vaccination.screen), methods=["POST"])
    bp.add_url_rule("/injections", "injection", spec.validate(
        json=InjectionIn, tags=day, resp=Response(HTTP_201=InjectionOut,
                                                  HTTP_200=InjectionOut, **refused))(
            vaccination.inject), methods=["POST"])
    bp.add_url_rule("/observation", "observation_board", spec.validate(
        query=BoardQuery, tags=day, resp=Response(HTTP_200=BoardOut, **refused))(
            observation.board))
    bp.add_url_rule("/observation/<record_id>/release", "observation_release", spec.validate(
        json=ReleaseIn, tags=day, resp=Response(HTTP_201=ObservationOut, **refused))(
            observation.release_person), methods=["POST"])
    bp.add_url_rule("/observation/<record_id>/reaction", "observation_reaction", spec.validate(
        json=ReactionIn, tags=day, resp=Response(HTTP_201=ObservationOut, **refused))(
            observation.reaction), methods=["POST"])
    bp.add_url_rule("/sessions/<session_id>/lots", "session_lots", spec.validate(
        tags=day, resp=Response(HTTP_200=LotsOut, **refused))(vaccination.lots))
    bp.add_url_rule("/doses", "give_dose", spec.validate(
        json=GiveDoseIn, tags=day, resp=Response(HTTP_201=GiveDoseOut, HTTP_200=GiveDoseOut,
                                                 **refused))(vaccination.give),
        methods=["POST"])


def build_blueprint(spec: SpecTree, server: Flask) -> Blueprint:
    """The API routes of one app, validated and documented by `spec`."""
    bp = Blueprint(BLUEPRINT, __name__, url_prefix=PREFIX)
    limiter = server.extensions[LIMITER]
    signed = _errors(400, 401, 403, 413)

    token = spec.validate(json=TokenRequest, security={}, tags=["auth"], resp=Response(
        HTTP_200=TokenResponse, HTTP_401=TokenError, **_errors(400, 403, 413, 429)))
    bp.add_url_rule("/auth/token", "token", limiter.limit(
        login_rate_limit, methods=["POST"])(token(accounts.issue_token)), methods=["POST"])
    bp.add_url_rule("/me", "me", spec.validate(
        tags=["auth"], resp=Response(HTTP_200=MeOut, **signed))(accounts.me))
    bp.add_url_rule("/admin/tokens", "tokens", spec.validate(
        tags=["admin"], resp=Response(HTTP_200=TokenList, **signed))(accounts.list_tokens))
    bp.add_url_rule(
        f"/admin/tokens/<int(max={MAX_ID}):token_id>/revoke", "revoke",
        spec.validate(tags=["admin"], resp=Response(HTTP_200=TokenOut, **signed,
                                                     **_errors(404)))(accounts.revoke_token),
        methods=["POST"])
    bp.add_url_rule("/rules/screening", "screening", spec.validate(
        tags=["operations"], resp=Response(HTTP_200=RuleSetList, **signed))(
            operations.screening_rules))
    bp.add_url_rule("/identity/check", "identity", spec.validate(
        json=IdentityCheck, tags=["operations"], resp=Response(HTTP_200=IdentityResult,
                                                               **signed))(
            operations.identity_check), methods=["POST"])
    _vaccination_day(spec, bp, signed | _errors(422))
    # Public: verifiers anywhere read it without an account (the EU DCC trust list shape).
    bp.add_url_rule("/trust-list", "trust_list", spec.validate(
        security={}, tags=["certificates"], resp=Response(HTTP_200=TrustListOut,
                                                          **_errors(400)))(
            certificates.trust_list))
    bp.add_url_rule(OPENAPI_PATH, "openapi", lambda: current_app.json.response(spec.spec))
    errors.register(bp)
    return bp


def init_app(app: dash.Dash) -> None:
    """Mount the API on the app's Flask server (after the security layer: it needs its
    rate limiter)."""
    server: Flask = app.server
    server.register_blueprint(build_blueprint(_spec(), server))
    server.before_request(_api_router(server))
    errors.register_app(server)
