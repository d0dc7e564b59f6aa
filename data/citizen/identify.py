"""Who a citizen is, without an account: the identity number, the full name and the date of
birth together, as stored with their doses (injection) or their registration.

A wrong name or date of birth gets the same answer (None) as an unknown number, so the look-up
tells nobody whether a number exists. Names compare by data.citizen.name_match's rules, the
certificate look-up's too: case, spaces, Unicode normalisation and the tone mark's place
("Hoà"/"Hòa") do not matter; diacritics otherwise do.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Connection, select

from data.citizen import name_match
from data.models.operational import Injection, Registration

INJECTIONS = Injection.__table__
REGISTRATIONS = Registration.__table__
MAX_ID = 20      # injection.person_id
MAX_NAME = 200   # injection.full_name
_CANDIDATES = 50  # rows of one identity number read at most (a person's doses)
_ID = re.compile(r"[0-9A-Z]{6,20}")


def identity_number(value: object) -> str | None:
    """The identity number as stored (CCCD/CMND digits, passport letters in upper case,
    spaces removed), None when it cannot be one."""
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", "", value).upper()
    return text if _ID.fullmatch(text) else None


def name_key(value: object) -> str | None:
    """A full name as compared (data.citizen.name_match); None when blank or too long."""
    if not isinstance(value, str) or len(value) > MAX_NAME * 2:
        return None
    return name_match.name_key(value) or None


def find_person(conn: Connection, identity: object, full_name: object, dob: object
                ) -> str | None:
    """The person_id whose doses or registration carry this identity number, this full name
    and this date of birth; None for any mismatch, unknown number or malformed input."""
    number, name = identity_number(identity), name_key(full_name)
    if number is None or name is None or not isinstance(dob, dt.date) \
            or isinstance(dob, dt.datetime):
        return None
    for table in (INJECTIONS, REGISTRATIONS):
        rows = conn.execute(select(table.c.full_name, table.c.birth_date)
                            .where(table.c.person_id == number).limit(_CANDIDATES)).all()
        if any(born == dob and name_key(stored) == name for stored, born in rows):
            return number
    return None


def home_province(conn: Connection, person_id: str) -> str | None:
    """The person's province of residence: their latest dose's, else their latest
    registration's; None when neither is stored."""
    row = conn.execute(select(INJECTIONS.c.province_code).where(
        INJECTIONS.c.person_id == person_id)
        .order_by(INJECTIONS.c.administered_at.desc()).limit(1)).first()
    if row is None:
        row = conn.execute(select(REGISTRATIONS.c.province_code).where(
            REGISTRATIONS.c.person_id == person_id)
            .order_by(REGISTRATIONS.c.registered_at.desc()).limit(1)).first()
    return None if row is None else row[0]
