"""Dashboard reads: cached named aggregates vs the same figures by GROUP BY over the facts.

python -m bench.reads [--backend sqlite|postgresql] [--doses 10000000] [--reuse]
                      [--calls 200] [--baseline-calls 3] [--max-load-min 25] [--dated]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text

from bench import groupby
from bench.common import (
    OUT_DIR,
    Timer,
    add_backend_arg,
    injections_frame,
    load_facilities,
    migrated_engine,
    named_settings,
    pct,
    print_table,
    stamp,
    write_csv,
)
from data import rollup_queries as queries
from data.auth.roles import Grant, Principal, Role
from data.clock import local_today
from data.mcc import aggregates
from data.services import build_services
from data.settings import Settings

FILE_ROWS = 1_000_000
DATABASE = "bench_reads"
PROVINCE = "01"  # Hà Nội: 30 districts
# A national reader (the district drill-down is scoped by role).
LEADER = Principal(0, "bench", "Bench", (Grant(Role.MINISTRY_LEADER, "NATIONAL", None),))


def fact_count(engine: Engine) -> int:
    """Doses in fct_injection (0 if the schema is missing)."""
    with engine.connect() as conn:
        try:
            return int(conn.execute(text("SELECT COUNT(*) FROM fct_injection")).scalar_one())
        except Exception:  # no schema yet: a fresh database is built instead
            return 0


def build(settings: Settings, engine: Engine, doses: int, max_load_s: float,
          dated: bool = False) -> int:
    """Load `doses` injections in 1M-row files through load_file; stop early past max_load_s.

    Each file spans the whole campaign, or (`dated`) the next slice of it, as daily files
    arrive in production."""
    from etl.pipeline import load_file  # heavy import, only when building

    workdir = OUT_DIR / "reads"
    load_facilities(settings, engine, workdir)
    t0 = time.perf_counter()
    files = -(-doses // FILE_ROWS)
    for i in range(files):
        if time.perf_counter() - t0 > max_load_s:
            print(f"  stopping: load budget of {max_load_s / 60:.0f} min spent", flush=True)
            break
        n = min(FILE_ROWS, doses - i * FILE_ROWS)
        days = (570 * i // files, 570 * (i + 1) // files) if dated else (0, 570)
        path = write_csv(injections_frame(n, seed=100 + i, start=i * FILE_ROWS, days=days),
                         workdir / f"injections_{i:03d}.csv")
        res = load_file(settings, engine, "injections", path)
        path.unlink()
        print(f"  [{time.perf_counter() - t0:6.0f} s] file {i + 1}: loaded {res.loaded:,} in "
              f"{res.seconds:.1f} s ({res.read / res.seconds:,.0f} rows/s)", flush=True)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    return fact_count(engine)


def timed(fn: Callable[[], Any], calls: int) -> tuple[list[float], Any]:
    """Per-call wall times in ms and the last result."""
    out, result = [], None
    for _ in range(calls):
        t0 = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out, result


def same(cached: Any, grouped: Any) -> bool:
    """Whether the cached figure and the GROUP BY one agree on the dose counts."""
    if isinstance(cached, dict):
        keys = ("doses", "dose1", "fully", "booster", "today", "last_date_key")
        return all(int(cached[k]) == int(grouped[k]) for k in keys)
    return [int(x) for x in cached["doses"]] == [int(x) for x in grouped["doses"]]


def main() -> None:
    """Build or reuse the database, then time every named read both ways."""
    ap = argparse.ArgumentParser(description=__doc__)
    add_backend_arg(ap, default="postgresql")
    ap.add_argument("--doses", type=int, default=10_000_000)
    ap.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--baseline-calls", type=int, default=3)
    ap.add_argument("--max-load-min", type=float, default=25.0)
    ap.add_argument("--dated", action="store_true",
                    help=f"files in date order, in {DATABASE}_dated (see bench.as_of)")
    args = ap.parse_args()
    database = f"{DATABASE}_dated" if args.dated else DATABASE
    settings = named_settings(args.backend, database, fresh=not args.reuse)
    settings = settings.with_(redis_url=os.environ.get("REDIS_URL") or None,
                              cache_prefix="vxbench")
    engine = migrated_engine(settings)
    n = fact_count(engine)
    if not args.reuse or n == 0:
        print(f"{stamp()}  building {args.backend} database with {args.doses:,} doses", flush=True)
        with Timer() as tb:
            n = build(settings, engine, args.doses, args.max_load_min * 60, args.dated)
        print(f"  built: {n:,} doses in {tb.seconds / 60:.1f} min", flush=True)
    svc = build_services(settings)
    today = local_today(svc)
    reads: dict[str, tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]] = {
        "national_kpis": (lambda: aggregates.national_kpis(svc, today),
                          lambda: groupby.national_kpis(engine, today),
                          lambda: _rollups(engine, lambda c: queries.kpi_totals(c, today))),
        "daily_doses_by_kind": (lambda: aggregates.daily_doses_by_kind(svc),
                                lambda: groupby.daily_by_kind(engine),
                                lambda: _rollups(engine, lambda c: queries.daily_by_kind(
                                    c, None, None))),
        "coverage_by_province": (lambda: aggregates.coverage_by_province(svc),
                                 lambda: groupby.coverage_by_province(engine),
                                 lambda: _rollups(engine, queries.coverage_by_province)),
        "coverage_by_district": (lambda: aggregates.coverage_by_district(svc, PROVINCE, LEADER),
                                 lambda: groupby.coverage_by_district(engine, PROVINCE),
                                 lambda: _rollups(engine, lambda c: queries.coverage_by_district(
                                     c, PROVINCE))),
    }
    cache_kind = "Redis" if settings.redis_url else "in-process"
    print(f"{stamp()}  {args.backend}, {n:,} doses, cache {cache_kind}, "
          f"{args.calls} cached calls, {args.baseline_calls} GROUP BY calls", flush=True)
    rows = []
    for name, (cached, grouped, rollup) in reads.items():
        cached()  # the first call after a load computes and stores: warm it, as the app does
        c_ms, c_val = timed(cached, args.calls)
        r_ms, _ = timed(rollup, max(args.baseline_calls, 5))
        g_ms, g_val = timed(grouped, args.baseline_calls)
        rows.append([name, pct(c_ms, 50), pct(c_ms, 95), pct(r_ms, 50), pct(g_ms, 50),
                     pct(g_ms, 95), f"{pct(g_ms, 50) / pct(c_ms, 50):,.0f}x",
                     f"{pct(g_ms, 95) / pct(c_ms, 95):,.0f}x",
                     "yes" if same(c_val, g_val) else "NO"])
        print(f"  {name} done", flush=True)
    print_table(f"reads, {args.backend}, {n:,} doses, ms per call", [
        "read", "cached p50", "cached p95", "rollup miss p50", "GROUP BY p50", "GROUP BY p95",
        "ratio p50", "ratio p95", "same figures"], rows)
    engine.dispose()
    svc.engine.dispose()


def _rollups(engine: Engine, fn: Callable[[Any], Any]) -> Any:
    """One uncached read over the rollups (what a cache miss costs)."""
    with engine.connect() as conn:
        return fn(conn)


if __name__ == "__main__":
    main()
