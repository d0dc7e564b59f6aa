"""Apply injections: operational rows, facts and rollup deltas together, part by part.

Bulk path: new ids are told from unchanged and corrected ones by data.bulk.classify_keys (one
probe of the key index when it orders ids bytewise, else (record_id, row_hash) staged and
joined in SQL, with only counts and positions returned); new and corrected rows then go
straight into their tables by COPY (PostgreSQL, sent from a background thread) or
executemany (SQLite). The rollup deltas of every part are summed in pandas at the end, then
copied straight into a rollup that holds no row in their range, else staged and upserted.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    text,
)

from data import bulk
from data.few_rows import FewRows, Record
from data.models.operational import Injection
from data.models.star import FctInjection

DELTA_KEYS = ["date_key", "district_code", "province_code", "vaccine_key", "dose_key",
              "group_key", "facility_key", "lot_number"]
# Rollup -> its grouping keys (all drawn from the delta table).
ROLLUPS: dict[str, list[str]] = {
    "agg_doses_daily": ["date_key", "vaccine_key", "dose_key"],
    "agg_doses_daily_province": ["date_key", "province_code", "dose_key"],
    "agg_doses_district": ["district_code", "vaccine_key", "dose_key"],
    "agg_doses_group": ["province_code", "group_key", "vaccine_key", "dose_key"],
    "agg_doses_facility_daily": ["facility_key", "date_key"],
    "agg_doses_lot": ["vaccine_key", "lot_number"],
}
ROLLUP_EXTRA: dict[str, list[str]] = {"agg_doses_district": ["province_code"]}
# Indexed key column each rollup is probed on before its delta goes in (_add_deltas): the
# leading primary-key column, or the day where that is the facility. The text ones are
# fixed-width digit codes, which every collation orders as pandas' min/max do.
PROBE: dict[str, str] = {t: keys[0] for t, keys in ROLLUPS.items()} | {
    "agg_doses_facility_daily": "date_key"}
# Shape of the staged delta (finest grain of all injection rollups).
_DELTA_LIKE = Table(
    "delta_shape", MetaData(),
    Column("date_key", Integer), Column("district_code", String(3)),
    Column("province_code", String(2)), Column("vaccine_key", SmallInteger),
    Column("dose_key", SmallInteger), Column("group_key", SmallInteger),
    Column("facility_key", Integer), Column("lot_number", String(40)), Column("n", BigInteger),
)
# Rollup -> its grouped deltas: a frame (pandas path) or, for a few rows, records.
Grouped = dict[str, pd.DataFrame | list[dict[str, object]]]
OP_COLS = [c.name for c in Injection.__table__.columns]
FACT_COLS = [c.name for c in FctInjection.__table__.columns]


def apply_injections(
    conn: Connection, parts: Iterable[pd.DataFrame | FewRows], id_bounds: tuple[str, str] | None,
    chunk_rows: int, progress: bulk.Progress | None = None, *, beside_loads: bool = False,
) -> bulk.LoadCounts:
    """Load validated rows, part after part, idempotently; the rollups move once at the end.

    `beside_loads`: the caller (a one-dose command, data.ops.commands) does not hold the load
    lock, so file loads and other commands may write at the same time; its rollup deltas are
    then always upserted (ON CONFLICT adds atomically) under the shared rollup lock.

    `parts` may be computed lazily (the pipeline validates the next part while the server
    takes this one). Their ids must be distinct across parts: one part may hold repeats.
    `id_bounds`, the range of every id in the file, lets one probe made before the first
    part is written tell that no stored id can match, so no part is classified; the ids of
    earlier parts would make every later probe hit.
    """
    fresh = id_bounds is not None and bulk.none_stored_between(
        conn, "injection", "record_id", *id_bounds)
    counts = bulk.LoadCounts()
    deltas: list[Grouped] = []
    for rows in parts:
        part = _apply_part(conn, rows, fresh, deltas, chunk_rows)
        counts.loaded += part.loaded
        counts.updated += part.updated
        counts.unchanged += part.unchanged
        if progress:
            progress(len(rows))
    _add_deltas(conn, _sum_grouped(deltas), beside_loads)
    return counts


def _apply_part(
    conn: Connection, rows: pd.DataFrame | FewRows, fresh: bool, deltas: list[Grouped],
    chunk_rows: int,
) -> bulk.LoadCounts:
    """Write one part's new and corrected rows; append its grouped rollup deltas to `deltas`."""
    if not len(rows):
        return bulk.LoadCounts()
    if len(rows) <= bulk.FEW_ROWS:
        few = rows if isinstance(rows, FewRows) else FewRows.of_frame(rows)
        if fresh or not bulk.any_key_stored(conn, "injection", "record_id",
                                            few.column("record_id")):
            return _apply_new_few(conn, few.records, deltas)
        rows = few.frame  # a stored id: the general path classifies and corrects
    elif isinstance(rows, FewRows):
        rows = rows.frame
    split = bulk.Classified(None, 0, 0) if fresh else bulk.classify_keys(
        conn, "injection", "record_id", rows)
    if split.keep is not None:
        rows = rows[split.keep]
    counts = bulk.LoadCounts(loaded=len(rows) - split.updated, updated=split.updated,
                             unchanged=split.unchanged)
    old = _old_facts(conn).assign(n=-1) if split.updated else None
    if split.updated:
        for table in ("fct_injection", "injection"):
            conn.execute(text(f"DELETE FROM {table} WHERE record_id IN "
                              f"(SELECT record_id FROM {bulk.CHANGED})"))
        conn.execute(text(f"DROP TABLE {bulk.CHANGED}"))
    counted = rows[rows["status"] == "COMPLETED"]
    delta = counted[DELTA_KEYS].assign(n=1)
    if old is not None:
        delta = pd.concat([old, delta], ignore_index=True)
    if len(rows) <= bulk.FEW_ROWS or conn.dialect.name != "postgresql":
        deltas.append(_group_deltas(delta))
        bulk.copy_frame(conn, Injection.__table__, rows[OP_COLS], chunk_rows)
        bulk.copy_frame(conn, FctInjection.__table__, counted[FACT_COLS], chunk_rows)
        return counts
    # PostgreSQL: while the server parses and indexes the operational rows, Python builds
    # the fact rows' CSV and groups the deltas (the COPY sends from its own thread).
    with bulk.copy_writer(conn, "injection", OP_COLS) as write:
        for start in range(0, len(rows), chunk_rows):
            write(bulk.csv_bytes(rows.iloc[start : start + chunk_rows][OP_COLS]))
        facts = [bulk.csv_bytes(counted.iloc[s : s + chunk_rows][FACT_COLS])
                 for s in range(0, len(counted), chunk_rows)]
        deltas.append(_group_deltas(delta))
    with bulk.copy_writer(conn, "fct_injection", FACT_COLS) as write:
        for block in facts:
            write(block)
    return counts


