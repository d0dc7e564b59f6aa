"""Extract -> transform -> load -> refresh, one transaction per file."""

from __future__ import annotations

import datetime as dt
import getpass
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, insert
from tqdm import tqdm

from data import audit
from data.audit import Actor
from data.bulk import LoadCounts, Progress, serialize_loads
from data.db import unit_of_work
from data.interchange.kinds.base import Transformed
from data.interchange.messages import message
from data.interchange.validate import LINE, REJECT_COLUMNS, Validator
from data.lookups import RefContext, load_context
from data.models.meta import EtlLoad
from data.safe_cells import safe_frame
from data.settings import Settings
from data.version import bump_version
from etl.lookahead import ahead
from etl.readers import file_checksum, read_table
from etl.refusal import FileRefused
from etl.registry import KINDS, PartLoader, Transform

# A further check of the valid rows inside the load's transaction (the web upload's scope):
# (conn, rows, their source lines) -> (rows kept, rejects in REJECT_COLUMNS).
RowCheck = Callable[[Connection, pd.DataFrame, pd.Series], tuple[pd.DataFrame, pd.DataFrame]]


@dataclass
class LoadResult:
    """The outcome of loading one file."""

    kind: str
    path: Path
    read: int
    loaded: int
    updated: int
    unchanged: int
    rejected: int
    seconds: float
    reject_path: Path | None

    def summary(self) -> str:
        """The one-line summary printed after each file."""
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        line = (f"{self.kind} {self.path.name}: read {self.read:,}, loaded {self.loaded:,}, "
                f"updated {self.updated:,}, unchanged {self.unchanged:,}, "
                f"rejected {self.rejected:,}, {self.seconds:.2f} s, {rate:,.0f} rows/s")
        if self.reject_path:
            line += f" (rejects: {self.reject_path})"
        return line


def cli_actor() -> Actor:
    """The operator running the command line, as the audit log names them."""
    return Actor(None, f"cli:{getpass.getuser()}", f"cli:{socket.gethostname()}")


def default_reject_path(path: Path) -> Path:
    """The reject report beside the input."""
    return path.with_name(path.name + ".rejects.csv")


