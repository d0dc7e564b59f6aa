"""The API's one error shape, {"errors": [{"field", "code", "message"}]}, for every failure:
validation, authentication, scope, routing, size, rate limit and server errors alike, with
messages in the language of Accept-Language (Vietnamese unless English is preferred)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from callbacks.shared.i18n import LANGS, N_, t
from callbacks.shared.problems import problem_values
from callbacks.shared.security.gate import is_json_api
from data.auth.roles import Forbidden
from data.auth.tokens import TokenNotFound
from data.command_errors import OpsError, Problem

log = logging.getLogger(__name__)

# Status -> (code, message id) of the errors that are not about one field.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", N_("api.error.bad_request")),
    401: ("unauthenticated", N_("api.error.unauthenticated")),
    403: ("forbidden", N_("api.error.forbidden")),
    404: ("not_found", N_("api.error.not_found")),
    405: ("method_not_allowed", N_("api.error.method_not_allowed")),
    413: ("too_large", N_("api.error.too_large")),
    429: ("rate_limited", N_("api.error.rate_limited")),
    500: ("server_error", N_("api.error.server_error")),
}
# pydantic error type -> (code, message id); any other type is "invalid".
VALIDATION_ERRORS: dict[str, tuple[str, str]] = {
    "missing": ("required", N_("api.error.required")),
    "extra_forbidden": ("unknown_field", N_("api.error.unknown_field")),
}
INVALID = ("invalid", N_("api.error.invalid"))
MALFORMED = ("malformed", N_("api.error.malformed"))
RETRY_AFTER_S = "60"
# A command's refusal (OpsError): 422, the body was well formed (else 400) but refused.
REFUSED = 422


def request_lang() -> str:
    """The language of the answer: the best of Accept-Language, else the configured default."""
    default = current_app.extensions["vx_services"].settings.default_lang
    return request.accept_languages.best_match(LANGS) or default


class ApiError(Exception):
    """A refusal the API answers with `status` and one error item."""

    def __init__(self, status: int, code: str, message_id: str, field: str | None = None,
                 headers: dict[str, str] | None = None, **values: object) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message_id = message_id
        self.field = field
        self.headers = headers or {}
        self.values = values


class RequestInvalid(Exception):
    """The request body or query failed its schema (raised from spectree's before-hook)."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error


def item(field: str | None, code: str, message_id: str, lang: str,
         **values: object) -> dict[str, Any]:
    """One error item in `lang`."""
    return {"field": field, "code": code, "message": t(message_id, lang, **values)}


def error_response(status: int, items: Sequence[dict[str, Any]],
                   headers: dict[str, str] | None = None, **extra: Any) -> Response:
    """The JSON error response."""
    response = current_app.json.response({**extra, "errors": list(items)})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def status_error(status: int, headers: dict[str, str] | None = None) -> Response:
    """The error of a status that concerns no field (404, 405, 413, ...)."""
    fallback = STATUS_ERRORS[400] if status < 500 else STATUS_ERRORS[500]
    code, message_id = STATUS_ERRORS.get(status, fallback)
    return error_response(status, [item(None, code, message_id, request_lang())], headers)


def validation_items(error: ValidationError, lang: str) -> list[dict[str, Any]]:
    """pydantic's errors as API error items: the field path, a stable code, the message."""
    items = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or None
        code, message_id = (VALIDATION_ERRORS.get(problem["type"], INVALID) if field
                            else MALFORMED)
        items.append(item(field, code, message_id, lang))
    return items


def problem_item(problem: Problem, lang: str, worded: bool = False) -> dict[str, Any]:
    """A command's problem as an error item. `worded`: the detail is already the message in
    `lang` (record_injection words its problems as the reject report does); otherwise the code
    is the message id, filled with the detail."""
    if (worded or problem.worded) and problem.detail:
        return {"field": problem.field, "code": problem.code, "message": problem.detail}
    return item(problem.field, problem.code, problem.code, lang, **problem_values(problem))


def refused(error: OpsError, lang: str, worded: bool = False) -> Response:
    """The 422 of a command's refusal: one error per problem."""
    return error_response(REFUSED, [problem_item(p, lang, worded) for p in error.problems])


def before_validation(_req: Any, _resp: Any, error: Exception | None, *_: Any) -> None:
    """spectree's before-hook: a request out of schema becomes the API's 400."""
    if isinstance(error, ValidationError):
        raise RequestInvalid(error)


def _api_error(error: ApiError) -> ResponseReturnValue:
    lang = request_lang()
    return error_response(error.status, [item(error.field, error.code, error.message_id, lang,
                                              **error.values)], error.headers)


def _invalid(error: RequestInvalid) -> ResponseReturnValue:
    return error_response(400, validation_items(error.error, request_lang()))


def _refused(error: OpsError) -> ResponseReturnValue:
    return refused(error, request_lang())


def _forbidden(_error: Forbidden) -> ResponseReturnValue:
    return status_error(403)


def _not_found(_error: TokenNotFound) -> ResponseReturnValue:
    return status_error(404)


def _rate_limited(_error: RateLimitExceeded) -> ResponseReturnValue:
    return status_error(429, {"Retry-After": RETRY_AFTER_S})


def _http_error(error: HTTPException) -> ResponseReturnValue:
    """Werkzeug's HTTP errors: JSON on API paths, untouched (Flask's default) elsewhere."""
    if not is_json_api(request.path):
        return error
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return status_error(error.code or 500, headers)


def _server_error(error: InternalServerError) -> ResponseReturnValue:
    """An unexpected exception: a bug, logged by Flask; the API still answers in JSON."""
    if not is_json_api(request.path):
        return error
    return status_error(500)


def register(blueprint: Blueprint) -> None:
    """The API's own errors, on its blueprint: its handlers come before the app's handlers of
    the same classes (the sign-in page's 429, the dashboards' 403)."""
    handlers: list[tuple[type[Exception], Any]] = [
        (ApiError, _api_error), (RequestInvalid, _invalid), (OpsError, _refused),
        (Forbidden, _forbidden),
        (TokenNotFound, _not_found), (RateLimitExceeded, _rate_limited),
        (HTTPException, _http_error),
    ]
    for exc, handler in handlers:
        blueprint.register_error_handler(exc, handler)


def register_app(server: Flask) -> None:
    """HTTP errors on the app: 404, 405 and 413 come before any blueprint is known."""
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(InternalServerError, _server_error)
