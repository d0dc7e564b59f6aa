"""Bulk staging: a temporary table filled by COPY (PostgreSQL) or executemany (SQLite)."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import BigInteger, Boolean, Column, Connection, MetaData, String, Table, text
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
    for start in range(0, len(frame), chunk_rows):
        chunk = frame.iloc[start : start + chunk_rows][cols]
        if conn.dialect.name == "postgresql":
            _copy_pg(conn, table.name, cols, chunk)
        else:
            _insert_sqlite(conn, table.name, cols, chunk)
        if progress:
            progress(len(chunk))


def _copy_pg(conn: Connection, name: str, cols: list[str], chunk: pd.DataFrame) -> None:
    buf = io.BytesIO()
    pacsv.write_csv(
        pa.Table.from_pandas(chunk, preserve_index=False), buf,
        pacsv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(
        f"COPY {name} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)"
    ) as cp:
        cp.write(buf.getvalue())


def _insert_sqlite(conn: Connection, name: str, cols: list[str], chunk: pd.DataFrame) -> None:
    obj = chunk.astype(object).where(chunk.notna(), None)
    placeholders = ", ".join("?" for _ in cols)
    raw = conn.connection.driver_connection
    raw.executemany(
        f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({placeholders})",
        obj.itertuples(index=False, name=None),
    )


def classify_keys(
    conn: Connection, target: str, key: str, frame: pd.DataFrame
) -> tuple[set[str], set[str]]:
    """Ids of `frame` stored with the same content and with other content (corrections).

    Leaves the temporary table `stg_keys` holding only the corrected ids, for the caller to
    read the old facts and delete the old rows.
    """
    conn.execute(text("DROP TABLE IF EXISTS stg_keys"))
    conn.execute(text(f"CREATE TEMPORARY TABLE stg_keys ({key} VARCHAR(64), row_hash BIGINT)"))
    keys = Table("stg_keys", MetaData(), Column(key, String(64)), Column("row_hash", BigInteger()))
    copy_frame(conn, keys, frame[[key, "row_hash"]], chunk_rows=500_000)
    stored = conn.execute(text(f"""
        SELECT s.{key}, CASE WHEN t.row_hash = s.row_hash THEN 1 ELSE 0 END
        FROM stg_keys s JOIN {target} t ON t.{key} = s.{key}
    """)).all()
    same = {k for k, eq in stored if eq}
    changed = {k for k, eq in stored if not eq}
    conn.execute(text(f"""DELETE FROM stg_keys WHERE NOT EXISTS (SELECT 1 FROM {target} t
                          WHERE t.{key} = stg_keys.{key} AND t.row_hash <> stg_keys.row_hash)"""))
    return same, changed


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
    conn.execute(text(f"""
        INSERT INTO {target} ({", ".join(target_cols)})
        SELECT {", ".join(select_cols)} FROM {source} WHERE 1=1 GROUP BY {", ".join(keys)}
        ON CONFLICT ({", ".join(keys)}) DO UPDATE SET {sets}
    """))
