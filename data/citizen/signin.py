"""A citizen signs in with identity number + date of birth + a one-time code.

request_code: when a person with this identity number and birth date is on record (a
registration or a dose), a 6-digit code is stored hashed (salted SHA-256) with a short expiry
and a limit of wrong tries, and handed to the OtpSender; the caller's answer is the same either
way (no enumeration). exchange_code: the right live code gives a short-lived citizen token,
stored hashed like staff tokens (data.auth.tokens) but in its own table: it names a person,
never an account, so staff and citizen tokens cannot open each other's routes.

The audit log gets the sign-ins and refusals, keyed by a pseudonym of the identity number
(`person_ref`): like the dose entries, it carries no identity number, name or phone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, union_all, update

from data import audit
from data.audit import Actor
from data.auth.tokens import MAX_TOKEN_LENGTH, TOUCH_EVERY, digest
from data.citizen.otp_sender import OtpSender
from data.db import unit_of_work
from data.models.citizen_auth import CitizenCode, CitizenToken
from data.models.operational import Injection, Registration

CODES = CitizenCode.__table__
TOKENS = CitizenToken.__table__
REGISTRATIONS = Registration.__table__
INJECTIONS = Injection.__table__
CODE_DIGITS = 6
# The audit log's name for a citizen (no account behind it).
CITIZEN = "citizen"
_SEPARATORS = re.compile(r"[\s.-]")
MAX_IDENTITY = 20  # registration.person_id


@dataclass(frozen=True)
class IssuedCitizenToken:
    """A new citizen token: the secret (shown once) and its lifetime."""

    id: int
    token: str
    expires_in: int


def normalise_identity(number: str) -> str:
    """An identity number as the interchange stores it: upper case, no spaces, dots, dashes."""
    return _SEPARATORS.sub("", number).upper()


def person_ref(person_id: str) -> str:
    """The audit log's pseudonym of a person: the start of the identity number's SHA-256."""
    return "p:" + hashlib.sha256(person_id.encode("utf-8")).hexdigest()[:16]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _code_hash(salt: str, person_id: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{person_id}:{code}".encode()).hexdigest()


def contact_of(conn: Connection, person_id: str, birth_date: dt.date) -> str | None:
    """Where the person's code goes (the phone of their newest record, else the identity
    number), None when no registration or dose carries this identity number and birth date."""
    reg, inj = REGISTRATIONS.c, INJECTIONS.c
    records = union_all(
        select(reg.phone.label("phone"), reg.registered_at.label("at")).where(
            reg.person_id == person_id, reg.birth_date == birth_date),
        select(inj.phone.label("phone"), inj.administered_at.label("at")).where(
            inj.person_id == person_id, inj.birth_date == birth_date),
    ).subquery()
    row = conn.execute(select(records.c.phone).order_by(
        records.c.phone.is_(None), records.c.at.desc()).limit(1)).first()
    if row is None:
        return None
    return str(row[0]) if row[0] else person_id


def request_code(engine: Engine, sender: OtpSender, identity_number: str,
                 birth_date: dt.date, lang: str, source: str, ttl_s: int,
                 now: dt.datetime | None = None) -> bool:
    """Send a new code when the person is on record (earlier codes die); True when one was
    sent. The caller answers the same either way."""
    person_id = normalise_identity(identity_number)
    if not person_id or len(person_id) > MAX_IDENTITY:
        return False
    now = now or _now()
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    with unit_of_work(engine) as conn:
        contact = contact_of(conn, person_id, birth_date)
        if contact is None:
            return False
        conn.execute(update(CODES).where(CODES.c.person_id == person_id,
                                         CODES.c.used_at.is_(None)).values(used_at=now))
        code_id = conn.execute(insert(CODES).values(
            person_id=person_id, salt=salt, code_hash=_code_hash(salt, person_id, code),
            source=source[:64], created_at=now, expires_at=now + dt.timedelta(seconds=ttl_s),
            attempts=0).returning(CODES.c.id)).scalar_one()
        audit.record(conn, Actor(None, CITIZEN, source[:64]), "CODE_SEND", "citizen_code",
                     str(code_id), detail={"person": person_ref(person_id)})
    # After the commit: a slow gateway holds no transaction open.
    sender.send(contact, code, lang)
    return True


def exchange_code(engine: Engine, identity_number: str, birth_date: dt.date, code: str,
                  source: str, ttl_s: int, max_attempts: int,
                  now: dt.datetime | None = None) -> IssuedCitizenToken | None:
    """A citizen token for the right live code, None otherwise (a wrong code counts against
    the code's tries; an unknown person, an expired, used or exhausted code gets the same
    None)."""
    person_id = normalise_identity(identity_number)
    if not person_id or len(person_id) > MAX_IDENTITY:
        return None
    now = now or _now()
    actor = Actor(None, CITIZEN, source[:64])
    with unit_of_work(engine) as conn:
        row = conn.execute(select(CODES).where(
            CODES.c.person_id == person_id, CODES.c.used_at.is_(None),
            CODES.c.expires_at > now, CODES.c.attempts < max_attempts,
        ).order_by(CODES.c.id.desc()).limit(1).with_for_update()).mappings().first()
        right = (row is not None and contact_of(conn, person_id, birth_date) is not None
                 and hmac.compare_digest(row["code_hash"],
                                         _code_hash(row["salt"], person_id, code)))
        if not right:
            if row is not None:
                conn.execute(update(CODES).where(CODES.c.id == row["id"])
                             .values(attempts=CODES.c.attempts + 1))
            audit.record(conn, actor, "SIGN_IN_REFUSED", "citizen_token", None,
                         detail={"person": person_ref(person_id)})
            return None
        assert row is not None
        conn.execute(update(CODES).where(CODES.c.id == row["id"]).values(used_at=now))
        token = secrets.token_urlsafe(32)
        expires = now + dt.timedelta(seconds=ttl_s)
        token_id = conn.execute(insert(TOKENS).values(
            person_id=person_id, token_hash=digest(token), source=source[:64],
            created_at=now, expires_at=expires).returning(TOKENS.c.id)).scalar_one()
        audit.record(conn, actor, "SIGN_IN", "citizen_token", str(token_id),
                     after={"expires_at": expires.isoformat()},
                     detail={"person": person_ref(person_id)})
    return IssuedCitizenToken(int(token_id), token, ttl_s)


def verify_token(conn: Connection, token: str, now: dt.datetime | None = None) -> str | None:
    """The person id (identity number) of a valid citizen token, None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    now = now or _now()
    row = conn.execute(select(TOKENS.c.id, TOKENS.c.person_id).where(
        TOKENS.c.token_hash == digest(token), TOKENS.c.revoked_at.is_(None),
        TOKENS.c.expires_at > now)).first()
    if row is None:
        return None
    conn.execute(update(TOKENS).where(
        TOKENS.c.id == row[0],
        TOKENS.c.last_used_at.is_(None) | (TOKENS.c.last_used_at < now - TOUCH_EVERY),
    ).values(last_used_at=now))
    return str(row[1])
