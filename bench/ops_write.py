"""The write path under load: doses recorded by concurrent desks through the JSON API and
through the Dash forms' callback endpoints, how soon the command center shows them, and a
bare single-row INSERT per dose measured in the same run.

DATABASE_URL=postgresql://... REDIS_URL=redis://... python -m bench.ops_write
    [--doses 10000000] [--database bench_ops] [--max-load-min 30]
    [--mode api|forms|both] [--forms-missing api|skip] [--clients 16] [--seconds 60]
    [--rate 0] [--workers 2] [--threads 16] [--refresh-ms 2000] [--bare-seconds 10]

Give it a database of its own (DATABASE_URL=.../vxbench): PostgreSQL's advisory locks, which
loads and doses share for the rollups, are per database, so a file loaded in any other schema of
a shared database stalls the doses.

Setup (kept in the schema for the next run): the history of --doses doses loaded through
load_file in 1M-row files (a schema already holding them is reused, a smaller one grown);
each run adds one facility-staff account per client at a facility of its own, signs it in
for a bearer token (POST /api/v1/auth/token) and opens today's session (POST /api/v1/sessions,
5,000 places, a new one when full, outside the timed steps). A desk's facility that holds no
bench lot gets a warehouse and a receipt of it through load_file (the injection page gives
doses only from a lot the facility holds).

The app (create_app, Redis cache with prefix "vxops") runs under gunicorn, --workers gthread
workers x --threads. Each client is one desk taking walk-in after walk-in (closed loop, or
--rate doses/s in total): check-in (a new person, so the walk-in is registered), screening
(every item No, normal vitals), injection (a first dose, given now). In "api" mode each step
is one POST to /api/v1 and a dose counts when its injection answers 201 "loaded". In "forms"
mode the desk works the pages through their callbacks (bench.ops_forms: the check-in page's
search and walk-in form, the screening page's queue, checklist, live outcome and save, the
injection page's list, form and submit), signed in as the desk's account, and a dose counts
when the injection page answers it given. Every request's round trip is timed.

The command center: a signed-in national user's browser polls the shell's data version every
--refresh-ms (the app's refresh timer by default) and re-reads the progress overview when it
moves; each dose's delay is from its injection's answer to the first "doses today" figure that
counts it. After the clients stop it keeps polling up to --drain-s for the last doses.

Baseline: --clients connections inserting one dose row per transaction into a plain table
with a primary key, for --bare-seconds, just before each mode's run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import requests
from sqlalchemy import Engine, text

from bench.appserver import DashClient, bench_user
from bench.common import migrated_engine, named_settings, pct, print_table, stamp
from bench.ops_cpu import CpuMeter
from bench.ops_desks import (
    PASSWORD,
    Desk,
    add_history_args,
    ensure_history,
    make_desks,
    open_session,
    reserve_people,
    sign_in,
    stock_desks,
)
from bench.ops_drive import FORM_FLOW, FORM_STEPS, DeskClient, Tally, bare_inserts
from bench.ops_watch import Wall, delays
from bench.pages import Gunicorn
from data.settings import Settings, load_settings

TARGETS = {"api": (200.0, 100.0), "forms": (50.0, 200.0)}  # doses/s, request p95 ms
FRESH_P95_S = 5.0
WINDOW_S = 10.0  # "sustained": the slowest whole window of this length


def settings_for(database: str) -> Settings:
    """Settings on the PostgreSQL schema `database` (created when missing, never emptied)."""
    base = load_settings()
    assert base.database_url.startswith("postgresql"), "set DATABASE_URL to a PostgreSQL URL"
    assert base.redis_url, "set REDIS_URL: the command center reads through the Redis cache"
    from data.db import make_engine

    engine = make_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {database}"))
    engine.dispose()
    return named_settings("postgresql", database, fresh=False)


def run_mode(mode: str, args: argparse.Namespace, url: str, desks: list[Desk],
             wall: Wall, engine: Engine, server_pid: int) -> dict[str, object]:
    """Bare inserts, then the desks for args.seconds, then the drain; the measurements."""
    bare_rows, bare_ms = bare_inserts(args.settings.database_url, args.clients,
                                      args.bare_seconds)
    today = dt.datetime.now(ZoneInfo(args.settings.timezone)).date()
    per_client = int((args.seconds + 60) * 400)  # more people than a desk can take
    first = reserve_people(engine, per_client * len(desks))
    dash = {}
    if mode == "forms":
        with ThreadPoolExecutor(8) as pool:
            dash = dict(zip([d.username for d in desks], pool.map(
                lambda d: DashClient(url, (d.username, PASSWORD)), desks), strict=True))
    base = wall.today()
    load0 = os.getloadavg()[0]
    deadline = time.monotonic() + args.seconds
    interval = len(desks) / args.rate if args.rate else 0.0
    clients = [DeskClient(d, url, mode, args.forms_missing,
                          range(first + i * per_client, first + (i + 1) * per_client),
                          deadline, interval, today, dash.get(d.username))
               for i, d in enumerate(desks)]
    meter = CpuMeter(engine, server_pid)
    t0 = time.perf_counter()
    for c in clients:
        c.start()
    for c in clients:
        c.join(max(0.0, deadline - time.monotonic()) + 60)
    elapsed = time.perf_counter() - t0
    cpu = meter.stop()
    load1 = os.getloadavg()[0]
    tallies = [c.tally for c in clients]
    answered = [x for tl in tallies for x in tl.doses]
    wall.wait_for(base + len(answered), args.drain_s)
    fresh, missed = delays(answered, list(wall.seen), base)
    if os.environ.get("VX_BENCH_TRACE"):  # when the wall's figure moved, from the run's start
        print("  wall:", [(round(at - t0, 1), v) for at, v in wall.seen if at >= t0 - 5])
        print("  doses answered at:", [round(x - t0, 1) for x in sorted(answered)][::10])
    return {"mode": mode, "tallies": tallies, "elapsed": elapsed, "t0": t0,
            "answered": answered, "fresh": fresh, "missed": missed, "bare": (bare_rows, bare_ms),
            "load": (load0, load1), "cpu": cpu}


def slowest_window(times: list[float], t0: float, elapsed: float) -> float:
    """Doses/s of the slowest whole WINDOW_S window of the run."""
    windows = int(elapsed // WINDOW_S)
    if windows == 0:
        return len(times) / elapsed if elapsed else 0.0
    counts = [0] * windows
    for x in times:
        i = int((x - t0) // WINDOW_S)
        if 0 <= i < windows:
            counts[i] += 1
    return min(counts) / WINDOW_S


def report(r: dict[str, object], args: argparse.Namespace) -> None:
    """The tables of one mode's run."""
    mode = str(r["mode"])
    tallies: list[Tally] = r["tallies"]  # type: ignore[assignment]
    elapsed: float = r["elapsed"]  # type: ignore[assignment]
    answered: list[float] = r["answered"]  # type: ignore[assignment]
    bare_rows, bare_ms = r["bare"]  # type: ignore[misc]
    fresh: list[float] = r["fresh"]  # type: ignore[assignment]
    steps: dict[str, list[float]] = {}
    for tl in tallies:
        for k, v in tl.ms.items():
            steps.setdefault(k, []).extend(v)
    every = [x for v in steps.values() for x in v]
    flows = [(b - a) * 1000 for tl in tallies for a, b in tl.flows]
    errors: Counter[str] = sum((tl.errors for tl in tallies), Counter())
    samples = {k: v for tl in tallies for k, v in tl.samples.items()}
    n_flows = len(flows)
    rate = len(answered) / elapsed if elapsed else 0.0
    bare_rate = bare_rows / args.bare_seconds
    target_rate, target_p95 = TARGETS[mode]
    rows: list[list[object]] = [[name, len(v), pct(v, 50), pct(v, 95), max(v)]
                                for name, v in sorted(steps.items())]
    if every:
        rows.append(["every request", len(every), pct(every, 50), pct(every, 95), max(every)])
    if flows:
        rows.append(["whole dose (all steps)", n_flows, pct(flows, 50), pct(flows, 95),
                     max(flows)])
    rows.append(["bare INSERT (baseline)", bare_rows, pct(bare_ms, 50), pct(bare_ms, 95),
                 max(bare_ms)])
    print_table(f"{mode}: request round trips, ms", ["step (transport)", "requests", "p50",
                                                     "p95", "max"], rows)
    p95 = pct(every, 95) if every else float("nan")
    sustained = slowest_window(answered, r["t0"], elapsed)  # type: ignore[arg-type]
    flow_rate = n_flows / elapsed if elapsed else 0.0
    summary: list[list[object]] = [
        ["doses recorded", len(answered), "", ""],
        ["flows completed (every step passed)", n_flows, "", ""],
        ["doses/s (whole run)", round(rate, 1), f">= {target_rate:.0f}",
         "yes" if rate >= target_rate else "no"],
        [f"doses/s (slowest {WINDOW_S:.0f}-s window)", round(sustained, 1),
         f">= {target_rate:.0f}", "yes" if sustained >= target_rate else "no"],
        ["flows/s", round(flow_rate, 1), "", ""],
        ["request p95, ms", round(p95, 1), f"<= {target_p95:.0f}",
         "yes" if p95 <= target_p95 else "no"],
        ["errors", sum(errors.values()), "0", "yes" if not errors else "no"],
        ["bare INSERT rows/s (same clients)", round(bare_rate, 1), "", ""],
        ["doses/s ÷ bare INSERT rows/s", f"{rate / bare_rate:.3f}" if bare_rate else "-", "",
         ""],
        ["flows/s ÷ bare INSERT rows/s", f"{flow_rate / bare_rate:.3f}" if bare_rate else "-",
         "", ""],
        ["whole dose p50 ÷ bare INSERT p50",
         f"{pct(flows, 50) / pct(bare_ms, 50):.0f}x" if flows and bare_ms else "-", "", ""],
    ]
    if answered:
        f95 = pct(fresh, 95) if fresh else float("inf")
        summary += [
            ["command center: dose -> seen p50, s", round(pct(fresh, 50), 2) if fresh else "-",
             "", ""],
            ["command center: dose -> seen p95, s", round(f95, 2), f"<= {FRESH_P95_S:.0f}",
             "yes" if f95 <= FRESH_P95_S and not r["missed"] else "no"],
            ["command center: dose -> seen max, s", round(max(fresh), 2) if fresh else "-",
             "", ""],
            [f"command center: not seen within {args.drain_s:.0f} s of the end", r["missed"],
             "0", ""],
        ]
    server_s, db_s, client_s = r["cpu"]  # type: ignore[misc]
    unit, count = ("dose", len(answered)) if answered else ("flow", n_flows)
    if count:
        per = [1000 * x / count for x in (server_s, db_s, client_s)]
        summary += [
            [f"CPU ms per {unit}: app server / database / clients",
             f"{per[0]:.1f} / {per[1]:.1f} / {per[2]:.1f}", "", ""],
            [f"CPU bound: {unit}s/s 2 idle cores could give server + database",
             round(2000 / (per[0] + per[1]), 1) if per[0] + per[1] else "-",
             f">= {target_rate:.0f}", ""],
        ]
    load0, load1 = r["load"]  # type: ignore[misc]
    summary.append(["load average (1 min) before / after", f"{load0:.2f} / {load1:.2f}", "",
                    ""])
    print_table(f"{mode}: {len(tallies)} desks, {elapsed:.0f} s", ["figure", "value", "target",
                                                                     "met?"], summary)
    missing = [s for s in FORM_FLOW if s not in FORM_STEPS]
    if mode == "forms" and missing:  # the figures are then not all through the forms
        other = "the API" if args.forms_missing == "api" else "nothing (left out)"
        through = ", ".join(f"{s} via {'Dash' if s in FORM_STEPS else other}"
                            for s in FORM_FLOW)
        print(f"forms mode is PARTIAL: {through}")
    for key, n in errors.most_common():
        print(f"  error {key}: {n}, e.g. {samples.get(key, '')[:200]}")


