"""Roles, their scopes and what a principal may see or do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """The roles of the platform (issue: accounts, roles, scope and audit)."""

    MINISTRY_LEADER = "MINISTRY_LEADER"
    PROVINCE_OFFICER = "PROVINCE_OFFICER"
    DISTRICT_OFFICER = "DISTRICT_OFFICER"
    FACILITY_STAFF = "FACILITY_STAFF"
    SYSTEM_ADMIN = "SYSTEM_ADMIN"


# The scope level each role is granted at.
ROLE_LEVEL: dict[Role, str] = {
    Role.MINISTRY_LEADER: "NATIONAL",
    Role.PROVINCE_OFFICER: "PROVINCE",
    Role.DISTRICT_OFFICER: "DISTRICT",
    Role.FACILITY_STAFF: "FACILITY",
    Role.SYSTEM_ADMIN: "NATIONAL",
}
# Roles allowed to see names, ID numbers and phones (each view is audited).
PERSONAL_DATA_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER,
                                 Role.FACILITY_STAFF})
# Roles that run a facility's vaccination day (sessions, check-in, screening), each within its
# scope; the national roles plan and administer but serve nobody in person.
OPERATIONS_ROLES = PERSONAL_DATA_ROLES


class Forbidden(PermissionError):
    """The caller's role or scope does not allow this read or write."""


@dataclass(frozen=True)
class Grant:
    """One role held at one scope, resolved to the province/district it lies in."""

    role: Role
    scope_level: str
    scope_code: str | None
    province_code: str | None = None
    district_code: str | None = None


@dataclass(frozen=True)
class Principal:
    """An authenticated user and the grants that bound every query."""

    user_id: int
    username: str
    display_name: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    session_epoch: int = 0

    def has(self, *roles: Role) -> bool:
        """Whether any grant carries one of `roles`."""
        return any(g.role in roles for g in self.grants)

    @property
    def national(self) -> bool:
        """Reads of the whole country below province level (ministry, administrators)."""
        return any(g.scope_level == "NATIONAL" for g in self.grants)

    def provinces(self) -> frozenset[str]:
        """Provinces some grant lies in."""
        return frozenset(g.province_code for g in self.grants if g.province_code)

    def districts_in(self, province_code: str) -> frozenset[str] | None:
        """Districts of `province_code` whose district-level figures (area totals) this
        principal may see: None = all of them. A facility grant gives none: its district's
        totals are mostly other facilities' figures (see facilities_in)."""
        if self.national or any(g.scope_level == "PROVINCE" and g.province_code == province_code
                                for g in self.grants):
            return None
        return frozenset(g.district_code for g in self.grants if g.scope_level == "DISTRICT"
                         and g.province_code == province_code and g.district_code)

    def facility_codes(self) -> frozenset[str]:
        """Facilities of the FACILITY grants: their own rows are visible wherever they sit."""
        return frozenset(g.scope_code for g in self.grants
                         if g.scope_level == "FACILITY" and g.scope_code)

    def facilities_in(self, province_code: str) -> frozenset[str]:
        """Facilities of `province_code` held by a FACILITY grant."""
        return frozenset(g.scope_code for g in self.grants if g.scope_level == "FACILITY"
                         and g.province_code == province_code and g.scope_code)

    def sees_below(self, province_code: str) -> bool:
        """Whether anything below the province is visible: a district or a facility of it."""
        allowed = self.districts_in(province_code)
        return allowed is None or bool(allowed) or bool(self.facilities_in(province_code))

    def require_province_detail(self, province_code: str) -> frozenset[str] | None:
        """District-level detail of a province, or Forbidden; returns the district filter."""
        allowed = self.districts_in(province_code)
        if allowed is not None and not allowed:
            raise Forbidden(f"{self.username} may not see district figures of {province_code}")
        return allowed

    def require_facility_detail(self, province_code: str) -> None:
        """Forbidden unless some facility of the province is visible (its rows are then
        filtered by data.mcc.common.within_scope)."""
        if not self.sees_below(province_code):
            raise Forbidden(f"{self.username} may not see facilities of {province_code}")

    @property
    def is_system(self) -> bool:
        """The command line's principal (SYSTEM below): no account, user id 0."""
        return self.user_id == 0 and self.username == "system"

    def operates_at(self, province_code: str | None, district_code: str | None,
                    facility_code: str) -> bool:
        """Whether some grant lets this principal work a session of the facility: its own
        staff, or an officer of its district or of its province."""
        if self.is_system:  # the command line, the simulator: they act for the ministry
            return True
        return any(
            (g.role == Role.FACILITY_STAFF and g.scope_code == facility_code)
            or (g.role == Role.DISTRICT_OFFICER and g.district_code == district_code)
            or (g.role == Role.PROVINCE_OFFICER and g.province_code == province_code)
            for g in self.grants)

    def require_operates_at(self, province_code: str | None, district_code: str | None,
                            facility_code: str) -> None:
        """Forbidden unless operates_at(...) holds."""
        if not self.operates_at(province_code, district_code, facility_code):
            raise Forbidden(f"{self.username} may not work sessions of {facility_code}")

    def require(self, *roles: Role) -> None:
        """Forbidden unless the principal holds one of `roles`."""
        if not self.has(*roles):
            raise Forbidden(f"{self.username} lacks one of {', '.join(roles)}")


SYSTEM = Principal(0, "system", "System (command line)",
                   (Grant(Role.SYSTEM_ADMIN, "NATIONAL", None),))
