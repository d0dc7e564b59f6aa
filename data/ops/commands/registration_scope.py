"""The registry's area of a principal: where the people it may list, merge or load live.

Registrations carry the person's residence (province, district), not a facility. A province
officer's area is the province, a district officer's the district, facility staff the
district of their facility (the people its sessions invite: data.ops.queries.invitations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, bindparam, false, or_, text, true

from data.auth.roles import Forbidden, Principal, Role
from data.interchange.messages import message
from data.interchange.validate import REJECT_COLUMNS
from data.models.operational import Registration

REGISTRATIONS = Registration.__table__
Area = tuple[str, str | None]  # (province, district or None for the whole province)
# etl.pipeline.RowCheck: (conn, valid rows, their lines) -> (rows kept, rejects).
RowCheck = Callable[[Connection, pd.DataFrame, pd.Series], tuple[pd.DataFrame, pd.DataFrame]]


def areas(principal: Principal) -> list[Area] | None:
    """The principal's areas; None = everywhere (the command line)."""
    if principal.is_system:
        return None
    out: set[Area] = set()
    for g in principal.grants:
        if g.role == Role.PROVINCE_OFFICER and g.province_code:
            out.add((g.province_code, None))
        elif g.role in (Role.DISTRICT_OFFICER, Role.FACILITY_STAFF) and g.province_code \
                and g.district_code:
            out.add((g.province_code, g.district_code))
    return sorted(out, key=lambda a: (a[0], a[1] or ""))


def covers(principal: Principal, province: str | None, district: str | None) -> bool:
    """Whether a residence lies in the principal's area."""
    found = areas(principal)
    if found is None:
        return True
    return any(p == province and (d is None or d == district) for p, d in found)


def require_covers(principal: Principal, province: str | None, district: str | None) -> None:
    """Forbidden unless the residence lies in the principal's area."""
    if not covers(principal, province, district):
        raise Forbidden(f"{principal.username} may not see registrations of "
                        f"{province}/{district}")


def area_filter(principal: Principal) -> ColumnElement[bool]:
    """WHERE clause of the registrations in the principal's area (false when none)."""
    found = areas(principal)
    if found is None:
        return true()
    r = REGISTRATIONS.c
    parts = [r.province_code == p if d is None else and_(r.province_code == p,
                                                          r.district_code == d)
             for p, d in found]
    return or_(*parts) if parts else false()


def _chunks(values: list[str], size: int = 1000) -> Iterable[list[str]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def upload_check(principal: Principal, lang: str) -> RowCheck:
    """The web upload's check of valid rows (etl.pipeline's row_check): a residence outside
    the principal's area, or an id already stored outside it (the upload would overwrite a
    registration the principal cannot see), is a reject line."""

    def check(conn: Connection, rows: pd.DataFrame, lines: pd.Series
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
        inside = pd.Series([covers(principal, p, d) for p, d in
                            zip(rows["province_code"], rows["district_code"], strict=True)],
                           index=rows.index, dtype=bool)
        stored = _stored_places(conn, [str(x) for x in rows["registration_id"]])
        elsewhere = pd.Series([rid in stored and not covers(principal, *stored[rid])
                               for rid in rows["registration_id"]], index=rows.index, dtype=bool)
        rejects = [pd.DataFrame({"line": lines[~inside].to_numpy(), "field": "district_code",
                                 "value": rows["district_code"][~inside].to_numpy(),
                                 "reason": message("outside_scope", lang)}),
                   pd.DataFrame({"line": lines[inside & elsewhere].to_numpy(),
                                 "field": "registration_id",
                                 "value": rows["registration_id"][inside & elsewhere].to_numpy(),
                                 "reason": message("registration_elsewhere", lang)})]
        found = [f for f in rejects if len(f)]
        refused = (pd.concat(found, ignore_index=True)[REJECT_COLUMNS] if found
                   else pd.DataFrame(columns=REJECT_COLUMNS))
        return rows[inside & ~elsewhere], refused

    return check


def _stored_places(conn: Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
    stmt = text("SELECT registration_id, province_code, district_code FROM registration "
                "WHERE registration_id IN :ids").bindparams(bindparam("ids", expanding=True))
    out: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(sorted(set(ids))):
        out.update((a, (b, c)) for a, b, c in conn.execute(stmt, {"ids": chunk}).all())
    return out