def main() -> None:
    """Set up, serve, run the modes, print the tables."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    add_history_args(ap, max_load_min=30.0)
    ap.add_argument("--mode", choices=["api", "forms", "both"], default="both")
    ap.add_argument("--forms-missing", choices=["api", "skip"], default="api",
                    help="a step without a form adapter (none today): through the API, or "
                         "left out")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rate", type=float, default=0.0, help="doses/s in total; 0: closed loop")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--refresh-ms", type=int, default=None,
                    help="the command center's poll; default: the app's refresh_ms")
    ap.add_argument("--bare-seconds", type=float, default=10.0)
    ap.add_argument("--drain-s", type=float, default=15.0)
    args = ap.parse_args()
    settings = settings_for(args.database)
    args.settings = settings
    engine = migrated_engine(settings)
    have = ensure_history(settings, engine, args.doses, args.max_load_min)
    refresh_ms = args.refresh_ms or settings.refresh_ms
    desks = make_desks(engine, args.clients)
    if args.mode != "api":
        print(f"{stamp()}  stocked {stock_desks(settings, engine, desks)} desks' facilities "
              f"with the bench lot", flush=True)
    server = Gunicorn(settings, args.workers, args.threads, prefix="vxops")
    try:
        http = requests.Session()
        today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
        for d in desks:
            sign_in(http, server.url, d)
            open_session(http, server.url, d, today)
        wall = Wall(DashClient(server.url, bench_user(settings)), refresh_ms / 1000)
        wall.start()
        if not wall.first.wait(60):
            raise SystemExit("the command center did not answer")
        print(f"{stamp()}  db={args.database} ({have:,} doses loaded), gunicorn "
              f"{args.workers}x{args.threads} at {server.url}, {args.clients} desks, "
              f"{args.seconds:.0f} s per mode, "
              f"{'closed loop' if not args.rate else f'{args.rate:g} doses/s'}, "
              f"command center poll {refresh_ms} ms, nice {os.nice(0)}", flush=True)
        modes = ["api", "forms"] if args.mode == "both" else [args.mode]
        for mode in modes:
            print(f"\n{stamp()}  {mode} run ...", flush=True)
            report(run_mode(mode, args, server.url, desks, wall, engine, server.proc.pid), args)
        wall.stop.set()
        print(f"\ncommand center: {wall.polls} polls, {wall.errors} failed "
              f"{wall.last_error}".rstrip())
    finally:
        server.stop()
        engine.dispose()


if __name__ == "__main__":
    main()
