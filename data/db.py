"""Engine creation and the unit of work: short transactions, rollback by default."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import OperationalError as SAOperationalError

from data.settings import Settings


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the dashboard read while the ETL writes; NORMAL sync is safe under WAL.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA cache_size=-200000")
    cur.close()


def make_engine(settings: Settings, **kwargs: Any) -> Engine:
    """Create the engine for the configured database (SQLite or PostgreSQL)."""
    url = settings.database_url
    if url.startswith("sqlite"):
        db_path = url.split("///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 5)
    return create_engine(url, **kwargs)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Connection]:
    """One transaction: commit only if the block finishes, roll back otherwise."""
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            yield conn
        except BaseException:
            try:
                trans.rollback()
            except DBAPIError as failed:
                # The session is gone (server stopped, session terminated) and its transaction
                # with it: the error that ended the block says why; this one would hide it.
                if not failed.connection_invalidated:
                    raise
            raise
        trans.commit()


def database_failure(exc: BaseException) -> str | None:
    """The database's one-line reason when `exc` is the database failing the work (session
    ended, server unreachable, out of resources) rather than a bug; None otherwise.

    psycopg's errors arrive bare where loaders drive COPY on the driver connection. Only the
    first line is kept: the CONTEXT lines that follow quote the row being written.
    """
    if isinstance(exc, SAOperationalError):
        exc = exc.orig if exc.orig is not None else exc
    elif not isinstance(exc, psycopg.OperationalError):
        return None
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
