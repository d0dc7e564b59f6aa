"""Self-registration on the public portal (no sign-in).

A self-registration is one row of a registrations file: the cells go through the contract's
rules and loader (data.registrations), so it is valid exactly when that file row would be.
The portal adds three checks of its own: a CCCD must agree with the birth date and sex typed
beside it (data.cccd, as at check-in), the preferred facility must be an active one of the
chosen district, and an identity number registers once. The last is held by
portal_registration's primary key, inserted first in the transaction: a second submission of
the same identity waits for the first to commit and then fails, so two at the same moment
still make one registration. An identity already in the registry (a file, a walk-in) is
refused too.

A refusal tells nothing about the registration already there (an anonymous visitor could be
anyone): the callers word it as "already registered: look it up with your code".
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, bindparam, exists, insert, select
from sqlalchemy.exc import IntegrityError

from data import audit
from data.audit import Actor
from data.cccd import CCCD_LENGTH, check_cccd, decode_cccd
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.facility_rules import text_problems
from data.loaders.simple import apply_registrations
from data.messages import N_
from data.models.operational import Registration
from data.models.portal import PortalRegistration
from data.models.reference import Facility
from data.portal import challenge
from data.registrations import checked_registration
from data.rule_errors import RuleError
from data.version import bump_version

REGISTRATIONS = Registration.__table__
CLAIMS = PortalRegistration.__table__
FACILITIES = Facility.__table__

DUPLICATE = N_("portal.reg.duplicate")
FACILITY_UNKNOWN = N_("portal.reg.facility_unknown")
# Crockford's base-32 letters (no I, L, O, U): a code read aloud or copied by hand.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PREFIX = "DK"  # "đăng ký": a registration made on the portal
CODE_CHARS = 8      # 32^8 ≈ 10^12 codes: not guessable, and the look-up needs the birth date
# Widths of the registration table's columns: a longer value is refused, never cut.
LIMITS = {"full_name": 200, "address": 300}
# The contract's spellings of sex (data.interchange.kinds.common.SEX_ALIASES), folded.
SEX_TYPED = {"m": "M", "f": "F", "nam": "M", "nữ": "F", "nu": "F", "male": "M",
             "female": "F"}
# The registration's statements, built once (see data.audit._APPEND).
_CLAIM = insert(CLAIMS)
_PERSON_HELD = select(exists().where(REGISTRATIONS.c.person_id == bindparam("person_id")))
_CODE_HELD = select(exists().where(REGISTRATIONS.c.registration_id == bindparam("code")))
_ACTIVE_IN = select(exists().where(FACILITIES.c.code == bindparam("facility"),
                                   FACILITIES.c.district_code == bindparam("district"),
                                   FACILITIES.c.status == "ACTIVE"))


@dataclass(frozen=True)
class SelfRegistration:
    """What the registration form sends: the contract's registration fields (text as typed)
    and the preferred facility."""

    person_id: str | None
    id_type: str | None
    full_name: str | None
    birth_date: str | None  # ISO date
    sex: str | None
    phone: str | None
    priority_group: str | None
    province_code: str | None
    district_code: str | None
    ward_code: str | None = None
    address: str | None = None
    facility_code: str | None = None


class AlreadyRegistered(OpsError):
    """The identity number is registered already (nothing more is said about it)."""

    def __init__(self) -> None:
        super().__init__([Problem("person_id", DUPLICATE)])


def new_code() -> str:
    """A fresh registration code, DK followed by 8 letters and digits."""
    return CODE_PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))


def _cells(form: SelfRegistration, code: str, at: dt.datetime) -> dict[str, object]:
    return {"registration_id": code, "person_id": form.person_id, "id_type": form.id_type,
            "full_name": form.full_name, "birth_date": form.birth_date, "sex": form.sex,
            "phone": form.phone, "priority_group": form.priority_group or "0",
            "province_code": form.province_code, "district_code": form.district_code,
            "ward_code": form.ward_code or None, "address": form.address or None,
            "organisation": None, "registered_at": at.isoformat()}


def cccd_problems(person_id: str, id_type: str, birth_date: dt.date, sex: str
                  ) -> list[Problem]:
    """What a CCCD contradicts (beside the field it contradicts), or its malformed part."""
    if id_type != "CCCD":
        return []
    try:
        decode_cccd(person_id, as_of=None)
        mismatches = check_cccd(person_id, birth_date, sex)
    except RuleError as err:
        return [Problem("person_id", err.code, err.detail)]
    fields = {"cccd.year_mismatch": "birth_date", "cccd.sex_mismatch": "sex"}
    return [Problem(fields[m.code], m.code, f"{m.from_number} / {m.from_form}")
            for m in mismatches]


def typed_cccd_problems(form: SelfRegistration) -> list[Problem]:
    """cccd_problems of the form as typed, when its number, birth date and sex can be read
    (a form the contract refused for other fields); [] otherwise."""
    number = re.sub(r"[\s.-]", "", form.person_id or "")
    if form.id_type not in (None, "", "CCCD") or len(number) != CCCD_LENGTH:
        return []
    try:
        birth = dt.date.fromisoformat((form.birth_date or "").strip())
        # No sex chosen yet: the number's own, so that only the birth year is compared.
        sex = SEX_TYPED.get((form.sex or "").strip().casefold()) or decode_cccd(number).sex
    except (ValueError, RuleError):
        return []
    return cccd_problems(number, "CCCD", birth, sex)


def _first_per_field(problems: list[Problem]) -> list[Problem]:
    out: dict[str, Problem] = {}
    for p in problems:
        out.setdefault(p.field, p)
    return list(out.values())


def register_self(engine: Engine, form: SelfRegistration, lang: str, tz: str,
                  source: str | None, now: dt.datetime | None = None,
                  nonce: str | None = None) -> str:
    """Register the person; returns the registration code. OpsError with each refused field
    (worded as the reject report in `lang`, or a message id), AlreadyRegistered when the
    identity number is registered already. `nonce`, the form's solved challenge, is spent
    whatever the outcome (challenge.ChallengeUsed, nothing written, when it was already):
    in the registration's own transaction when it is stored, else in one of its own."""
    at = now or dt.datetime.now(dt.UTC)
    try:
        return _register(engine, form, lang, tz, source, at, nonce)
    except OpsError:
        if nonce is not None:
            challenge.spend(engine, nonce, at)  # a refused form uses up its sum all the same
        raise