def load_file(
    settings: Settings, engine: Engine, kind: str, path: Path,
    reject_path: Path | None = None, lang: str | None = None, progress: bool = False,
    actor: Actor | None = None, encoding: str | None = None, row_check: RowCheck | None = None,
) -> LoadResult:
    """Load one interchange file; invalid rows go to the reject report, valid rows load.

    A file that cannot be read at all raises FileRefused, with its one-row reject report
    written and nothing loaded (the database is not touched).
    """
    spec = KINDS[kind]
    if row_check is not None and spec.parts is not None:
        raise ValueError(f"{kind}: a row check needs a kind loaded whole")
    lang = lang or settings.reject_lang
    started, t0 = dt.datetime.now(dt.UTC), time.perf_counter()
    out = reject_path or default_reject_path(path)
    try:
        raw = read_table(path, encoding)
    except FileRefused as refused:
        _write_rejects(pd.DataFrame([{"line": refused.line or 1, "field": "*", "value": "",
                                      "reason": refused.reason(lang)}]), out)
        refused.reject_path = out
        raise
    v = Validator(raw.frame, lang, settings.timezone)
    v.add_unreadable(raw.unreadable)
    missing = v.missing_columns(spec.required)
    n_read = len(raw.frame) + len(raw.unreadable)
    checksum = file_checksum(path)
    with unit_of_work(engine) as conn:
        # Loads run one at a time, and what a file is checked against (codes, facilities,
        # stock balances) is read inside the same transaction that writes it.
        serialize_loads(conn)
        ctx = load_context(conn)
        bar = tqdm(total=len(v.raw), desc=f"{kind} {path.name}", unit="rows",
                   disable=not progress, leave=False)
        if missing:
            counts = LoadCounts()
            rejects = pd.DataFrame([{"line": 1, "field": c, "value": "",
                                     "reason": message("missing_column", lang, column=c)}
                                    for c in missing], columns=REJECT_COLUMNS)
            rejects = pd.concat([v.rejects(), rejects], ignore_index=True)
        else:
            extra = spec.prefetch(conn, v.raw, ctx) if spec.prefetch else None
            if spec.parts:
                counts, rejects = _load_parts(conn, spec.parts, spec.transform, v, ctx, extra,
                                              settings.etl_chunk_rows, bar.update)
            else:
                assert spec.apply is not None  # Kind holds exactly one of apply and parts
                result = spec.transform(v, ctx, extra)
                rows, rejects = result.rows, result.rejects
                if row_check is not None and len(rows):
                    rows, refused = row_check(conn, rows, v.raw[LINE].loc[rows.index])
                    if len(refused):
                        rejects = (pd.concat([f for f in (rejects, refused) if len(f)],
                                             ignore_index=True)
                                   .sort_values(["line", "field"], kind="stable")
                                   .reset_index(drop=True))
                counts = spec.apply(conn, rows, settings.etl_chunk_rows, bar.update) \
                    if len(rows) else LoadCounts()
        n_rejected = n_read if missing else _rejected_rows(rejects)
        if counts.loaded or counts.updated:
            bump_version(conn)
        conn.execute(insert(EtlLoad.__table__).values(
            kind=kind, file_name=str(path), checksum=checksum, started_at=started,
            finished_at=dt.datetime.now(dt.UTC), rows_read=n_read, loaded=counts.loaded,
            updated=counts.updated, unchanged=counts.unchanged, rejected=n_rejected))
        audit.record(conn, actor or cli_actor(), "ETL_LOAD", kind, path.name, detail={
            "file": str(path), "sha256": checksum, "read": n_read, "loaded": counts.loaded,
            "updated": counts.updated, "unchanged": counts.unchanged, "rejected": n_rejected})
    bar.close()
    out_path = _write_rejects(rejects, out)
    return LoadResult(
        kind=kind, path=path, read=n_read, loaded=counts.loaded, updated=counts.updated,
        unchanged=counts.unchanged, rejected=n_rejected, seconds=time.perf_counter() - t0,
        reject_path=out_path,
    )


def _load_parts(
    conn: Connection, loader: PartLoader, transform: Transform, v: Validator, ctx: RefContext,
    extra: object, part_rows: int, progress: Progress,
) -> tuple[LoadCounts, pd.DataFrame]:
    """Validate and load a file part by part, the next part validated while one loads."""
    parts = loader.split(v.raw, part_rows)
    rejects = [v.rejects()]  # rows the reader could not parse

    def validated(frame: pd.DataFrame) -> Transformed:
        return transform(Validator(frame, v.lang, v.tz), ctx, extra)

    checked = ahead(validated, parts.frames)

    def rows() -> Iterator[pd.DataFrame]:
        for result in checked:
            rejects.append(result.rejects)
            yield result.rows

    try:
        counts = loader.apply(conn, rows(), parts.key_bounds, part_rows, progress)
    finally:
        # When a write fails, stop the validating thread here and now: left to the garbage
        # collector, it may be finalised on that thread itself, which cannot join itself.
        checked.close()
    out = pd.concat(rejects, ignore_index=True)
    return counts, out.sort_values(["line", "field"], kind="stable").reset_index(drop=True)


def _rejected_rows(rejects: pd.DataFrame) -> int:
    return int(rejects["line"].nunique()) if len(rejects) else 0


def _write_rejects(rejects: pd.DataFrame, path: Path) -> Path | None:
    if not len(rejects):
        path.unlink(missing_ok=True)  # a stale report from an earlier run would mislead
        return None
    # The report echoes what the file held: a value like =HYPERLINK(...) must stay text.
    safe_frame(rejects).to_csv(path, index=False, encoding="utf-8-sig")
    return path
