"""Which citizen calls: the person behind a citizen bearer token. A staff token is no citizen
token (another table), so it opens no citizen route, and the reverse."""

from __future__ import annotations

from callbacks.api.bearer import invalid_token, sent_token, services
from data.citizen import signin
from data.db import unit_of_work


def citizen_person() -> str:
    """The person id (identity number) of the request's citizen token, or a 401."""
    token = sent_token()
    with unit_of_work(services().engine) as conn:
        person_id = signin.verify_token(conn, token)
    if person_id is None:
        raise invalid_token()
    return person_id
