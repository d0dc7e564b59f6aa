"""The registration form's challenge: a small sum the visitor works out, no third party.

The server signs (itsdangerous, with the app's secret) a nonce and the question: the page
carries the token, the server keeps nothing until it is answered. A token is good for
MAX_AGE seconds and once: its nonce is stored when the answer is accepted
(portal_challenge_used, whose primary key refuses a replay, also two at the same moment).
The sum is no secret (it is on the page): what the challenge costs a script is one fresh,
signed token per submission, which together with the rate limits per address and per
identity number (callbacks.portal.limits) bounds scripted floods; it keeps no one out.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Connection, Engine, bindparam, delete, insert
from sqlalchemy.exc import IntegrityError

from data.db import unit_of_work
from data.models.portal import PortalChallengeUsed

MAX_AGE = 15 * 60  # seconds: time to fill the form
# About one spend in this many also forgets the nonces whose tokens have expired: a DELETE at
# every spend doubled the statements of a registration, and a nonce kept a little longer
# only takes room.
FORGET_EVERY = 64
_SALT = "vx-portal-challenge"
USED = PortalChallengeUsed.__table__
# Built once (every registration spends a nonce; see data.audit._APPEND).
_FORGET = delete(USED).where(USED.c.used_at < bindparam("before"))
_SPEND = insert(USED)


@dataclass(frozen=True)
class Challenge:
    """A question to show and the signed token the form sends back with the answer."""

    a: int
    b: int
    token: str


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def new_challenge(secret: str) -> Challenge:
    """A fresh sum of two numbers from 2 to 19."""
    a, b = 2 + secrets.randbelow(18), 2 + secrets.randbelow(18)
    nonce = secrets.token_hex(16)
    token = _serializer(secret).dumps({"n": nonce, "a": a, "b": b})
    return Challenge(a, b, token)


def question(secret: str, token: object) -> tuple[int, int] | None:
    """The sum a token asks (to show it again), None for a bad or expired token."""
    payload = _payload(secret, token)
    return (payload["a"], payload["b"]) if payload else None


def _payload(secret: str, token: object) -> dict | None:
    if not isinstance(token, str) or len(token) > 400:
        return None
    try:
        payload = _serializer(secret).loads(token, max_age=MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    ok = (isinstance(payload, dict) and isinstance(payload.get("n"), str)
          and isinstance(payload.get("a"), int)
          and isinstance(payload.get("b"), int))
    return payload if ok else None


def answer_ok(secret: str, token: object, answer: object) -> str | None:
    """The token's nonce when the token is good and `answer` is its sum, None otherwise
    (nothing is stored: spend() uses the nonce when the form is accepted)."""
    payload = _payload(secret, token)
    if payload is None:
        return None
    text = answer.strip() if isinstance(answer, str) else str(answer) \
        if isinstance(answer, int) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 3):
        return None
    return payload["n"] if int(text) == payload["a"] + payload["b"] else None


class ChallengeUsed(Exception):  # noqa: N818 - a verdict, as AlreadyRegistered
    """The challenge's nonce was spent already (a replay, or a twin request a moment ago)."""


def spend_in(conn: Connection, nonce: str, now: dt.datetime, forget: bool | None = None
             ) -> None:
    """Mark the nonce used inside the caller's transaction; ChallengeUsed when it already
    was, also when another request spent it a moment ago (the primary key decides; the
    transaction is then lost: let it roll back). `forget` (by default about one call in
    FORGET_EVERY) also deletes the nonces of tokens expired long enough ago."""
    if forget is None:
        forget = random.randrange(FORGET_EVERY) == 0  # noqa: S311 - housekeeping, not security
    if forget:
        conn.execute(_FORGET, {"before": now - dt.timedelta(seconds=2 * MAX_AGE)})
    try:
        conn.execute(_SPEND, {"nonce": nonce, "used_at": now})
    except IntegrityError as err:
        raise ChallengeUsed from err


def spend(engine: Engine, nonce: str, now: dt.datetime, forget: bool | None = None) -> bool:
    """spend_in, in a short transaction of its own; False when the nonce was spent."""
    try:
        with unit_of_work(engine) as conn:
            spend_in(conn, nonce, now, forget)
    except ChallengeUsed:
        return False
    return True
