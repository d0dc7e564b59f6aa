"""The floor under bench.ops_write's figures: what this machine's HTTP stack gives for a
signed-in call that records nothing, through the JSON API or a Dash callback.

DATABASE_URL=postgresql://... REDIS_URL=redis://... python -m bench.api_floor
    [--via api|dash] [--database bench_ops_floor] [--clients 16] [--seconds 30]
    [--workers 2] [--threads 16]

The same server as bench.ops_write (create_app under gunicorn, --workers gthread workers x
--threads, Redis cache) and the same clients (python-requests, one keep-alive session per desk,
each desk a facility-staff account with a bearer token), in a closed loop of GET /api/v1/me:
the bearer check (token lookup, scope) and a JSON answer, nothing written. A dose through the
API is three such calls (check-in, screening, injection) plus the commands' own work, so
2 cores / (3 x CPU per call) is the most doses/s this stack could give here even if the
commands cost nothing. With --via dash each desk signs in through the login form and fires the
shell's data-version poll (POST /_dash-update-component: session, CSRF, the callback's
dispatch, one version read; an empty answer when nothing moved), the cheapest callback of the
app; a dose through the forms is 9 such calls (bench.ops_forms). Prints calls/s, latency, CPU ms
per call of the server, the database and the clients (from /proc, bench.ops_cpu), and those
bounds.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from bench.appserver import DashClient
from bench.common import OUT_DIR, load_facilities, migrated_engine, pct, print_table, stamp
from bench.ops_cpu import CpuMeter
from bench.ops_desks import PASSWORD, Desk, make_desks, sign_in
from bench.ops_write import settings_for
from bench.pages import Gunicorn
from callbacks.shared import ids

# Calls per dose and the target, by transport: the API's check-in, screening and
# injection; the forms' 9 callbacks (bench.ops_forms: search, walk-in form, screening queue,
# open, outcome and save, injection list, open and give).
CALLS_PER_DOSE = {"api": 3, "dash": 9}
TARGET_DOSES_S = {"api": 200.0, "dash": 50.0}


def loop(call: Callable[[], int], deadline: float, ms: list[float], errors: list[str]) -> None:
    """`call` until the deadline; every round trip timed, every failure kept."""
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        try:
            status = call()
        except requests.RequestException as err:
            errors.append(type(err).__name__)
            continue
        ms.append((time.perf_counter() - t0) * 1000)
        if status not in (200, 204):
            errors.append(f"HTTP {status}")


def api_call(http: requests.Session, url: str, desk: Desk) -> Callable[[], int]:
    """GET /api/v1/me with the desk's bearer token."""
    sign_in(http, url, desk)
    return lambda: http.get(f"{url}/api/v1/me", headers=desk.headers(), timeout=30).status_code


def dash_call(url: str, desk: Desk) -> Callable[[], int]:
    """The shell's version poll, signed in as the desk's account (its version kept current,
    so most polls answer "nothing moved", as a wall's do)."""
    client = DashClient(url, (desk.username, PASSWORD))
    poll = client.callback(ids.SHELL_VERSION)
    body_of = {"output": poll["output"], "outputs": {"id": ids.SHELL_VERSION,
                                                     "property": "data"},
               "changedPropIds": [f"{ids.SHELL_REFRESH}.n_intervals"]}
    version: list[Any] = [None]

    def call() -> int:
        values = {ids.SHELL_REFRESH: 1, ids.SHELL_VERSION: version[0]}
        body = {**body_of,
                "inputs": [{**i, "value": values.get(i["id"])} for i in poll["inputs"]],
                "state": [{**i, "value": values.get(i["id"])} for i in poll["state"]]}
        r = client.http.post(f"{url}/_dash-update-component", json=body, timeout=30)
        moved = r.json().get("response", {}) if r.status_code == 200 else {}
        if ids.SHELL_VERSION in moved:  # else the same version: an empty answer
            version[0] = moved[ids.SHELL_VERSION]["data"]
        return r.status_code

    return call


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--via", choices=["api", "dash"], default="api")
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
        load_facilities(settings, engine, OUT_DIR / "floor")
    desks = make_desks(engine, args.clients)
    server = Gunicorn(settings, args.workers, args.threads, prefix="vxfloor")
    try:
        calls = [api_call(requests.Session(), server.url, d) if args.via == "api"
                 else dash_call(server.url, d) for d in desks]
        for call in calls:
            call()  # warm
        print(f"{stamp()}  {args.via}: gunicorn {args.workers}x{args.threads}, "
              f"{args.clients} clients, {args.seconds:.0f} s, "
              f"load {os.getloadavg()[0]:.2f}", flush=True)
        ms: list[list[float]] = [[] for _ in desks]
        errors: list[str] = []
        meter = CpuMeter(engine, server.proc.pid)
        deadline = time.monotonic() + args.seconds
        t0 = time.perf_counter()
        threads = [threading.Thread(target=loop, daemon=True, args=(call, deadline, m, errors))
                   for call, m in zip(calls, ms, strict=True)]
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
    per_dose = CALLS_PER_DOSE[args.via]
    title = "GET /api/v1/me" if args.via == "api" else "Dash: the shell's version poll"
    print_table(f"{title}, closed loop", ["figure", "value"], [
        ["calls", n],
        ["calls/s", round(n / elapsed, 1)],
        ["p50 / p95 ms", f"{pct(every, 50):.1f} / {pct(every, 95):.1f}" if n else "-"],
        ["errors", len(errors)],
        ["CPU ms per call: server / database / client", "{:.2f} / {:.2f} / {:.2f}".format(*per)],
        ["doses/s if 2 free cores served only the calls (server + database)",
         round(2000 / (per_dose * stack), 1) if stack else "-"],
        ["... with this client on the same 2 cores",
         round(2000 / (per_dose * (stack + per[2])), 1) if stack else "-"],
        ["calls per dose", per_dose],
        ["target doses/s (issue 11)", TARGET_DOSES_S[args.via]],
    ])


if __name__ == "__main__":
    main()
