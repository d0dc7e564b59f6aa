"""Sign-in lock-out per account and client address, with exponential back-off.

Every attempt on an existing account is counted before its password is checked, in one atomic
statement: concurrent attempts queue on the row (PostgreSQL row lock, SQLite write lock), so
ten wrong passwords sent at once get exactly MAX_FAILURES checks against the hash and the rest
are refused. The count is kept per (account, address): a stranger who types wrong passwords
locks only himself out, never the account's owner at another address.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Subquery, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from data.models.auth import LoginLock

LOCKS = LoginLock.__table__
MAX_FAILURES = 5
# The lock after MAX_FAILURES wrong passwords; each further one doubles it, up to MAX_LOCK.
FIRST_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(hours=24)
# A count with no failure for this long starts again from zero.
FORGET_AFTER = dt.timedelta(hours=24)


def lock_for(failures: int) -> dt.timedelta | None:
    """How long `failures` wrong passwords in a row lock the (account, address) pair."""
    if failures < MAX_FAILURES:
        return None
    doublings = min(failures - MAX_FAILURES, 20)  # 2**20 minutes is far past MAX_LOCK
    return min(FIRST_LOCK * (2 ** doublings), MAX_LOCK)


def begin_attempt(conn: Connection, user_id: int, source: str, now: dt.datetime) -> int | None:
    """Count one attempt atomically: the count including it, or None while the pair is locked.

    The caller checks the password next, then calls `failed` or `succeeded` in the same
    transaction; until it commits, other attempts of the pair wait for this one.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(LOCKS).values(
        user_id=user_id, source=source, failed_logins=1, locked_until=None, last_failed_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[LOCKS.c.user_id, LOCKS.c.source],
        set_={
            "failed_logins": case(
                (LOCKS.c.last_failed_at < now - FORGET_AFTER, 1),
                else_=LOCKS.c.failed_logins + 1),
            "last_failed_at": now,
        },
        where=LOCKS.c.locked_until.is_(None) | (LOCKS.c.locked_until <= now),
    ).returning(LOCKS.c.failed_logins)
    count = conn.execute(stmt).scalar()
    return None if count is None else int(count)


def failed(conn: Connection, user_id: int, source: str, failures: int,
           now: dt.datetime) -> dt.datetime | None:
    """A wrong password: lock the pair when the count calls for it; the lock's end, if any."""
    delay = lock_for(failures)
    until = now + delay if delay else None
    conn.execute(update(LOCKS).where(LOCKS.c.user_id == user_id, LOCKS.c.source == source)
                 .values(locked_until=until))
    return until


def succeeded(conn: Connection, user_id: int, source: str) -> None:
    """The right password: this address starts afresh (other addresses keep their count)."""
    conn.execute(delete(LOCKS).where(LOCKS.c.user_id == user_id, LOCKS.c.source == source))


def unlock(conn: Connection, user_id: int) -> int:
    """Lift every lock and count of the account (an administrator's act); pairs cleared."""
    return int(conn.execute(delete(LOCKS).where(LOCKS.c.user_id == user_id)).rowcount or 0)


def latest_lock() -> Subquery:
    """A subquery (user_id, locked_until): the latest lock end of each account."""
    return (select(LOCKS.c.user_id, func.max(LOCKS.c.locked_until).label("locked_until"))
            .group_by(LOCKS.c.user_id).subquery())
