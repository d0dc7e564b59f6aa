"""The floor under bench.ops_write's API figures: what this machine's HTTP stack gives for a
signed-in API call that records nothing.

DATABASE_URL=postgresql://... REDIS_URL=redis://... python -m bench.api_floor
    [--database bench_ops_floor] [--clients 16] [--seconds 30] [--workers 2] [--threads 16]

The same server as bench.ops_write (create_app under gunicorn, --workers gthread workers x
--threads, Redis cache) and the same clients (python-requests, one keep-alive session per desk,
each desk a facility-staff account with a bearer token), in a closed loop of GET /api/v1/me:
the bearer check (token lookup, scope) and a JSON answer, nothing written. A dose through the
API is three such calls (check-in, screening, injection) plus the commands' own work, so
2 cores / (3 x CPU per call) is the most doses/s this stack could give here even if the
commands cost nothing. Prints calls/s, latency, CPU ms per call of the server, the database and
the clients (from /proc, bench.ops_cpu), and those bounds.
"""

from __future__ import annotations

import argparse
import os
import threading
import time

import requests

from bench.common import load_facilities, migrated_engine, pct, print_table, stamp
from bench.ops_cpu import CpuMeter
from bench.ops_desks import make_desks, sign_in
from bench.ops_write import settings_for
from bench.pages import Gunicorn

CALLS_PER_DOSE = 3  # check-in, screening, injection
TARGET_DOSES_S = 200.0


def loop(http: requests.Session, url: str, headers: dict[str, str], deadline: float,
         ms: list[float], errors: list[str]) -> None:
    """GET /api/v1/me until the deadline; every round trip timed, every failure kept."""
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        try:
            r = http.get(url, headers=headers, timeout=30)
        except requests.RequestException as err:
            errors.append(type(err).__name__)
            continue
        ms.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            errors.append(f"HTTP {r.status_code}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database", default="bench_ops_floor")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=16)
    args = ap.parse_args()
    settings = settings_for(args.database)
    engine = migrated_engine(settings)
    with engine.connect() as conn:
        has_facilities = conn.exec_driver_sql("SELECT COUNT(*) FROM facility").scalar_one()
    if not has_facilities:
        from bench.common import OUT_DIR
        load_facilities(settings, engine, OUT_DIR / "floor")
    desks = make_desks(engine, args.clients)
    server = Gunicorn(settings, args.workers, args.threads, prefix="vxfloor")
    try:
        sessions = [requests.Session() for _ in desks]
        for http, d in zip(sessions, desks, strict=True):
            sign_in(http, server.url, d)
            http.get(f"{server.url}/api/v1/me", headers=d.headers(), timeout=30)  # warm
        print(f"{stamp()}  gunicorn {args.workers}x{args.threads}, {args.clients} clients, "
              f"{args.seconds:.0f} s, load {os.getloadavg()[0]:.2f}", flush=True)
        ms: list[list[float]] = [[] for _ in desks]
        errors: list[str] = []
        meter = CpuMeter(engine, server.proc.pid)
        deadline = time.monotonic() + args.seconds
        t0 = time.perf_counter()
        threads = [threading.Thread(target=loop, daemon=True, args=(
            http, f"{server.url}/api/v1/me", d.headers(), deadline, m, errors))
            for http, d, m in zip(sessions, desks, ms, strict=True)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(args.seconds + 60)
        elapsed = time.perf_counter() - t0
        server_s, db_s, client_s = meter.stop()
    finally:
        server.stop()
        engine.dispose()
    every = [x for m in ms for x in m]
    n = len(every)
    per = [1000 * x / n for x in (server_s, db_s, client_s)] if n else [0.0, 0.0, 0.0]
    stack = per[0] + per[1]
    print_table("GET /api/v1/me, closed loop", ["figure", "value"], [
        ["calls", n],
        ["calls/s", round(n / elapsed, 1)],
        ["p50 / p95 ms", f"{pct(every, 50):.1f} / {pct(every, 95):.1f}" if n else "-"],
        ["errors", len(errors)],
        ["CPU ms per call: server / database / client", "{:.2f} / {:.2f} / {:.2f}".format(*per)],
        ["doses/s if 2 free cores served only the calls (server + database)",
         round(2000 / (CALLS_PER_DOSE * stack), 1) if stack else "-"],
        ["... with this client on the same 2 cores",
         round(2000 / (CALLS_PER_DOSE * (stack + per[2])), 1) if stack else "-"],
        ["target doses/s (issue 11)", TARGET_DOSES_S],
    ])


if __name__ == "__main__":
    main()
