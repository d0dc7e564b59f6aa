"""Who calls: the principal behind the request's bearer token (RFC 6750), read at every call."""

from __future__ import annotations

from flask import current_app, request

from callbacks.api.errors import ApiError
from callbacks.shared.i18n import N_
from data.auth import tokens
from data.auth.roles import Principal
from data.db import unit_of_work
from data.services import Services

# RFC 6750 §3: a 401 names the scheme, and why when a token was sent.
CHALLENGE = 'Bearer realm="api"'


def services() -> Services:
    """The app's services."""
    return current_app.extensions["vx_services"]  # type: ignore[no-any-return]


def source() -> str:
    """The client address, as the audit log and the lock-out record it."""
    return (request.remote_addr or "unknown")[:64]


def sent_token() -> str:
    """The request's bearer token (staff or citizen), or a 401 naming the scheme."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthenticated", N_("api.error.unauthenticated"), "authorization",
                       {"WWW-Authenticate": CHALLENGE})
    return token


def invalid_token() -> ApiError:
    """The 401 of a token that is unknown, expired or revoked."""
    return ApiError(401, "invalid_token", N_("api.error.invalid_token"), "authorization",
                    {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})


def bearer_principal() -> Principal:
    """The token holder's principal with his grants as they are now, or a 401."""
    token = sent_token()
    with unit_of_work(services().engine) as conn:
        principal = tokens.verify(conn, token)
    if principal is None:
        raise invalid_token()
    return principal