def _apply_new_few(conn: Connection, recs: list[Record], deltas: list[Grouped]
                   ) -> bulk.LoadCounts:
    """_apply_part for a command's few rows, none of them stored yet: the same rows, facts and
    deltas, picked from records converted once (each sub-frame of the general path costs pandas
    more than the row's INSERT), and one probe of the key instead of classify_keys' three
    statements."""
    counted = [r for r in recs if r["status"] == "COMPLETED"]
    deltas.append(_group_records([{**{k: r[k] for k in DELTA_KEYS}, "n": 1} for r in counted]))
    bulk.insert_records(conn, "injection", OP_COLS, recs)
    bulk.insert_records(conn, "fct_injection", FACT_COLS, counted)
    return bulk.LoadCounts(loaded=len(recs))


def _old_facts(conn: Connection) -> pd.DataFrame:
    """Rollup keys of the stored facts that corrections replace."""
    return pd.read_sql(text(f"""
        SELECT f.date_key, g.district_code, g.province_code, f.vaccine_key, f.dose_key,
               f.group_key, f.facility_key, f.lot_number
        FROM fct_injection f
        JOIN {bulk.CHANGED} s ON s.record_id = f.record_id
        JOIN dim_geography g ON g.geo_key = f.geo_key
    """), conn)


def _group_deltas(delta: pd.DataFrame) -> Grouped:
    """+1/-1 rows summed per rollup key (pandas); rollups whose net change is nil drop out."""
    if len(delta) <= SMALL_DELTA:
        return _group_small(delta)
    for k in _INT_KEYS:
        delta[k] = delta[k].astype("int64")
    out = {}
    for table, keys in ROLLUPS.items():
        extra = ROLLUP_EXTRA.get(table, {})
        agg = {"n": ("n", "sum")} | {c: (c, "max") for c in extra}
        grouped = delta.groupby(keys, as_index=False, sort=False).agg(**agg)
        grouped = grouped[grouped["n"] != 0]
        if len(grouped):
            out[table] = grouped
    return out


# Below this many delta rows (a one-dose command: one or two) they are summed in Python:
# six pandas groupbys cost ~25 ms of CPU for one row, the loop a few microseconds.
SMALL_DELTA = 64
_INT_KEYS = ("date_key", "vaccine_key", "dose_key", "group_key", "facility_key")


def _group_small(delta: pd.DataFrame) -> Grouped:
    """_group_deltas of a few rows by a Python loop, as records (key columns, "n", extra
    columns): the same groups, sums and maxima (a row with a missing key leaves that
    rollup's groups, a missing extra value is skipped, as groupby's dropna and max do).
    _as_frame turns them into _group_deltas' very frame where a frame is needed."""
    cols = [*DELTA_KEYS, "n"]
    return _group_records([dict(zip(cols, r, strict=True))
                           for r in zip(*(delta[c].tolist() for c in cols), strict=True)])


