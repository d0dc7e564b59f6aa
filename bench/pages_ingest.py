"""The command center while a province sends a big file: callback latency with and without a
1M-row injections load running, side by side in one run.

python -m bench.pages_ingest [--users 100] [--seconds 60] [--rows 1000000]
                             [--database bench_reads] [--workers 2] [--threads 16]
                             [--loader-nice default|0]

The real app runs under gunicorn against the PostgreSQL schema built by bench.reads, with the
Redis cache (bench.pages). 100 signed-in users act like open pages (bench.pages' user model:
the version poll, the progress overview and both map Patches, 1-5 s think time each turn).

(a) the users alone for --seconds;
(b) the same users while `python -m etl load injections` loads a new --rows-row file, for at
    least --seconds and until 15 s after the load commits (every view is then rebuilt for the
    new data version). The loader runs in its own session (as from cron or `setsid`, its own
    autogroup to the kernel), or with --same-session in the benchmark's (as from one shell).
    Latency of the requests sent while the load ran, after it committed, and in all.
`--loader-nice 0` runs the loader at normal priority (what the code did before etl.nice), for
comparison; the default runs it as the CLI does (config.yaml etl.nice).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.appserver import DashClient, bench_user
from bench.common import (
    OUT_DIR,
    injections_frame,
    migrated_engine,
    named_settings,
    pct,
    print_table,
    stamp,
    write_csv,
)
from bench.pages import Gunicorn
from bench.pages_load import User, load_rows, sign_in_many
from callbacks.shared import ids

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 250.0
AFTER_COMMIT_S = 15.0  # the users go on this long after the load commits


def run_phase(clients: list[DashClient], version: object, seconds: float, wait: tuple[float, float],
              loader: list[str] | None, env: dict[str, str], own_session: bool
              ) -> tuple[list[User], float, float]:
    """The users for `seconds`, with the loader started at once if given; (users, load start,
    load end) in time.monotonic() (0, 0 without a loader). Waits for the loader to finish."""
    deadline = time.monotonic() + seconds
    users = [User(c, version, deadline, wait, seed=i) for i, c in enumerate(clients)]
    for u in users:
        u.start()
    t0 = t1 = 0.0
    if loader:
        t0 = time.monotonic()
        proc = subprocess.Popen(loader, cwd=ROOT, env=env, start_new_session=own_session,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out, _ = proc.communicate()
        t1 = time.monotonic()
        for u in users:  # keep going past the commit: every view is rebuilt for the new version
            u.deadline = max(u.deadline, t1 + AFTER_COMMIT_S)
        print(f"  loader exit {proc.returncode} after {t1 - t0:.1f} s: "
              f"{out.strip().splitlines()[-1] if out.strip() else ''}", flush=True)
    for u in users:
        u.join(max(0.0, u.deadline - time.monotonic()) + 35)
    return users, t0, t1


def during(users: list[User], t0: float, t1: float) -> list[float]:
    """Latencies of the requests sent between t0 and t1."""
    return [ms for u in users for name in u.ms
            for ms, at in zip(u.ms[name], u.at[name], strict=True) if t0 <= at <= t1]


def main() -> None:
    """Serve the app, then measure the users alone and while a 1M-row file loads."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--users", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--database", default="bench_reads", help="PostgreSQL schema (bench.reads)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--wait-min", type=float, default=1.0, help="think time, s (0 0: closed loop)")
    ap.add_argument("--wait-max", type=float, default=5.0)
    ap.add_argument("--same-session", action="store_true",
                    help="start the loader in the benchmark's own session (one autogroup with "
                         "the app server, as when both run from one shell)")
    ap.add_argument("--loader-nice", default="default",
                    help="'default' (config.yaml etl.nice) or a nice value for VX_ETL_NICE")
    args = ap.parse_args()
    wait = (args.wait_min, args.wait_max)
    settings = named_settings("postgresql", args.database, fresh=False)
    assert settings.redis_url, "set REDIS_URL (the app's shared cache)"
    engine = migrated_engine(settings)
    user = bench_user(settings)
    path = write_csv(injections_frame(args.rows, seed=int(time.time()) % 10_000,
                                      start=50_000_000 + int(time.time()) % 1_000 * 1_000_000),
                     OUT_DIR / "ingest_during_pages.csv")
    env = {**os.environ, "DATABASE_URL": settings.database_url}
    if args.loader_nice != "default":
        env["VX_ETL_NICE"] = args.loader_nice
    loader = [sys.executable, "-m", "etl", "load", "injections", str(path)]
    server = Gunicorn(settings, args.workers, args.threads)
    try:
        print(f"{stamp()}  db={args.database}, gunicorn {args.workers}x{args.threads}, "
              f"{args.users} users, {args.rows:,}-row file, loader nice {args.loader_nice}"
              f"{', same session' if args.same_session else ', own session'}",
              flush=True)
        probe = DashClient(server.url, user)
        out = probe.fire(probe.callback(ids.SHELL_VERSION),
                         {ids.SHELL_REFRESH: 1, ids.SHELL_VERSION: None})
        version = out[ids.SHELL_VERSION]["data"] if out else None
        clients = sign_in_many(server.url, user, args.users)
        # warm both workers' views
        run_phase(clients[:8], version, 10.0, (0.0, 0.0), None, env, False)
        rows, summary = [], []
        for name, cmd in (("no load", None), ("1M-row load", loader)):
            began = time.monotonic()
            users, t0, t1 = run_phase(clients, version, args.seconds, wait, cmd, env,
                                       not args.same_session)
            secs = time.monotonic() - began
            per_cb, every, errors = load_rows(users)
            for r in per_cb:
                rows.append([name, *r])
            loaded = during(users, t0, t1) if cmd else every
            after = during(users, t1, float("inf")) if cmd else every
            summary.append([name, round(secs), len(every), round(len(every) / secs), pct(every, 50),
                            pct(every, 95), len(loaded), pct(loaded, 50), pct(loaded, 95),
                            pct(after, 95), max(every), errors])
        print_table(f"callback latency, ms: {args.users} users, think time "
                    f"{wait[0]:g}-{wait[1]:g} s, at least {args.seconds:.0f} s a phase (with the "
                    f"load: until {AFTER_COMMIT_S:.0f} s after it commits)",
                    ["phase", "callback", "calls", "p50", "p95", "max"], rows)
        print_table("all requests, ms ('while loading': sent between the loader's start and exit)",
                    ["phase", "s", "calls", "per s", "p50", "p95", "while loading", "p50", "p95",
                     "after commit p95", "max", "errors"], summary)
        base, under = float(summary[0][5]), float(summary[1][8])
        print(f"callback p95 while loading {under:.1f} ms (target <= {TARGET_P95_MS:.0f}), "
              f"{under / base:.2f}x the run without the load ({base:.1f} ms)")
    finally:
        server.stop()
        engine.dispose()
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
