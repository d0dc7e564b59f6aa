"""The append-only audit log: every write records who, when, from where, what, before/after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, func, insert, select

from data.models.auth import AuditLog

_T = AuditLog.__table__
# Built once: every write appends an entry, and building an INSERT with .values() per call
# cost SQLAlchemy five times the statement's own execution (BENCHMARKS.md section 13).
_APPEND = insert(_T)


@dataclass(frozen=True)
class Actor:
    """Who acts and from where (an IP address, or 'cli:<os user>' for the command line)."""

    user_id: int | None
    username: str
    source: str | None = None


def record(
    conn: Connection, actor: Actor, action: str, table: str, key: str | None = None,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry inside the caller's transaction (it commits with the change)."""
    conn.execute(_APPEND, {
        "at": dt.datetime.now(dt.UTC), "user_id": actor.user_id, "username": actor.username,
        "source": actor.source, "action": action, "table_name": table, "record_key": key,
        "before": before, "after": after, "detail": detail,
    })


def _filtered(q: Select[Any], username: str | None, table: str | None, start: dt.date | None,
              end: dt.date | None, action: str | None) -> Select[Any]:
    if username:
        q = q.where(_T.c.username == username)
    if table:
        q = q.where(_T.c.table_name == table)
    if action:
        q = q.where(_T.c.action == action)
    if start:
        q = q.where(_T.c.at >= dt.datetime.combine(start, dt.time(), dt.UTC))
    if end:
        q = q.where(_T.c.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC))
    return q


def search(
    conn: Connection, username: str | None = None, table: str | None = None,
    start: dt.date | None = None, end: dt.date | None = None, limit: int = 500,
    action: str | None = None,
) -> pd.DataFrame:
    """Entries filtered by user, table, action and date range (newest first)."""
    q = _filtered(select(_T).order_by(_T.c.id.desc()).limit(limit), username, table, start,
                  end, action)
    return pd.DataFrame(conn.execute(q).mappings().all(), columns=[c.name for c in _T.columns])


def count(
    conn: Connection, username: str | None = None, table: str | None = None,
    start: dt.date | None = None, end: dt.date | None = None, action: str | None = None,
) -> int:
    """How many entries match the filters (all of them, not only the newest shown)."""
    q = _filtered(select(func.count()).select_from(_T), username, table, start, end, action)
    return int(conn.execute(q).scalar_one())