def _group_records(rows: list[dict[str, object]]) -> Grouped:
    """_group_small of delta records (DELTA_KEYS and "n")."""
    records = [{c: (None if pd.isna(v) else int(v)  # type: ignore[call-overload]
                    if c in _INT_KEYS or c == "n" else v) for c, v in r.items()}
               for r in rows]
    out: Grouped = {}
    for table, keys in ROLLUPS.items():
        extra = ROLLUP_EXTRA.get(table, [])
        sums: dict[tuple[object, ...], dict[str, object]] = {}
        for r in records:
            key = tuple(r[k] for k in keys)
            if None in key:
                continue
            acc = sums.setdefault(key, {**dict(zip(keys, key, strict=True)), "n": 0}
                                  | {c: None for c in extra})
            acc["n"] = int(acc["n"]) + int(r["n"])  # type: ignore[call-overload]
            for c in extra:
                if r[c] is not None:
                    acc[c] = r[c] if acc[c] is None else max(acc[c], r[c])  # type: ignore[type-var]
        grouped = [acc for acc in sums.values() if acc["n"] != 0]
        if grouped:
            out[table] = grouped
    return out


def _as_frame(table: str, grouped: pd.DataFrame | list[dict[str, object]]) -> pd.DataFrame:
    """A rollup's grouped deltas as the frame _group_deltas' pandas path makes."""
    if isinstance(grouped, pd.DataFrame):
        return grouped
    frame = pd.DataFrame(grouped, columns=[*ROLLUPS[table], "n", *ROLLUP_EXTRA.get(table, [])])
    return frame.astype({c: "int64" for c in frame.columns if c in _INT_KEYS or c == "n"})


def _sum_grouped(parts: list[Grouped]) -> Grouped:
    """The grouped deltas of every part summed per rollup key."""
    out = {}
    for table, keys in ROLLUPS.items():
        frames = [p[table] for p in parts if table in p]
        if len(frames) == 1:
            out[table] = frames[0]
        elif frames:
            frames = [_as_frame(table, f) for f in frames]
            extra = ROLLUP_EXTRA.get(table, [])
            agg = {"n": ("n", "sum")} | {c: (c, "max") for c in extra}
            summed = pd.concat(frames, ignore_index=True).groupby(
                keys, as_index=False, sort=False).agg(**agg)
            if len(summed := summed[summed["n"] != 0]):
                out[table] = summed
    return out


def _add_deltas(
    conn: Connection, grouped: Grouped, beside_loads: bool = False
) -> None:
    """Add each grouped delta into its rollup: straight in when no stored key can match.

    One probe of an index tells whether the rollup holds any row in the delta's range of
    PROBE[table] (a file of new days, a first load: none). Then no key can conflict (loads
    are serialised by bulk.serialize_loads, and one-dose commands wait for the rollup lock
    this load holds from here to its commit) and the grouped rows, sorted by key, are copied
    into the rollup: for 368k facility-day groups about a third of the cost of staging them
    and upserting with ON CONFLICT. Otherwise they are staged and upserted. A command
    (`beside_loads`) upserts its few rows straight, with no staging table.
    """
    if not grouped:
        return
    bulk.lock_rollups(conn, shared=beside_loads)
    for table, frame in grouped.items():
        keys, extra, probe = ROLLUPS[table], ROLLUP_EXTRA.get(table, []), PROBE[table]
        if beside_loads:
            bulk.upsert_add_rows(conn, table, keys, "doses", _records(frame), extra)
            continue
        frame = _as_frame(table, frame)
        lo, hi = (_plain(v) for v in (frame[probe].min(), frame[probe].max()))
        if not bulk.any_between(conn, table, probe, lo, hi):
            cols = [*keys, *extra, "doses"]
            target = Table(table, MetaData(), *(Column(c) for c in cols))
            rows = frame.rename(columns={"n": "doses"}).sort_values(keys)[cols]
            bulk.copy_frame(conn, target, rows, 500_000)
            continue
        stage = bulk.stage_table(conn, "stg_injection_delta", _DELTA_LIKE, {})
        bulk.copy_frame(conn, stage, frame, 500_000)
        bulk.upsert_add(conn, table, keys, {"doses": "n"}, "stg_injection_delta",
                        {c: f"MAX({c})" for c in extra})
        conn.execute(text("DROP TABLE stg_injection_delta"))


def _records(grouped: pd.DataFrame | list[dict[str, object]]) -> list[dict[str, object]]:
    """A rollup's grouped deltas as records with "doses" for "n" (Python values)."""
    if isinstance(grouped, pd.DataFrame):
        grouped = [dict(zip(grouped.columns, r, strict=True))
                   for r in bulk.plain_rows(grouped)]
    return [{("doses" if k == "n" else k): v for k, v in r.items()} for r in grouped]


def _plain(value: object) -> object:
    """A numpy scalar as the Python value drivers bind."""
    return value.item() if isinstance(value, np.generic) else value