def _register(engine: Engine, form: SelfRegistration, lang: str, tz: str,
              source: str | None, at: dt.datetime, nonce: str | None) -> str:
    too_long = text_problems({"full_name": form.full_name, "address": form.address}, LIMITS,
                             lang)
    try:
        with unit_of_work(engine) as conn:
            if nonce is not None:
                challenge.spend_in(conn, nonce, at)  # first: a replay writes nothing
            code = _free_code(conn)
            try:
                rows = checked_registration(conn, _cells(form, code, at), lang, tz)
            except OpsError as err:
                # Say everything at once: the widths, the contract's refusals, and what the
                # CCCD contradicts, one problem per field.
                found = [*too_long, *err.problems, *typed_cccd_problems(form)]
                raise OpsError(_first_per_field(found)) from err
            if too_long:
                raise OpsError(too_long)
            row = rows.first
            person = str(row["person_id"])
            birth = dt.date.fromisoformat(str(row["birth_date"])[:10])
            problems = cccd_problems(person, str(row["id_type"]), birth, str(row["sex"]))
            facility = (form.facility_code or "").strip() or None
            if facility is not None and not _active_in(conn, facility, str(row["district_code"])):
                problems.append(Problem("facility_code", FACILITY_UNKNOWN))
            if problems:
                raise OpsError(problems)
            # The claim first: a concurrent submission of the same identity waits here.
            conn.execute(_CLAIM, {"person_id": person, "registration_id": code,
                                  "facility_code": facility, "created_at": at})
            if conn.execute(_PERSON_HELD, {"person_id": person}).scalar():
                raise AlreadyRegistered()
            apply_registrations(conn, rows, 1_000, fresh=True)  # _free_code made the code
            audit.record(conn, Actor(None, "portal", source), "CREATE", "registration", code,
                         detail={"channel": "portal", "facility_code": facility})
            bump_version(conn)  # last: the version row is held only until the commit
    except IntegrityError as err:
        raise AlreadyRegistered() from err
    return code


def _free_code(conn: object) -> str:
    """A code no registration holds (the loader would otherwise update that one)."""
    while True:
        code = new_code()
        taken = conn.execute(_CODE_HELD, {"code": code}).scalar()  # type: ignore[attr-defined]
        if not taken:
            return code


def _active_in(conn: object, facility: str, district: str) -> bool:
    held = conn.execute(_ACTIVE_IN,  # type: ignore[attr-defined]
                        {"facility": facility[:32], "district": district})
    return bool(held.scalar())
