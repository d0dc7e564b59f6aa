"""Ingest throughput: load_file end to end vs the raw driver insert of the same rows.

Three loads of one file: new rows, a replay (every row unchanged), then the file with every
tenth dose corrected (same id, another lot).

python -m bench.ingest [--backend sqlite|postgresql] [--rows 1000000] [--profile]

Besides wall time, each load reports the CPU seconds it cost this Python process (every
thread) and, when PostgreSQL runs on this machine, its server processes (/proc): on a
2-core machine those two bound the best rows/s the design can reach.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import os
import pstats
import resource
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


def python_cpu() -> float:
    """CPU seconds (user + system) of this process so far, all threads."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def server_cpu() -> float | None:
    """CPU seconds of every local PostgreSQL process so far; None if none is visible."""
    ticks, seen = 0, False
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue  # the process ended meanwhile
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        if name == "postgres":
            fields = rest.split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
            seen = True
    return ticks / os.sysconf("SC_CLK_TCK") if seen else None


def measured(
    fn: Callable[[], LoadResult], profile: bool, server: bool
) -> tuple[LoadResult, float, float | None]:
    """One load with the CPU seconds it cost this process and (`server`) the local database."""
    py0, db0 = python_cpu(), server_cpu() if server else None
    result = profiled(fn, profile)
    py1, db1 = python_cpu(), server_cpu() if server else None
    return result, py1 - py0, (db1 - db0) if db0 is not None and db1 is not None else None


def profiled(fn: Callable[[], LoadResult], profile: bool) -> LoadResult:
    """Run one load, under cProfile (top functions printed) if asked."""
    if not profile:
        return fn()
    prof = cProfile.Profile()
    result = prof.runcall(fn)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    return result


def main() -> None:
    """Write the file, load it, replay it, load its corrections, insert it raw; print rows/s
    and the ratio."""
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
        frame = injections_frame(args.rows)
        path = write_csv(frame, workdir / f"injections_{args.rows}.csv")
        # The same file with every tenth dose corrected (another lot): same ids, new content.
        frame.loc[::10, "lot_number"] = "LOTFIX"
        fixed = write_csv(frame, workdir / f"injections_{args.rows}_fixed.csv")
    print(f"{stamp()}  backend={args.backend}  rows={args.rows:,}  "
          f"file={path.stat().st_size / 1e6:.0f} MB written in {tw.seconds:.1f} s")
    pg = args.backend == "postgresql"
    first, first_py, first_db = measured(
        lambda: load_file(settings, engine, "injections", path), args.profile, pg)
    print(first.summary())
    replay, replay_py, replay_db = measured(
        lambda: load_file(settings, engine, "injections", path), args.profile, pg)
    print(replay.summary())
    fix, fix_py, fix_db = measured(
        lambda: load_file(settings, engine, "injections", fixed), args.profile, pg)
    print(fix.summary())
    n_raw, raw_s = raw_insert(engine, path)
    engine.dispose()
    load_rate, replay_rate, raw_rate = (first.read / first.seconds, replay.read / replay.seconds,
                                        n_raw / raw_s)
    fix_rate = fix.read / fix.seconds
    print_table(f"ingest, {args.backend}, {args.rows:,} rows", ["step", "rows", "s", "rows/s",
                "vs raw", "python CPU s", "server CPU s"], [
        ["load_file (new rows)", first.loaded, round(first.seconds, 1), load_rate,
         f"{load_rate / raw_rate:.2f}", _cpu(first_py), _cpu(first_db)],
        ["load_file (replay, unchanged)", replay.unchanged, round(replay.seconds, 1),
         replay_rate, f"{replay_rate / raw_rate:.2f}", _cpu(replay_py), _cpu(replay_db)],
        [f"load_file (corrections: {fix.updated:,}, rest unchanged)", fix.read,
         round(fix.seconds, 1), fix_rate, f"{fix_rate / raw_rate:.2f}", _cpu(fix_py),
         _cpu(fix_db)],
        ["raw driver insert", n_raw, round(raw_s, 1), raw_rate, "1.00", "", ""],
    ])


def _cpu(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f}"


if __name__ == "__main__":
    main()
