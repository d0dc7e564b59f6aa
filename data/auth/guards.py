"""Rules that keep the platform administrable: at least one active system administrator."""

from __future__ import annotations

from sqlalchemy import Connection, select

from data.auth.roles import Role
from data.models.auth import AppUser, UserRole

USERS = AppUser.__table__
ROLES = UserRole.__table__
ADMIN = Role.SYSTEM_ADMIN.value


def is_admin(conn: Connection, user_id: int) -> bool:
    """Whether the account holds the SYSTEM_ADMIN role (active or not)."""
    return conn.execute(select(ROLES.c.id).where(
        ROLES.c.user_id == user_id, ROLES.c.role == ADMIN)).first() is not None


def lock_admins(conn: Connection) -> None:
    """Serialise changes to administrators (PostgreSQL row locks; SQLite's write lock).

    Whoever demotes or deactivates an administrator waits here for any other such change
    to commit, so the count taken after the write is of the committed state: two
    administrators demoting each other at once cannot both pass.
    """
    conn.execute(select(USERS.c.id).join(ROLES, ROLES.c.user_id == USERS.c.id)
                 .where(ROLES.c.role == ADMIN).with_for_update(of=USERS))


def any_active_admin(conn: Connection) -> bool:
    """Whether at least one active account holds SYSTEM_ADMIN (as this transaction sees it)."""
    return conn.execute(select(USERS.c.id).join(ROLES, ROLES.c.user_id == USERS.c.id)
                        .where(USERS.c.is_active.is_(True), ROLES.c.role == ADMIN)
                        .limit(1)).first() is not None
