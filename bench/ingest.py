"""Ingest throughput: load_file end to end vs the raw driver insert of the same rows.

python -m bench.ingest [--backend sqlite|postgresql] [--rows 1000000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from bench.common import (
    OUT_DIR,
    Timer,
    add_backend_arg,
    injections_frame,
    load_facilities,
    migrated_engine,
    named_settings,
    print_table,
    stamp,
    write_csv,
)
from etl.pipeline import LoadResult, load_file


def raw_insert(engine: Engine, path: Path) -> tuple[int, float]:
    """The physical limit: COPY (PostgreSQL) or executemany (SQLite) into a plain text table."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    cols = ", ".join(f"{c} TEXT" for c in header)
    raw = engine.raw_connection()
    try:
        drv = raw.driver_connection
        if engine.dialect.name == "postgresql":
            return _copy_pg(drv, path, header, cols)
        return _executemany_sqlite(drv, path, header, cols)
    finally:
        raw.close()


def _copy_pg(drv: object, path: Path, header: list[str], cols: str) -> tuple[int, float]:
    with drv.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute(f"DROP TABLE IF EXISTS raw_injection; CREATE TABLE raw_injection ({cols})")
        drv.commit()  # type: ignore[attr-defined]
        with Timer() as t:
            with cur.copy(f"COPY raw_injection ({', '.join(header)}) FROM STDIN "
                          "WITH (FORMAT csv, HEADER true)") as cp, path.open("rb") as fh:
                while block := fh.read(1 << 20):
                    cp.write(block)
            drv.commit()  # type: ignore[attr-defined]
        n = cur.execute("SELECT COUNT(*) FROM raw_injection").fetchone()[0]
    return int(n), t.seconds


def _executemany_sqlite(drv: object, path: Path, header: list[str], cols: str) -> tuple[int, float]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [tuple(r) for r in csv.reader(fh)][1:]  # the same tuples, parsed before timing
    drv.execute("DROP TABLE IF EXISTS raw_injection")  # type: ignore[attr-defined]
    drv.execute(f"CREATE TABLE raw_injection ({cols})")  # type: ignore[attr-defined]
    drv.commit()  # type: ignore[attr-defined]
    marks = ", ".join("?" for _ in header)
    with Timer() as t:
        drv.executemany(f"INSERT INTO raw_injection VALUES ({marks})", rows)  # type: ignore[attr-defined]
        drv.commit()  # type: ignore[attr-defined]
    return len(rows), t.seconds


def profiled(fn: Callable[[], LoadResult], profile: bool) -> LoadResult:
    """Run one load, under cProfile (top functions printed) if asked."""
    if not profile:
        return fn()
    prof = cProfile.Profile()
    result = prof.runcall(fn)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    return result


def main() -> None:
    """Write the file, load it, replay it, insert it raw; print rows/s and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__)
    add_backend_arg(ap)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--profile", action="store_true", help="cProfile the first load")
    args = ap.parse_args()
    workdir = OUT_DIR / "ingest"
    settings = named_settings(args.backend, "bench_ingest", fresh=True)
    engine = migrated_engine(settings)
    load_facilities(settings, engine, workdir)
    with Timer() as tw:
        path = write_csv(injections_frame(args.rows), workdir / f"injections_{args.rows}.csv")
    print(f"{stamp()}  backend={args.backend}  rows={args.rows:,}  "
          f"file={path.stat().st_size / 1e6:.0f} MB written in {tw.seconds:.1f} s")
    first = profiled(lambda: load_file(settings, engine, "injections", path), args.profile)
    print(first.summary())
    replay = profiled(lambda: load_file(settings, engine, "injections", path), args.profile)
    print(replay.summary())
    n_raw, raw_s = raw_insert(engine, path)
    engine.dispose()
    load_rate, replay_rate, raw_rate = (first.read / first.seconds, replay.read / replay.seconds,
                                        n_raw / raw_s)
    print_table(f"ingest, {args.backend}, {args.rows:,} rows", ["step", "rows", "s", "rows/s",
                "vs raw"], [
        ["load_file (new rows)", first.loaded, round(first.seconds, 1), load_rate,
         f"{load_rate / raw_rate:.2f}"],
        ["load_file (replay, unchanged)", replay.unchanged, round(replay.seconds, 1),
         replay_rate, f"{replay_rate / raw_rate:.2f}"],
        ["raw driver insert", n_raw, round(raw_s, 1), raw_rate, "1.00"],
    ])


if __name__ == "__main__":
    main()
