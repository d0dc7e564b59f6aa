"""Facilities managed by province and district officers: create one, edit one.

The rules and the write path are shared with the public portal's facility registration
(data.facility_rules): a form's facility is valid exactly when the same row of a facilities
file would be, and is loaded, audited and versioned in one transaction.

Who: a PROVINCE_OFFICER for the facilities of its province, a DISTRICT_OFFICER for those of
its district, the command line (SYSTEM) for all. Checked here, before anything is read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from data.auth.roles import Forbidden, Principal, Role
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.facility_rules import (
    CODE_BAD,
    CODE_FORMAT,
    FACILITIES,
    FIELDS,
    MAX_ADDRESS,
    MAX_CODE,
    MAX_NAME,
    MAX_REASON,
    TEXT_TOO_LONG,
    checked_facility,
    form_problems,
    one_row,
    province_of,
    stored,
    text_problems,
    write_facility_row,
)
from data.interchange.cells import has_bad_char
from data.messages import N_
from data.ops.commands.common import actor

__all__ = ["CODE_BAD", "CODE_FORMAT", "FACILITIES", "FIELDS", "MAX_ADDRESS", "MAX_CODE",
           "MAX_NAME", "MAX_REASON", "TEXT_TOO_LONG", "FacilityForm", "checked_facility",
           "contract_cells", "create_facility", "edit_facility", "managed_row", "manages",
           "one_row", "require_manages", "stored", "text_problems", "write_facility"]

MANAGER_ROLES = (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER)
# A new facility starts PENDING (to be approved) or ACTIVE (the officer approves it now).
CREATE_STATUSES = ("PENDING", "ACTIVE")

CODE_TAKEN = N_("facility.code_taken")
UNKNOWN = N_("facility.unknown")
DISTRICT_UNKNOWN = N_("facility.district_unknown")
CREATE_STATUS = N_("facility.create_status")


@dataclass(frozen=True)
class FacilityForm:
    """What the facility form sends (the province follows from the district)."""

    code: str
    name: str
    kind: str
    district_code: str
    ward_code: str | None = None
    address: str | None = None
    daily_capacity: int | str | None = None  # text as typed: the contract's rule reads it
    status: str = "PENDING"  # on create only; an edit keeps the status (facilities_status)


def manages(principal: Principal, province_code: str | None, district_code: str | None
            ) -> bool:
    """Whether the principal manages the facilities of this district: an officer of the
    province or of the district itself (SYSTEM: everywhere)."""
    if principal.is_system:
        return True
    return any((g.role == Role.PROVINCE_OFFICER and g.province_code == province_code)
               or (g.role == Role.DISTRICT_OFFICER and g.district_code == district_code)
               for g in principal.grants)


def require_manages(principal: Principal, province_code: str | None,
                    district_code: str | None) -> None:
    """Forbidden unless manages(...) holds."""
    if not manages(principal, province_code, district_code):
        raise Forbidden(f"{principal.username} may not manage facilities of {district_code}")


def managed_row(conn: Connection, principal: Principal, code: object, *, lock: bool = False
                ) -> dict[str, object]:
    """The stored facility once the principal's scope over it is checked; OpsError when
    the code is unknown (facilities are public: this tells nothing)."""
    known = isinstance(code, str) and 0 < len(code) <= MAX_CODE and not has_bad_char(code)
    row = stored(conn, code, lock=lock) if known else None  # type: ignore[arg-type]
    if row is None:
        raise OpsError.one("facility_code", UNKNOWN, str(code)[:MAX_CODE])
    require_manages(principal, str(row["province_code"]), str(row["district_code"]))
    return row


def contract_cells(row: Mapping[str, object]) -> dict[str, object]:
    """A stored facility in the contract's columns (the starting point of a changed row)."""
    return {f: row["code" if f == "facility_code" else f] for f in FIELDS}


def write_facility(conn: Connection, principal: Principal, source: str | None, action: str,
                   cells: Mapping[str, object], before: Mapping[str, object] | None,
                   reason: str | None, lang: str) -> bool:
    """The shared write path (data.facility_rules.write_facility_row) as this principal."""
    return write_facility_row(conn, actor(principal, source), action, cells, before, reason,
                              lang)


def _form_problems(form: FacilityForm, lang: str) -> list[Problem]:
    return form_problems(form.code, form.name, form.address, lang)


def _cells(form: FacilityForm, province: str, status: str,
           kept: Mapping[str, object] | None) -> dict[str, object]:
    return {"facility_code": form.code, "name": form.name, "kind": form.kind,
            "province_code": province, "district_code": form.district_code,
            "ward_code": form.ward_code, "address": form.address,
            "latitude": kept.get("latitude") if kept else None,
            "longitude": kept.get("longitude") if kept else None,
            "daily_capacity": form.daily_capacity, "status": status}


def _place(conn: Connection, principal: Principal, district_code: str) -> str:
    """The province of the form's district once the principal manages it."""
    province = province_of(conn, district_code)
    if province is None:
        raise OpsError.one("district_code", DISTRICT_UNKNOWN, str(district_code)[:8])
    require_manages(principal, province, district_code)
    return province


def create_facility(engine: Engine, principal: Principal, source: str | None,
                    form: FacilityForm, lang: str) -> str:
    """Register a facility in a district the principal manages; returns its code.
    Forbidden outside the scope, OpsError (field by field) when a rule refuses it."""
    with unit_of_work(engine) as conn:
        province = _place(conn, principal, form.district_code)
        problems = _form_problems(form, lang)
        if form.status not in CREATE_STATUSES:
            problems.append(Problem("status", CREATE_STATUS, str(form.status)[:12]))
        if problems:
            raise OpsError(problems)
        code = form.code.strip() if isinstance(form.code, str) else ""
        if code and stored(conn, code) is not None:
            raise OpsError.one("facility_code", CODE_TAKEN, code)
        write_facility(conn, principal, source, "CREATE",
                       _cells(form, province, form.status, None), None, None, lang)
    return code


def edit_facility(engine: Engine, principal: Principal, source: str | None,
                  form: FacilityForm, lang: str) -> bool:
    """Change a facility's name, kind, place, address or capacity (not its code or status);
    both its place before and after must lie in the principal's scope. False when the form
    changed nothing."""
    with unit_of_work(engine) as conn:
        row = managed_row(conn, principal, form.code, lock=True)
        province = _place(conn, principal, form.district_code)
        problems = _form_problems(form, lang)
        if problems:
            raise OpsError(problems)
        cells = _cells(form, province, str(row["status"]), row)
        return write_facility(conn, principal, source, "UPDATE", cells, row,
                              row.get("status_reason"), lang)  # type: ignore[arg-type]
