"""Which citizen calls: the person behind a citizen bearer token. A staff token is no citizen
token (another table), so it opens no citizen route, and the reverse."""

from __future__ import annotations

from flask import request

from callbacks.api.bearer import CHALLENGE, services
from callbacks.api.errors import ApiError
from callbacks.shared.i18n import N_
from data.citizen import signin
from data.db import unit_of_work


def citizen_person() -> str:
    """The person id (identity number) of the request's citizen token, or a 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthenticated", N_("api.error.unauthenticated"), "authorization",
                       {"WWW-Authenticate": CHALLENGE})
    with unit_of_work(services().engine) as conn:
        person_id = signin.verify_token(conn, token)
    if person_id is None:
        raise ApiError(401, "invalid_token", N_("api.error.invalid_token"), "authorization",
                       {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
    return person_id
