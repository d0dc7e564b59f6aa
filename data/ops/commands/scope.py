"""Where a principal may write: the facility of a record must lie in one of its grants."""

from __future__ import annotations

from sqlalchemy import Connection, select

from data.auth.roles import Forbidden, Principal, Role
from data.models.star import DimFacility

# Roles that record what happens at a facility. A ministry leader reads the country and
# writes nothing; an administrator (and the command line, data.auth.roles.SYSTEM) may.
WRITERS = frozenset({Role.FACILITY_STAFF, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER,
                     Role.SYSTEM_ADMIN})
_F = DimFacility.__table__


def require_facility_write(conn: Connection, principal: Principal, facility_code: str) -> None:
    """Forbidden unless a writing grant covers the facility: its own (facility staff), its
    district or province, or the country. A facility the database does not know lies in no
    district, so only a national grant or that facility's own grant passes (the rules then
    refuse the unknown code)."""
    where = conn.execute(select(_F.c.province_code, _F.c.district_code)
                         .where(_F.c.facility_code == facility_code)).one_or_none()
    province, district = (where[0], where[1]) if where else (None, None)
    for g in principal.grants:
        if g.role not in WRITERS:
            continue
        if (g.scope_level == "NATIONAL"
                or (g.scope_level == "FACILITY" and g.scope_code == facility_code)
                or (g.scope_level == "PROVINCE" and province and g.province_code == province)
                or (g.scope_level == "DISTRICT" and district and g.district_code == district
                    and g.province_code == province)):
            return
    raise Forbidden(f"{principal.username} may not record at facility {facility_code}")
