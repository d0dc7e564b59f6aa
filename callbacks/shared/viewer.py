"""The signed-in user as a page layout sees it: what to lay out, never what is allowed.

Layouts may not import the data layer (import-linter: "pages only lay out"), so this module
reads the request's principal through flask-login alone and asks it only by role name and
its own methods. Every read and write is still decided in the data layer.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

# data.auth.roles.Role.SYSTEM_ADMIN (a StrEnum: equal to its name).
SYSTEM_ADMIN = "SYSTEM_ADMIN"


def _principal() -> Any | None:
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return getattr(current_user, "principal", None)


def viewer_is_admin() -> bool:
    """Whether the user of this request administers the system (False when nobody is)."""
    principal = _principal()
    return principal is not None and bool(principal.has(SYSTEM_ADMIN))


def viewer_home_province() -> str | None:
    """The one province a non-national user of this request works in (None: national,
    several provinces, or nobody signed in); as callbacks.mcc.progress_districts.home_province."""
    principal = _principal()
    if principal is None or principal.national:
        return None
    provinces = principal.provinces()
    return next(iter(provinces)) if len(provinces) == 1 else None


# data.auth.roles.OPERATIONS_ROLES by name: the roles that run a facility's vaccination day.
OPERATIONS_ROLES = ("PROVINCE_OFFICER", "DISTRICT_OFFICER", "FACILITY_STAFF")


def viewer_operates() -> bool:
    """Whether the user of this request holds a role that works vaccination sessions."""
    principal = _principal()
    return principal is not None and bool(principal.has(*OPERATIONS_ROLES))


def viewer_has(*roles: str) -> bool:
    """Whether the user of this request holds one of `roles` (by name)."""
    principal = _principal()
    return principal is not None and bool(principal.has(*roles))

# data.ops.commands.facilities.MANAGER_ROLES by name: who registers and decides facilities.
FACILITY_MANAGER_ROLES = ("PROVINCE_OFFICER", "DISTRICT_OFFICER")


def viewer_manages_facilities() -> bool:
    """Whether the user of this request is a province or district officer."""
    principal = _principal()
    return principal is not None and bool(principal.has(*FACILITY_MANAGER_ROLES))


def viewer_holds(*roles: str) -> bool:
    """Whether the user of this request holds one of `roles` (data.auth.roles.Role names)."""
    principal = _principal()
    return principal is not None and bool(principal.has(*roles))
