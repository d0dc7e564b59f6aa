"""A facility registered by its own people on the public portal (no sign-in).

The facility goes through the same rules and write path as an officer's form
(data.facility_rules: the facilities kind's rules and loader, audit, data version) and starts
PENDING: a province or district officer approves or refuses it at /ops/facilities
(data.ops.commands.facilities_status). Its code is made here, not chosen by the visitor, so
an anonymous form can never name (and so overwrite) a facility that exists. The contact
person is kept in the audit entry of the creation, where the officer's review finds it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine

from data.audit import Actor
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.facility_rules import (
    checked_facility,
    form_problems,
    province_of,
    stored,
    write_facility_row,
)
from data.messages import N_
from data.portal.registration import ALPHABET

CODE_PREFIX = "PF"  # a facility registered on the portal
CONTACT_REQUIRED = N_("portal.fac.contact_name_required")
CONTACT_PHONE = N_("portal.fac.contact_phone_bad")
DISTRICT_UNKNOWN = N_("facility.district_unknown")
MAX_CONTACT = 120
# A Vietnamese number (mobile or landline), as the registrations' phone rule reads it.
_PHONE = re.compile(r"0\d{9,10}")


@dataclass(frozen=True)
class FacilityApplication:
    """What the portal's facility form sends (the province follows from the district)."""

    name: str | None
    kind: str | None
    district_code: str | None
    ward_code: str | None
    address: str | None
    daily_capacity: str | None
    contact_name: str | None
    contact_phone: str | None


def _contact_problems(form: FacilityApplication) -> list[Problem]:
    problems: list[Problem] = []
    name = (form.contact_name or "").strip()
    if not name or len(name) > MAX_CONTACT or not name.isprintable():
        problems.append(Problem("contact_name", CONTACT_REQUIRED))
    phone = re.sub(r"[\s.()-]", "", form.contact_phone or "")
    if not _PHONE.fullmatch(phone):
        problems.append(Problem("contact_phone", CONTACT_PHONE))
    return problems


def register_facility(engine: Engine, form: FacilityApplication, lang: str,
                      source: str | None) -> str:
    """Create the PENDING facility; returns its code. OpsError field by field otherwise."""
    problems = _contact_problems(form)
    problems += form_problems(None, form.name, form.address, lang)
    with unit_of_work(engine) as conn:
        province = province_of(conn, form.district_code)
        if province is None:
            problems.append(Problem("district_code", DISTRICT_UNKNOWN))
        code = _free_code(conn)
        cells = {"facility_code": code, "name": form.name, "kind": form.kind,
                 "province_code": province, "district_code": form.district_code,
                 "ward_code": form.ward_code or None, "address": form.address or None,
                 "latitude": None, "longitude": None,
                 "daily_capacity": form.daily_capacity or None, "status": "PENDING"}
        if province is not None and not problems:
            write_facility_row(conn, Actor(None, "portal", source), "CREATE", cells, None,
                               None, lang, detail={"channel": "portal", **_contact(form)})
            return code
        # Refused already: the contract's rules still say what else is wrong, all at once.
        try:
            checked_facility(conn, cells, lang)
        except OpsError as err:
            problems += [p for p in err.problems if province is not None
                         or p.field not in ("province_code", "district_code")]
        raise OpsError(problems)


def _contact(form: FacilityApplication) -> dict[str, str]:
    return {"contact_name": (form.contact_name or "").strip(),
            "contact_phone": re.sub(r"[\s.()-]", "", form.contact_phone or "")}


def _free_code(conn: object) -> str:
    while True:
        code = CODE_PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(8))
        if stored(conn, code) is None:  # type: ignore[arg-type]
            return code
