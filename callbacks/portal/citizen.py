"""What the portal's citizen pages share: the dates a citizen types, who is asking (the client
address, for the rate limits and the audit), the rate limits themselves, and identification.

Rate limits are counted in the app's limiter storage (server.extensions[LIMITER]: Redis in
production, shared by the workers) per client address and action, with the limiter's moving
window; like the limiter itself, a storage failure lets the request through (the data layer's
own rules still hold).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from flask import current_app, has_request_context, request
from flask_limiter.util import get_remote_address
from limits import parse

from callbacks.shared.i18n import N_, t
from callbacks.shared.security import LIMITER
from data.citizen.identify import find_person
from data.services import Services

log = logging.getLogger(__name__)

# Identification answers "yes, that person" or not: a look-up guesser is slowed down to a
# handful of tries a minute, a few dozen an hour, per address.
FIND_LIMITS = ("10 per minute", "60 per hour")
SUBMIT_LIMITS = ("6 per minute", "40 per hour")
NOT_FOUND = N_("portal.citizen.not_found")
TOO_MANY = N_("portal.citizen.too_many")
_DAY = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")
_ISO = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")


def parse_day(value: object) -> dt.date | None:
    """dd/mm/yyyy (or d/m/yyyy, dots or dashes; or ISO yyyy-mm-dd) as a date; None else."""
    if not isinstance(value, str) or len(value) > 20:
        return None
    found = _DAY.fullmatch(value)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    if parts is None and (iso := _ISO.fullmatch(value)):
        parts = iso.groups()
    if parts is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def source() -> str:
    """The client address (behind the trusted proxies: ProxyFix)."""
    return ((request.remote_addr if has_request_context() else None) or "unknown")[:64]


def allowed(action: str, limits: tuple[str, ...]) -> bool:
    """Count one `action` of this client address; False once any of `limits` is spent."""
    if not has_request_context():
        return True
    limiter = current_app.extensions.get(LIMITER)
    if limiter is None:
        return True
    try:
        strategy = limiter.limiter
        return all([strategy.hit(parse(rate), "portal", action, get_remote_address())
                    for rate in limits])
    except Exception:  # noqa: BLE001 - the storage is down: fail open, as the limiter does
        log.warning("portal rate limit storage unavailable", exc_info=True)
        return True


def too_many(lang: str) -> str:
    """The refusal once a rate limit is spent."""
    return t(TOO_MANY, lang)


def identify(services: Services, number: object, name: object, dob_text: object
             ) -> str | None:
    """The person_id of this identity number, full name and birth date; None for any
    mismatch (the same answer as an unknown person)."""
    dob = parse_day(dob_text)
    if dob is None:
        return None
    with services.engine.connect() as conn:
        return find_person(conn, number, name, dob)


def identity_errors(number: object, name: object, dob_text: object, lang: str,
                    fields: tuple[str, str, str]) -> dict[str, str]:
    """Blank or unreadable identity fields, beside each (before any look-up)."""
    errors: dict[str, str] = {}
    if not isinstance(number, str) or not number.strip():
        errors[fields[0]] = t("portal.citizen.id_needed", lang)
    if not isinstance(name, str) or not name.strip():
        errors[fields[1]] = t("portal.citizen.name_needed", lang)
    if parse_day(dob_text) is None:
        errors[fields[2]] = t("portal.citizen.day_bad", lang)
    return errors
