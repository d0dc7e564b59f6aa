"""'As of' reads: facts up to the cut-off vs the rollup minus the facts after it.

python -m bench.as_of [--backend postgresql|sqlite] [--database bench_reads] [--calls 3]

Runs on a database built by bench.reads (10M doses by default). For cut-offs from the day
before the last dose back to the first months, it times each source (districts, groups,
lots) both ways, uncached, checks they agree, and prints which one the reads choose.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from sqlalchemy import Connection

from bench.common import add_backend_arg, migrated_engine, named_settings, print_table, stamp
from data.mcc.queries import read
from data.mcc.queries.sources import (
    district_source,
    from_end,
    group_source,
    last_dose_key,
    lot_source,
)

SOURCES = {"districts": district_source, "groups": group_source, "lots": lot_source}
DAYS_BACK = [1, 7, 30, 180, 365]


def best_ms(conn: Connection, sql: str, cutoff: int, calls: int) -> tuple[float, pd.DataFrame]:
    """Fastest of `calls` runs, in ms, and the result."""
    best, out = float("inf"), pd.DataFrame()
    for _ in range(calls):
        t0 = time.perf_counter()
        out = read(conn, sql, {"cutoff": cutoff})
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best, out


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by key, doses as int64 (a PostgreSQL SUM arrives as Decimal)."""
    keys = sorted(c for c in df.columns if c != "doses")
    out = df[[*keys, "doses"]].astype({"doses": "int64"})
    return out.sort_values(keys).reset_index(drop=True)


def _key(day: pd.Timestamp) -> int:
    return int(day.strftime("%Y%m%d"))


def main() -> None:
    """Time both forms of each source at several cut-offs."""
    ap = argparse.ArgumentParser(description=__doc__)
    add_backend_arg(ap, default="postgresql")
    ap.add_argument("--database", default="bench_reads")
    ap.add_argument("--calls", type=int, default=3)
    args = ap.parse_args()
    engine = migrated_engine(named_settings(args.backend, args.database, fresh=False))
    rows = []
    with engine.connect() as conn:
        last = last_dose_key(conn)
        assert last, f"no doses in {args.database}: build it with bench.reads first"
        print(f"{stamp()}  backend={args.backend}  last dose day {last}")
        last_day = pd.Timestamp(str(last))
        for back in DAYS_BACK:
            cutoff = _key(last_day - pd.Timedelta(days=back))
            tail_chosen = from_end(conn, cutoff)
            for name, source in SOURCES.items():
                head_ms, head = best_ms(conn, source(conn, cutoff, False), cutoff, args.calls)
                tail_ms, tail = best_ms(conn, source(conn, cutoff, True), cutoff, args.calls)
                agree = _canonical(head).equals(_canonical(tail))
                chosen = tail_ms if tail_chosen else head_ms
                rows.append([back, name, round(head_ms), round(tail_ms),
                             "tail" if tail_chosen else "head", f"{head_ms / chosen:.1f}x",
                             "yes" if agree else "NO"])
    engine.dispose()
    print_table("as-of sources, ms (best of calls)",
                ["days back", "source", "facts up to", "rollup - after", "chosen",
                 "speed-up", "equal"], rows)


if __name__ == "__main__":
    main()
