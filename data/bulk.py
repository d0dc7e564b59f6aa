"""Bulk staging: a temporary table filled by COPY (PostgreSQL) or executemany (SQLite)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    MetaData,
    String,
    Table,
    bindparam,
    text,
)
from sqlalchemy.types import TypeEngine

Progress = Callable[[int], None]


@dataclass
class LoadCounts:
    """What a batch did: rows new, corrected (same id, new content) and unchanged."""

    loaded: int = 0
    updated: int = 0
    unchanged: int = 0


# Any fixed 64-bit number: the advisory lock all ETL loads of one database share.
_LOAD_LOCK = 0x5658_4C4F_4144  # "VXLOAD"


def serialize_loads(conn: Connection) -> None:
    """Wait for any other load to finish, then hold the load lock until this one commits."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOAD_LOCK})
    else:
        # SQLite has one writer: taking the write lock now (a no-op write) makes a second
        # load wait here rather than fail on a stale snapshot later.
        conn.execute(text("UPDATE meta_data_version SET version = version WHERE id = 1"))


# The lock on the dose rollups (agg_doses_*): one-dose commands share it while they add
# their +1/-1; a file load holds it alone from its rollup step until it commits.
_ROLLUP_LOCK = 0x5658_524F_4C4C  # "VXROLL"


def lock_rollups(conn: Connection, shared: bool) -> None:
    """Hold the dose-rollup lock until commit: `shared` for a command's upserts, exclusive
    for a load, whose copy-when-empty path (loaders.injections._add_deltas) probes the
    rollups and then inserts without ON CONFLICT, which no concurrent writer may race.
    SQLite has one writer at a time: nothing to do."""
    if conn.dialect.name == "postgresql":
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        conn.execute(text(f"SELECT {fn}(:k)"), {"k": _ROLLUP_LOCK})


def stage_table(conn: Connection, name: str, like: Table, extra: dict[str, TypeEngine]) -> Table:
    """(Re)create a temporary table with the columns of `like` plus `extra` ones."""
    conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
    cols = [Column(c.name, c.type) for c in like.columns]
    cols += [Column(n, t) for n, t in extra.items()]
    table = Table(name, MetaData(), *cols, prefixes=["TEMPORARY"])
    table.create(conn)
    return table


def int_cols(*names: str) -> dict[str, TypeEngine]:
    """Extra BIGINT staging columns."""
    return {n: BigInteger() for n in names}


def bool_cols(*names: str) -> dict[str, TypeEngine]:
    """Extra boolean staging columns."""
    return {n: Boolean() for n in names}


