"""Pages and callbacks under load: first render, concurrent callback latency, map patch size.

python -m bench.pages [--users 100] [--seconds 60] [--runs 20] [--database bench_reads]
                      [--workers 2] [--threads 16] [--wait-min 1 --wait-max 5]
                      [--bump-every 10] [--capacity-users 8]

The real app (app.create_app, Redis cache) runs under gunicorn on a loopback port, 2 gthread
workers sharing one SECRET_KEY, against the 10M-dose database built by bench.reads. The clients
sign in through /login like a browser (the sign-in rate limit is raised for this process only,
see wsgi()).

(1) first render of every command-center page, warm: GET page, /_dash-layout and
    /_dash-dependencies, then every initial callback in the order dash-renderer fires them
    (the pages router first, then callbacks whose inputs no pending callback still writes).
(2) N users, each its own signed-in session, act like open pages, locust-style: each turn
    fires one of the shell's version poll, the progress overview, the progress map (Patch: map
    already built) and the allocation map (Patch), then thinks 1-5 s; meanwhile the data
    version is bumped every 10 s as loads would, so per-version caches are rebuilt under load.
    Round-trip latency per callback; then a closed loop (no think time) for the capacity.
(3) response bytes of the map Patch and of the first full map figure.
(4) the KPI callback against the same figure computed by GROUP BY over the facts (bench.groupby).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
import yaml
from flask import Flask

from bench import groupby
from bench.appserver import DashClient, bench_user, free_port
from bench.common import OUT_DIR, migrated_engine, named_settings, pct, print_table, stamp
from bench.dash_protocol import is_server_plain, outputs_of, post, walk
from bench.pages_load import User, load_rows, run_load
from callbacks.shared import ids
from data.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
START_S = 90.0  # a server that does not answer by then is reported as failed
PAGES = ("/", "/allocation", "/aefi", "/facilities", "/reports")
MAX_ROUNDS = 20  # initial-callback rounds per page (the renderer's chain is 3-4 deep)
TARGET_RENDER_MS, TARGET_P95_MS, TARGET_PATCH_KB = 300.0, 50.0, 20.0


def wsgi() -> Flask:
    """Gunicorn factory: create_app() with the sign-in limit raised so N sessions can sign in."""
    from app import create_app

    server = create_app().server
    server.config["VX_LOGIN_RATE_LIMIT"] = "100000 per minute"
    return server


class Gunicorn:
    """Gunicorn serving wsgi() on a free loopback port; stopped by its own pid."""

    def __init__(self, settings: Settings, workers: int, threads: int,
                 prefix: str = "vxpages", env: dict[str, str] | None = None) -> None:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        raw = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
        raw.setdefault("cache", {})["key_prefix"] = prefix  # apart from other users of Redis
        config = OUT_DIR / f"{prefix}_config.yaml"
        config.write_text(yaml.safe_dump(raw), encoding="utf-8")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": settings.database_url,
               "REDIS_URL": settings.redis_url or "", "VX_CONFIG": str(config),
               "SECRET_KEY": secrets.token_hex(32), **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread",
             "--threads", str(threads), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             # As behind a load balancer: with gunicorn's default 2 s, a keep-alive connection
             # idle through a user's think time can close just as the next POST goes out.
             "--keep-alive", "75",
             "--timeout", "120", "bench.pages:wsgi()"], cwd=ROOT, env=env)
        deadline = time.monotonic() + START_S
        while True:
            try:
                requests.get(f"{self.url}/login", timeout=10)
                return
            except requests.RequestException:  # not listening yet, or workers still booting
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)

    def stop(self) -> None:
        """SIGTERM the master (it stops its workers), SIGKILL after 15 s."""
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def first_render(client: DashClient, path: str) -> dict[str, Any]:
    """One warm first render of `path`: page, layout, dependencies, initial callbacks."""
    http, base = client.http, client.base
    t0 = time.perf_counter()
    nbytes = len(client.get(path).content)
    layout = client.get("/_dash-layout")
    deps = client.get("/_dash-dependencies").json()
    nbytes += len(layout.content)
    values: dict[tuple[str, str], Any] = {("", "path"): path, ("", "href"): base + path}
    present: set[str] = set()
    walk(layout.json(), values, present)
    plain = [cb for cb in deps if is_server_plain(cb)]
    fired: set[int] = set()
    names: list[str] = []
    timings: dict[str, float] = {}
    calls, errors, skipped = 0, 0, len(deps) - len(plain)
    for _ in range(MAX_ROUNDS):
        # prevent_initial_call does not hold back a callback on a dcc.Location: the
        # component sets its address on mount, a change (the pages router is one).
        pending = [i for i, cb in enumerate(plain) if i not in fired
                   and (not cb.get("prevent_initial_call") or any(
                       (x["id"], "href") in values for x in cb["inputs"]))
                   and all(i_["id"] in present for i_ in cb["inputs"])
                   and all(c in present for c, _ in outputs_of(cb))]
        written = {o for i in pending for o in outputs_of(plain[i])}
        ready = [i for i in pending
                 if not any((x["id"], x["property"]) in written for x in plain[i]["inputs"])]
        if not ready:
            ready = pending[:1]  # a cycle: the renderer would still fire one
        if not ready:
            break
        for i in ready:
            fired.add(i)
            names.append(outputs_of(plain[i])[0][0])
            try:
                status, size, secs, data = post(http, base, plain[i], values)
                timings[names[-1]] = secs * 1000
            except requests.Timeout:  # counted as an error, named in the output
                status, size, data = 0, 0, {}
                names[-1] += " (TIMEOUT)"
            calls, nbytes = calls + 1, nbytes + size
            errors += status not in (200, 204)
            for cid, props in data.items():
                for prop, value in props.items():
                    values[(cid, prop)] = value
                    if isinstance(value, (dict, list)):
                        walk(value, values, present)
    return {"ms": (time.perf_counter() - t0) * 1000, "calls": calls, "errors": errors,
            "kb": nbytes / 1024, "skipped": skipped,
            "names": names, "timings": timings}


def map_sizes(client: DashClient, version: Any) -> list[list[object]]:
    """Response KB of the first full figure and of the Patch, for both maps."""
    rows = []
    specs = [("progress map", ids.PROGRESS_MAP, ids.PROGRESS_MAP_BUILT,
              {(ids.PROGRESS_MAP_METRIC, "value"): "pct_dose1"}),
             ("allocation map", ids.ALLOC_MAP, ids.ALLOC_MAP_BUILT,
              {(ids.ALLOC_MAP_METRIC, "value"): "on_hand", (ids.ALLOC_DRILL, "data"): None,
               (ids.ALLOC_AS_OF, "date"): None})]
    for name, out, built_id, extra in specs:
        cb = client.callback(out)
        sizes = []
        for built in (None, True):
            values = {(ids.SHELL_VERSION, "data"): version, (ids.SHELL_LANG, "data"): "vi",
                      (built_id, "data"): built, **extra}
            status, size, _, data = post(client.http, client.base, cb, values)
            assert status == 200, (name, status)
            sizes.append(size / 1024)
        rows.append([name, round(sizes[0], 1), round(sizes[1], 2), round(sizes[0] / sizes[1])])
    return rows


def main() -> None:
    """Serve the app under gunicorn, then measure renders, load, sizes and the GROUP BY ratio."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--users", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--runs", type=int, default=20, help="first renders per page")
    ap.add_argument("--database", default="bench_reads", help="PostgreSQL schema (bench.reads)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--wait-min", type=float, default=1.0, help="think time, s (locust-style)")
    ap.add_argument("--wait-max", type=float, default=5.0)
    ap.add_argument("--bump-every", type=float, default=10.0,
                    help="bump the data version every S s during the load (0: never)")
    ap.add_argument("--capacity-users", type=int, default=8,
                    help="then this many users in a closed loop for 10 s (0: skip)")
    args = ap.parse_args()
    settings = named_settings("postgresql", args.database, fresh=False)
    assert settings.redis_url, "set REDIS_URL (the app's shared cache)"
    engine = migrated_engine(settings)
    user = bench_user(settings)
    server = Gunicorn(settings, args.workers, args.threads)
    try:
        print(f"{stamp()}  db={args.database}, gunicorn {args.workers} workers x "
              f"{args.threads} threads at {server.url}", flush=True)
        probe = DashClient(server.url, user)
        out = probe.fire(probe.callback(ids.SHELL_VERSION),
                         {ids.SHELL_REFRESH: 1, ids.SHELL_VERSION: None})
        version = out[ids.SHELL_VERSION]["data"] if out else None

        renders = []
        for path in PAGES:
            for _ in range(3):  # warm both workers and the cache
                first_render(probe, path)
            runs = [first_render(probe, path) for _ in range(args.runs)]
            print(f"{path}: {runs[0]['calls']} initial callbacks (first output of each): "
                  f"{', '.join(runs[0]['names'])}; {runs[0]['skipped']} clientside or "
                  "pattern-matching callbacks not fired", flush=True)
            ms = [r["ms"] for r in runs]
            slow = {n: pct([r["timings"].get(n, 0.0) for r in runs], 50)
                    for n in runs[0]["timings"]}
            top = sorted(slow.items(), key=lambda kv: -kv[1])[:4]
            print(f"{path}: slowest initial callbacks, p50 ms: "
                  + ", ".join(f"{n} {v:.0f}" for n, v in top), flush=True)
            renders.append([path, runs[0]["calls"], sum(r["errors"] for r in runs),
                            round(runs[0]["kb"]), pct(ms, 50), pct(ms, 95), max(ms)])
        print_table(f"(1) first render, warm, {args.runs} runs per page, ms (sequential requests)",
                    ["page", "callbacks", "errors", "KB", "p50", "p95", "max"], renders)

        sizes = map_sizes(probe, version)
        print_table("(3) map responses, KB", ["map", "full figure", "Patch", "full / Patch"],
                    sizes)

        single = User(probe, version, time.monotonic() + 5)
        single.run()  # one user alone, closed loop, for comparison
        print_table("(2a) one user alone, closed loop, 5 s, ms", ["callback", "calls", "p50",
                    "p95", "max"], load_rows([single])[0])

        wait = (args.wait_min, args.wait_max)
        users, bumps = run_load(server.url, user, version, args.users, args.seconds, wait,
                                engine, args.bump_every)
        load, every, errors = load_rows(users)
        print_table(f"(2b) callback latency, ms: {args.users} users, think time "
                    f"{wait[0]:g}-{wait[1]:g} s, {args.seconds:.0f} s, data version bumped "
                    f"{bumps} times", ["callback", "calls", "p50", "p95", "max"], load)
        print(f"all requests under load: {len(every)} calls, {len(every) / args.seconds:.0f}/s, "
              f"p50 {pct(every, 50):.1f} ms, p95 {pct(every, 95):.1f} ms, errors {errors}")
        if args.capacity_users:
            cap_users, _ = run_load(server.url, user, version, args.capacity_users, 10.0,
                                    (0.0, 0.0), engine, 0.0)
            cap_rows, cap_all, cap_err = load_rows(cap_users)
            print_table(f"(2c) capacity: {args.capacity_users} users in a closed loop (no think "
                        "time), 10 s, ms", ["callback", "calls", "p50", "p95", "max"], cap_rows)
            print(f"closed loop: {len(cap_all) / 10:.0f} requests/s, p95 "
                  f"{pct(cap_all, 95):.1f} ms, errors {cap_err}")
    finally:
        server.stop()

    today = dt.date.today()
    gb = []
    for _ in range(3):
        t1 = time.perf_counter()
        groupby.national_kpis(engine, today)
        gb.append((time.perf_counter() - t1) * 1000)
    engine.dispose()
    kpi_one = single.ms["progress overview"]
    kpi_load = [x for u in users for x in u.ms["progress overview"]]
    print_table("(4) KPI figure: the overview callback vs GROUP BY over fct_injection, ms",
                ["way", "p50", "p95", "GROUP BY p50 / p50"], [
                    ["GROUP BY (bench.groupby.national_kpis)", pct(gb, 50), pct(gb, 95), 1.0],
                    ["overview callback, 1 user", pct(kpi_one, 50), pct(kpi_one, 95),
                     round(pct(gb, 50) / pct(kpi_one, 50))],
                    [f"overview callback, {args.users} users", pct(kpi_load, 50),
                     pct(kpi_load, 95), round(pct(gb, 50) / pct(kpi_load, 50))]])
    worst_render = max(float(r[5]) for r in renders)
    print(json.dumps({"first_render_p95_max_ms": round(worst_render, 1),
                      "load_p95_ms": round(pct(every, 95), 1),
                      "patch_kb_max": max(float(s[2]) for s in sizes)}))


if __name__ == "__main__":
    main()
