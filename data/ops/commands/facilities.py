"""Facilities managed by province and district officers: create one, edit one.

A facility written here is a row of a facilities file: the command builds the one-row frame
the file would give, passes it through the facilities kind's rules
(data.interchange.kinds.reference.transform_facilities) and its loader
(data.loaders.reference.apply_facilities), which keeps dim_facility in step in the same
transaction. So a form's facility is valid exactly when that file row would be. The data
version is bumped and the change audited in the same transaction.

Who: a PROVINCE_OFFICER for the facilities of its province, a DISTRICT_OFFICER for those of
its district, the command line (SYSTEM) for all. Checked here, before anything is read back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, select

from data import audit
from data.auth.roles import Forbidden, Principal, Role
from data.db import unit_of_work
from data.interchange.cells import cell_text, has_bad_char
from data.interchange.kinds.reference import transform_facilities
from data.interchange.messages import message
from data.interchange.validate import LINE, Validator
from data.loaders.reference import apply_facilities
from data.lookups import load_context_for
from data.messages import N_
from data.models.reference import District, Facility
from data.ops.commands.common import actor
from data.ops.commands.errors import OpsError, Problem
from data.settings import Settings
from data.version import bump_version

FACILITIES = Facility.__table__
DISTRICTS = District.__table__
MANAGER_ROLES = (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER)
# The contract's columns of a facility row (docs/interchange.md, "facilities").
FIELDS = ("facility_code", "name", "kind", "province_code", "district_code", "ward_code",
          "address", "latitude", "longitude", "daily_capacity", "status")
# Widths of the facility table's columns: a longer value is refused, never cut.
MAX_CODE, MAX_NAME, MAX_ADDRESS, MAX_REASON = 32, 200, 300, 300
CODE_FORMAT = re.compile(r"[A-Za-z0-9_.-]+")
# A new facility starts PENDING (to be approved) or ACTIVE (the officer approves it now).
CREATE_STATUSES = ("PENDING", "ACTIVE")

CODE_BAD = N_("facility.code_bad")
CODE_TAKEN = N_("facility.code_taken")
UNKNOWN = N_("facility.unknown")
DISTRICT_UNKNOWN = N_("facility.district_unknown")
TEXT_TOO_LONG = N_("facility.too_long")
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


def stored(conn: Connection, code: str, *, lock: bool = False) -> dict[str, object] | None:
    """The facility's row (locked until commit when `lock`), None when the code is unknown."""
    q = select(FACILITIES).where(FACILITIES.c.code == code)
    row = conn.execute(q.with_for_update() if lock else q).mappings().first()
    return dict(row) if row else None


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


def text_problems(values: Mapping[str, object], limits: Mapping[str, int], lang: str
                  ) -> list[Problem]:
    """A text too long for its column, or carrying a character the file readers refuse."""
    problems: list[Problem] = []
    for field, limit in limits.items():
        value = values.get(field)
        if not isinstance(value, str):
            continue
        if len(value) > limit:
            problems.append(Problem(field, TEXT_TOO_LONG, str(limit)))
        elif has_bad_char(value):
            problems.append(Problem(field, "bad_char", message("bad_char", lang), worded=True))
    return problems


def one_row(cells: Mapping[str, object], fields: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The one-row frame of text cells a file would give the transform; a cell with a
    character the readers refuse is refused here, worded as the reject report."""
    values = {f: cell_text(cells.get(f)) for f in fields}
    bad = [Problem(f, "bad_char", message("bad_char", lang), worded=True)
           for f, v in values.items() if v is not None and has_bad_char(v)]
    if bad:
        raise OpsError(bad)
    raw = pd.DataFrame({f: pd.Series([v], dtype="str") for f, v in values.items()})
    raw[LINE] = 1
    return raw


def checked_facility(conn: Connection, cells: Mapping[str, object], lang: str
                     ) -> pd.DataFrame:
    """The loader's row once the facilities kind's rules accept the cells; OpsError with
    the reject report's reasons (in `lang`) otherwise."""
    raw = one_row(cells, FIELDS, lang)
    ctx = load_context_for(conn, [str(cells.get("province_code") or "")],
                           [str(cells.get("district_code") or "")],
                           [str(cells.get("ward_code") or "")], [])
    v = Validator(raw, lang, Settings.timezone)
    result = transform_facilities(v, ctx)
    problems = v.problems()
    if len(problems):
        raise OpsError([Problem(r.field, r.code, r.reason, worded=True)
                        for r in problems.itertuples()])
    return result.rows


def write_facility(conn: Connection, principal: Principal, source: str | None, action: str,
                   cells: Mapping[str, object], before: Mapping[str, object] | None,
                   reason: str | None, lang: str) -> bool:
    """Load the facility row through the contract's rules and loader (facility and
    dim_facility), audit it and bump the data version; False when nothing changed."""
    rows = checked_facility(conn, cells, lang)
    rows["status_reason"] = reason
    counts = apply_facilities(conn, rows, 1_000)
    old_reason = before.get("status_reason") if before else None
    if not (counts.loaded or counts.updated):
        if before is None or old_reason == reason:
            return False
        # Same contract cells (the loader kept the row): only the reason, not hashed, moved.
        conn.execute(FACILITIES.update().where(FACILITIES.c.code == rows.iloc[0]["code"])
                     .values(status_reason=reason))
    after = {f: _plain(v) for f, v in rows.iloc[0].items() if f != "row_hash"}
    audit.record(conn, actor(principal, source), action, "facility", str(rows.iloc[0]["code"]),
                 before={k: _plain(v) for k, v in before.items() if k != "row_hash"}
                 if before else None, after=after)
    bump_version(conn)  # last: the version row is held only until the commit
    return True


def _plain(value: object) -> object:
    """A frame cell as JSON takes it (NaN/NA -> None, numpy numbers -> Python)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return None
    return value.item() if hasattr(value, "item") else value


def _form_problems(form: FacilityForm, lang: str) -> list[Problem]:
    values = {"facility_code": form.code, "name": form.name, "address": form.address}
    problems = text_problems(values, {"facility_code": MAX_CODE, "name": MAX_NAME,
                                      "address": MAX_ADDRESS}, lang)
    code = form.code.strip() if isinstance(form.code, str) else ""
    if not problems and code and not CODE_FORMAT.fullmatch(code):
        problems.append(Problem("facility_code", CODE_BAD, code))
    return problems


def _province_of(conn: Connection, district_code: str) -> str | None:
    if not isinstance(district_code, str) or not district_code.isdigit() \
            or len(district_code) != 3:
        return None
    return conn.execute(select(DISTRICTS.c.province_code)
                        .where(DISTRICTS.c.code == district_code)).scalar()


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
    province = _province_of(conn, district_code)
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