def copy_frame(
    conn: Connection, table: Table, frame: pd.DataFrame, chunk_rows: int = 100_000,
    progress: Progress | None = None,
) -> None:
    """Append `frame` (columns named as in `table`) in chunks, by the fastest path."""
    cols = [c.name for c in table.columns if c.name in frame.columns]
    if len(frame) <= FEW_ROWS:
        if len(frame):
            insert_rows(conn, table.name, cols, frame[cols])
        if progress:
            progress(len(frame))
        return
    if conn.dialect.name == "postgresql":
        with copy_writer(conn, table.name, cols) as write:
            for start in range(0, len(frame), chunk_rows):
                chunk = frame.iloc[start : start + chunk_rows]
                write(csv_bytes(chunk[cols]))
                if progress:
                    progress(len(chunk))
        return
    for start in range(0, len(frame), chunk_rows):
        chunk = frame.iloc[start : start + chunk_rows]
        _insert_tuples(conn, table.name, cols, plain_rows(chunk[cols]))
        if progress:
            progress(len(chunk))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as header-less CSV, the way COPY ... (FORMAT csv) reads it (Arrow writer)."""
    buf = io.BytesIO()
    pacsv.write_csv(
        pa.Table.from_pandas(frame, preserve_index=False), buf,
        pacsv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    return buf.getvalue()


@contextmanager
def copy_writer(conn: Connection, name: str, cols: list[str]) -> Iterator[Callable[[bytes], None]]:
    """PostgreSQL COPY whose sends run on a background thread (psycopg's queued writer).

    Python keeps building the next CSV block while the server parses and indexes the
    previous one; leaving the block waits until the server has taken every row.
    """
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(
        f"COPY {name} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)",
        writer=QueuedLibpqWriter(cur),
    ) as cp:
        yield cp.write


# Up to this many rows (a command's one or two) an INSERT beats a COPY, whose CSV block and
# sending thread cost about a millisecond each time.
FEW_ROWS = 8


def insert_rows(conn: Connection, name: str, cols: list[str], rows: pd.DataFrame) -> None:
    """A few rows by one INSERT with the driver's parameters (the values COPY's CSV would carry:
    the server casts text to each column's type, as COPY does)."""
    _insert_tuples(conn, name, cols, plain_rows(rows))


def insert_records(
    conn: Connection, name: str, cols: list[str], rows: list[dict[str, object]]
) -> None:
    """insert_rows of records (few_rows; a column a record lacks is NULL)."""
    if rows:
        _insert_tuples(conn, name, cols, [tuple(r.get(c) for c in cols) for r in rows])


def _insert_tuples(
    conn: Connection, name: str, cols: list[str], rows: Iterable[tuple[object, ...]]
) -> None:
    sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES "
    if conn.dialect.name != "postgresql":
        conn.connection.driver_connection.executemany(
            sql + f"({', '.join('?' for _ in cols)})", rows)
        return
    rows = rows if isinstance(rows, list) else list(rows)
    with conn.connection.driver_connection.cursor() as cur:
        statement = sql + f"({', '.join('%s' for _ in cols)})"
        if len(rows) == 1:
            # executemany runs even one row through a pipeline (its own sync and result
            # handling): a plain execute is a third cheaper for a command's row.
            cur.execute(statement, rows[0])
        else:
            cur.executemany(statement, rows)


def any_key_stored(conn: Connection, target: str, key: str, ids: list[object]) -> bool:
    """Whether `target` holds any of a few `ids` (one probe of the key's index)."""
    return conn.execute(
        text(f"SELECT 1 FROM {target} WHERE {key} IN :ids LIMIT 1").bindparams(
            bindparam("ids", expanding=True)), {"ids": ids}).first() is not None


def plain_rows(frame: pd.DataFrame) -> Iterator[tuple[object, ...]]:
    """Rows as tuples of Python values (NA -> None), built column-wise by Arrow.

    DataFrame.astype(object) plus itertuples boxes every cell through pandas and costs
    several times the executemany it feeds.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return zip(*(col.to_pylist() for col in table.columns), strict=True)


@dataclass
class Classified:
    """Which staged rows to write: `keep` masks the frame (None: every row is new)."""

    keep: np.ndarray | None
    updated: int
    unchanged: int


# Temporary table that classify_keys leaves holding the corrected ids.
CHANGED = "stg_changed"


def classify_keys(conn: Connection, target: str, key: str, frame: pd.DataFrame) -> Classified:
    """Split `frame` into new, corrected (same id, other row_hash) and unchanged rows.

    The split runs in SQL and only counts (plus, when some rows are unchanged, the
    positions of the smaller side) come back to Python. When any id is corrected, the
    temporary table `stg_changed` holds those ids for the caller to read the old facts and
    delete the old rows; otherwise it does not exist.
    """
    conn.execute(text(f"DROP TABLE IF EXISTS {CHANGED}"))
    n = len(frame)
    if not n:
        return Classified(None, 0, 0)
    bytewise = _bytewise_order(conn, target, key)
    lo, hi = _bounds(frame[key])
    if bytewise and (lo is None or hi is None or _range_empty(conn, target, key, lo, hi)):
        return Classified(None, 0, 0)
    conn.execute(text("DROP TABLE IF EXISTS stg_keys"))
    conn.execute(text(
        f"CREATE TEMPORARY TABLE stg_keys ({key} VARCHAR(64), row_hash BIGINT, pos BIGINT)"))
    keys = Table("stg_keys", MetaData(), Column(key, String(64)), Column("row_hash", BigInteger()),
                 Column("pos", BigInteger()))
    staged = pd.DataFrame({key: frame[key].to_numpy(), "row_hash": frame["row_hash"].to_numpy(),
                           "pos": np.arange(n, dtype="int64")})
    copy_frame(conn, keys, staged, chunk_rows=250_000)
    # Where ids order bytewise, every staged id lies in [lo, hi]: the range lets the server
    # read only that slice of the key index instead of hashing the whole stored table
    # (0.06 s against 0.36 s for 100k ids against 1M stored, PostgreSQL).
    on = f"t.{key} = s.{key}" + (f" AND t.{key} BETWEEN :lo AND :hi" if bytewise else "")
    rng = {"lo": lo, "hi": hi} if bytewise else {}
    join = f"stg_keys s JOIN {target} t ON {on}"
    matched, same = conn.execute(text(
        f"SELECT COUNT(*), SUM(CASE WHEN t.row_hash = s.row_hash THEN 1 ELSE 0 END) FROM {join}"
    ), rng).one()
    matched, same = int(matched or 0), int(same or 0)
    keep: np.ndarray | None = None
    if same == n:
        keep = np.zeros(n, dtype=bool)
    elif same and same <= n - same:
        keep = np.ones(n, dtype=bool)
        keep[_positions(conn, f"SELECT s.pos FROM {join} WHERE t.row_hash = s.row_hash",
                        rng)] = False
    elif same:
        keep = np.zeros(n, dtype=bool)
        keep[_positions(conn, f"""SELECT s.pos FROM stg_keys s LEFT JOIN {target} t ON {on}
                                   WHERE t.{key} IS NULL OR t.row_hash <> s.row_hash""",
                        rng)] = True
    if matched > same:
        conn.execute(text(f"""CREATE TEMPORARY TABLE {CHANGED} AS SELECT s.{key} FROM {join}
                              WHERE t.row_hash <> s.row_hash"""), rng)
    conn.execute(text("DROP TABLE stg_keys"))
    return Classified(keep, matched - same, same)


def _positions(conn: Connection, sql: str, params: dict[str, object]) -> np.ndarray:
    return np.fromiter((r[0] for r in conn.execute(text(sql), params)), dtype="int64")


def _bounds(ids: pd.Series) -> tuple[str | None, str | None]:
    """The least and greatest id by their bytes (None, None when there is none)."""
    bounds = pc.min_max(pa.array(ids, type=pa.large_string(), from_pandas=True))
    return bounds["min"].as_py(), bounds["max"].as_py()


def none_stored_between(
    conn: Connection, target: str, key: str, lo: str | None, hi: str | None
) -> bool:
    """True when no stored `key` lies in [lo, hi] (None: no id at all): one index probe.

    Ids are compared by their bytes here, so this only answers where the database orders
    the key column the same way (SQLite's BINARY; PostgreSQL's "C", "POSIX" or glibc's
    "C.UTF-8"); elsewhere it answers False and the caller stages the ids and joins.
    """
    if lo is None or hi is None:
        return True
    return _bytewise_order(conn, target, key) and _range_empty(conn, target, key, lo, hi)


def _range_empty(conn: Connection, target: str, key: str, lo: str, hi: str) -> bool:
    return conn.execute(text(
        f"SELECT 1 FROM {target} WHERE {key} >= :lo AND {key} <= :hi LIMIT 1"),
        {"lo": lo, "hi": hi}).first() is None


def _bytewise_order(conn: Connection, target: str, key: str) -> bool:
    if conn.dialect.name == "sqlite":
        return True  # String columns here carry no COLLATE clause: BINARY (memcmp) order
    # The column's collation, or the database's when it has the default one (its provider
    # read through to_jsonb: the column only exists from PostgreSQL 15 on).
    provider, locale = conn.execute(text("""
        SELECT CASE WHEN c.collname = 'default'
                    THEN COALESCE(to_jsonb(d) ->> 'datlocprovider', 'c')
                    ELSE c.collprovider::text END,
               CASE WHEN c.collname = 'default' THEN d.datcollate ELSE c.collcollate END
        FROM pg_attribute a
        JOIN pg_collation c ON c.oid = a.attcollation
        JOIN pg_database d ON d.datname = current_database()
        WHERE a.attrelid = CAST(:t AS regclass) AND a.attname = :k"""),
        {"t": target, "k": key}).one()
    # glibc's C.UTF-8 (the Debian default) sorts by code point, which for UTF-8 is the byte
    # order; an ICU collation never does.
    return provider == "c" and (locale or "").lower().replace("-", "") in _BYTEWISE_LOCALES


_BYTEWISE_LOCALES = {"c", "posix", "c.utf8"}


def scalar(conn: Connection, sql: str, **params: object) -> int:
    """An integer result of a one-value query."""
    return int(conn.execute(text(sql), params).scalar_one() or 0)


def prune_unchanged(conn: Connection, stage: str, target: str, key: str) -> LoadCounts:
    """Drop staged rows identical to what is stored; count new and corrected ones."""
    unchanged = conn.execute(text(f"""
        DELETE FROM {stage} WHERE EXISTS (
            SELECT 1 FROM {target} t WHERE t.{key} = {stage}.{key}
              AND t.row_hash = {stage}.row_hash)
    """)).rowcount
    updated = scalar(conn, f"SELECT COUNT(*) FROM {stage} s JOIN {target} t ON t.{key} = s.{key}")
    total = scalar(conn, f"SELECT COUNT(*) FROM {stage}")
    return LoadCounts(loaded=total - updated, updated=updated, unchanged=unchanged)


def replace_rows(
    conn: Connection, stage: str, target: str, key: str, columns: list[str],
    where: str = "1=1", any_existing: bool = True,
) -> None:
    """Delete the target rows of the staged ids, then insert the staged version."""
    if any_existing:
        conn.execute(text(f"DELETE FROM {target} WHERE {key} IN (SELECT {key} FROM {stage})"))
    cols = ", ".join(columns)
    conn.execute(text(f"INSERT INTO {target} ({cols}) SELECT {cols} FROM {stage} WHERE {where}"))


def upsert_add(
    conn: Connection, target: str, keys: list[str], measures: dict[str, str], source: str,
    extra: dict[str, str] | None = None,
) -> None:
    """Add grouped deltas from `source` into a rollup (insert or increment)."""
    extra = extra or {}
    select_cols = keys + [f"{expr} AS {name}" for name, expr in extra.items()]
    select_cols += [f"SUM({expr}) AS {name}" for name, expr in measures.items()]
    target_cols = keys + list(extra) + list(measures)
    sets = ", ".join(f"{m} = {target}.{m} + excluded.{m}" for m in measures)
    # 'WHERE 1=1' keeps SQLite's parser from reading ON CONFLICT as a join constraint.
    # ORDER BY the key: the rollup's index then grows at one end instead of at random
    # pages (a 370k-group delta upserts ~25% faster on PostgreSQL).
    by = ", ".join(keys)
    conn.execute(text(f"""
        INSERT INTO {target} ({", ".join(target_cols)})
        SELECT {", ".join(select_cols)} FROM {source} WHERE 1=1 GROUP BY {by} ORDER BY {by}
        ON CONFLICT ({by}) DO UPDATE SET {sets}
    """))


def upsert_add_rows(
    conn: Connection, target: str, keys: list[str], measure: str,
    rows: list[dict[str, object]], extra: list[str],
) -> None:
    """Add a few grouped rows (`keys`, `extra`, `measure`: Python values) into a rollup:
    insert or increment (a command's deltas; no staging table for one or two rows)."""
    cols = [*keys, *extra, measure]
    by = ", ".join(keys)
    # Sorted by key: concurrent commands lock rollup rows in one order, so none deadlock.
    conn.execute(text(f"""
        INSERT INTO {target} ({", ".join(cols)}) VALUES ({", ".join(f":{c}" for c in cols)})
        ON CONFLICT ({by}) DO UPDATE SET {measure} = {target}.{measure} + excluded.{measure}
    """), sorted(({c: r[c] for c in cols} for r in rows),
                 key=lambda r: tuple(r[k] for k in keys)))


def any_between(conn: Connection, target: str, col: str, lo: object, hi: object) -> bool:
    """Whether `target` holds a row with lo <= `col` <= hi (one probe of an index on `col`)."""
    return conn.execute(text(
        f"SELECT 1 FROM {target} WHERE {col} >= :lo AND {col} <= :hi LIMIT 1"),
        {"lo": lo, "hi": hi}).first() is not None
