"""Worker memory: RSS of an app worker on the big database vs on a small one.

python -m bench.memory [--backend sqlite|postgresql] [--big bench_reads] [--rounds 300]
                       [--small-doses 100000]

Each worker is a separate process (python -m bench.appserver) serving create_app() on a
loopback port; a round is what one page visit does: the page, its layout and every callback.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests
from sqlalchemy import text

from bench.appserver import DashClient, bench_user, free_port
from bench.common import (
    OUT_DIR,
    add_backend_arg,
    injections_frame,
    load_facilities,
    migrated_engine,
    named_settings,
    print_table,
    write_csv,
)
from callbacks.shared import ids
from data.settings import Settings
from etl.pipeline import load_file

ROOT = Path(__file__).resolve().parent.parent
START_S = 90.0  # a worker that does not answer by then is reported as failed


def doses(settings: Settings) -> int:
    """Doses in the database."""
    engine = migrated_engine(settings)
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT COUNT(*) FROM fct_injection")).scalar_one())
    engine.dispose()
    return n


def small_database(backend: str, n: int) -> Settings:
    """A fresh database with `n` doses."""
    settings = named_settings(backend, "bench_small", fresh=True)
    engine = migrated_engine(settings)
    workdir = OUT_DIR / "memory"
    load_facilities(settings, engine, workdir)
    load_file(settings, engine, "injections", write_csv(injections_frame(n), workdir / "s.csv"))
    engine.dispose()
    return settings


def visit(client: DashClient, n: int, version: object) -> object:
    """One page visit: the page, its layout and its callbacks (map built, then patched)."""
    client.get("/")
    client.get("/_dash-layout")
    out = client.fire(client.callback(ids.SHELL_VERSION), {ids.SHELL_REFRESH: n,
                                                           ids.SHELL_VERSION: None})
    version = out[ids.SHELL_VERSION]["data"] if out else version
    client.fire(client.callback(ids.PROGRESS_KPI_TODAY), {ids.SHELL_VERSION: version,
                                                          ids.SHELL_LANG: "vi"})
    map_cb = client.callback(ids.PROGRESS_MAP)
    for built in (False, True):
        client.fire(map_cb, {ids.SHELL_VERSION: version, ids.SHELL_LANG: "vi",
                             ids.PROGRESS_MAP_METRIC: "pct_dose1", ids.PROGRESS_MAP_BUILT: built})
    client.fire(client.callback(ids.PROGRESS_MAP_METRIC), {ids.SHELL_LANG: "en"})
    return version


def measure(settings: Settings, rounds: int) -> list[float]:
    """RSS in MB of one worker: started, after one visit, after all, peak; the time taken."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.appserver", settings.database_url,
                             str(port)], cwd=ROOT)
    try:
        ps = psutil.Process(proc.pid)
        deadline = time.monotonic() + START_S
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("worker did not start") from None
                time.sleep(0.3)
        rss = [ps.memory_info().rss / 2**20]
        client = DashClient(f"http://127.0.0.1:{port}", bench_user(settings))
        version = visit(client, 1, None)
        rss.append(ps.memory_info().rss / 2**20)
        peak, t0 = rss[-1], time.perf_counter()
        for n in range(2, rounds + 1):
            version = visit(client, n, version)
            peak = max(peak, ps.memory_info().rss / 2**20)
        rss += [ps.memory_info().rss / 2**20, peak, time.perf_counter() - t0]
        return rss
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    """Measure a worker on the big database and on a small one; print RSS and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__)
    add_backend_arg(ap, default="postgresql")
    ap.add_argument("--big", default="bench_reads", help="database built by bench.reads")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--small-doses", type=int, default=100_000)
    args = ap.parse_args()
    big = named_settings(args.backend, args.big, fresh=False)
    small = small_database(args.backend, args.small_doses)
    rows = []
    for label, settings in (("small", small), ("big", big)):
        n = doses(settings)
        start, first, after, peak, secs = measure(settings, args.rounds)
        rows.append([label, n, round(start), round(first), round(after), round(peak),
                     round(secs, 1)])
    ratio = rows[1][4] / rows[0][4]
    print_table(f"memory, {args.backend}, {args.rounds} page visits per worker, RSS in MB",
                ["database", "doses", "started", "after 1 visit", f"after {args.rounds}",
                 "peak", "visits s"], rows)
    print(f"RSS after all visits, big / small: {ratio:.2f}")


if __name__ == "__main__":
    main()
