"""The data version: every load bumps it, every cache key carries it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, bindparam, select, update

from data.models.meta import DataVersion

_T = DataVersion.__table__
# Built once (every write and every cache read runs them; see data.audit._APPEND).
_BUMP = update(_T).where(_T.c.id == 1).values(version=_T.c.version + 1,
                                              updated_at=bindparam("at"))
_STAMP = select(_T.c.instance_id, _T.c.version).where(_T.c.id == 1)


def read_version(conn: Connection) -> int:
    """The current data version (1 on a fresh database)."""
    return int(conn.execute(select(_T.c.version).where(_T.c.id == 1)).scalar_one_or_none() or 0)


def read_stamp(conn: Connection) -> tuple[str, int]:
    """(database instance id, data version): what cache keys are made of."""
    row = conn.execute(_STAMP).one_or_none()
    return (row[0], int(row[1])) if row else ("", 0)


def bump_version(conn: Connection) -> None:
    """Advance the version inside the caller's transaction, so it commits with the data."""
    conn.execute(_BUMP, {"at": dt.datetime.now(dt.UTC)})
