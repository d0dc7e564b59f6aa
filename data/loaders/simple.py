"""Apply kinds whose facts map one-to-one: registrations and allocations."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from sqlalchemy import Connection, String, Table, TextClause, text
from sqlalchemy.types import TypeEngine

from data import bulk
from data.few_rows import FewRows, Record, frame_records
from data.models.operational import AefiReport, Allocation, Registration


def _apply(conn: Connection, table: Table, key: str, fact: str, fact_cols: list[str],
           extra: dict[str, TypeEngine], rows: pd.DataFrame | FewRows, chunk: int,
           progress: bulk.Progress | None, fresh: bool = False) -> bulk.LoadCounts:
    if len(rows) <= bulk.FEW_ROWS:
        recs = rows.records if isinstance(rows, FewRows) else frame_records(rows)
        counts = _apply_few(conn, table, key, fact, fact_cols, recs, fresh)
        if progress:
            progress(len(rows))
        return counts
    if isinstance(rows, FewRows):
        rows = rows.frame
    stage = f"stg_{table.name}"
    bulk.copy_frame(conn, bulk.stage_table(conn, stage, table, extra), rows, chunk, progress)
    counts = bulk.prune_unchanged(conn, stage, table.name, key)
    if counts.loaded + counts.updated:
        existing = counts.updated > 0
        bulk.replace_rows(conn, stage, fact, key, fact_cols, any_existing=existing)
        bulk.replace_rows(conn, stage, table.name, key, [c.name for c in table.columns],
                          any_existing=existing)
    conn.execute(text(f"DROP TABLE IF EXISTS {stage}"))
    return counts


def _apply_few(conn: Connection, table: Table, key: str, fact: str, fact_cols: list[str],
               rows: list[Record], fresh: bool = False) -> bulk.LoadCounts:
    """_apply for a command's row or two, by key, without a staging table (creating and
    dropping one per registration costs more than the row, and churns PostgreSQL's
    catalogue at every form sent): the same counts and the same rows stored. `fresh`: the
    keys were made for these rows just now, so no stored row is looked for (one held all the
    same is refused by the primary key, never overwritten)."""
    cols = [c.name for c in table.columns]
    counts = bulk.LoadCounts()
    for one in rows:  # a column the rows lack is stored NULL, as staged
        stored = None if fresh else conn.execute(
            _stored_hash(table.name, key), {"k": one[key]}).first()
        if stored is not None and stored[0] == int(one["row_hash"]):  # type: ignore[call-overload]
            counts.unchanged += 1
            continue
        if stored is None:
            counts.loaded += 1
        else:
            counts.updated += 1
            for target in (fact, table.name):
                conn.execute(text(f"DELETE FROM {target} WHERE {key} = :k"), {"k": one[key]})
        bulk.insert_records(conn, fact, fact_cols, [one])
        bulk.insert_records(conn, table.name, cols, [one])
    return counts


@lru_cache(maxsize=16)
def _stored_hash(table: str, key: str) -> TextClause:
    """The probe of a stored row's hash, built once a table (see data.audit._APPEND)."""
    return text(f"SELECT row_hash FROM {table} WHERE {key} = :k")


def apply_registrations(conn: Connection, rows: pd.DataFrame | FewRows, chunk: int,
                        progress: bulk.Progress | None = None,
                        fresh: bool = False) -> bulk.LoadCounts:
    """Registrations and fct_registration (`fresh`: ids just made, as _apply_few's)."""
    return _apply(conn, Registration.__table__, "registration_id", "fct_registration",
                  ["registration_id", "date_key", "geo_key", "group_key"],
                  bulk.int_cols("date_key", "geo_key", "group_key"), rows, chunk, progress,
                  fresh)


def apply_allocations(conn: Connection, rows: pd.DataFrame, chunk: int,
                      progress: bulk.Progress | None = None) -> bulk.LoadCounts:
    """Allocation decisions and fct_allocation."""
    return _apply(conn, Allocation.__table__, "allocation_id", "fct_allocation",
                  ["allocation_id", "date_key", "vaccine_key", "recipient_code",
                   "recipient_level", "province_code", "decision_no", "batch", "doses"],
                  bulk.int_cols("date_key", "vaccine_key")
                  | {"recipient_level": String(8), "province_code": String(2)},
                  rows, chunk, progress)


def apply_aefi(conn: Connection, rows: pd.DataFrame, chunk: int,
               progress: bulk.Progress | None = None) -> bulk.LoadCounts:
    """AEFI reports and fct_aefi (keys of the injection they follow)."""
    return _apply(conn, AefiReport.__table__, "report_id", "fct_aefi",
                  ["report_id", "record_id", "onset_date_key", "report_date_key", "geo_key",
                   "facility_key", "vaccine_key", "dose_key", "group_key", "lot_number",
                   "severity", "is_serious", "outcome", "classification"],
                  bulk.int_cols("onset_date_key", "report_date_key", "geo_key", "facility_key",
                                "vaccine_key", "dose_key", "group_key")
                  | {"lot_number": String(40)} | bulk.bool_cols("is_serious"),
                  rows, chunk, progress)
