"""Freshness: from the start of a load to the new 'today' number served by the running app.

python -m bench.freshness [--backend sqlite|postgresql] [--repeats 20] [--rows 200]
                          [--database NAME --reuse] [--base-doses 100000]

A poller thread plays the browser against the real app (refresh_ms 500): every tick it fires
the shell's version callback over HTTP, and when the version moves it fires the KPI callback
and reads the 'today' figure, exactly as the page does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import threading
import time
from pathlib import Path

from bench.appserver import DashClient, bench_user, serve_in_thread
from bench.common import (
    OUT_DIR,
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
from callbacks.shared import ids
from etl.pipeline import load_file

REFRESH_MS = 500
WAIT_S = 30.0  # give up on one repeat after this long (reported as a miss)


class Browser(threading.Thread):
    """Polls the version like the Interval does; on a new version re-reads the KPI row."""

    def __init__(self, client: DashClient) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.poll = client.callback(ids.SHELL_VERSION)
        self.overview = client.callback(ids.PROGRESS_KPI_TODAY)
        self.version: int | None = None
        self.today = -1
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.error: Exception | None = None

    def run(self) -> None:
        """Tick until stopped; an HTTP failure ends the run (and the benchmark) at once."""
        try:
            self._ticks()
        except Exception as exc:  # reported by main, which stops rather than wait out WAIT_S
            with self.changed:
                self.error = exc
                self.changed.notify_all()

    def _ticks(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            out = self.client.fire(self.poll, {ids.SHELL_REFRESH: n,
                                               ids.SHELL_VERSION: self.version})
            if out is not None or self.today < 0:
                self.version = out[ids.SHELL_VERSION]["data"] if out else self.version
                kpis = self.client.fire(self.overview, {ids.SHELL_VERSION: self.version,
                                                        ids.SHELL_LANG: "en"})
                text = kpis[ids.PROGRESS_KPI_TODAY]["children"] if kpis else "0"
                with self.changed:
                    self.today = int(re.sub(r"\D", "", text) or 0)
                    self.changed.notify_all()
            self.stop.wait(REFRESH_MS / 1000)

    def wait_above(self, value: int, timeout_s: float) -> bool:
        """Block until the 'today' figure on screen exceeds `value`."""
        with self.changed:
            seen = self.changed.wait_for(lambda: self.today > value or self.error, timeout_s)
        if self.error:
            raise SystemExit(f"the browser stopped: {self.error!r}")
        return bool(seen)


def today_file(rows: int, start: int, workdir: Path) -> Path:
    """A small valid injections file, every dose given a few seconds ago."""
    frame = injections_frame(rows, seed=start % 10_000, start=start)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    frame["administered_at"] = now.isoformat(timespec="seconds")
    return write_csv(frame, workdir / f"today_{start}.csv")


def main() -> None:
    """Serve the app, then load small files and time until the browser shows them."""
    ap = argparse.ArgumentParser(description=__doc__)
    add_backend_arg(ap)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--database", default="bench_fresh")
    ap.add_argument("--reuse", action="store_true", help="use the database as it is")
    ap.add_argument("--base-doses", type=int, default=100_000)
    args = ap.parse_args()
    workdir = OUT_DIR / "freshness"
    settings = named_settings(args.backend, args.database, fresh=not args.reuse)
    settings = settings.with_(refresh_ms=REFRESH_MS, redis_url=None)
    engine = migrated_engine(settings)
    if not args.reuse:
        load_facilities(settings, engine, workdir)
        base = write_csv(injections_frame(args.base_doses), workdir / "base.csv")
        load_file(settings, engine, "injections", base)
    server, url = serve_in_thread(settings)
    browser = Browser(DashClient(url, bench_user(settings)))
    browser.start()
    browser.wait_above(-1, WAIT_S)
    print(f"{stamp()}  {args.backend} db={args.database}, app at {url}, refresh {REFRESH_MS} ms, "
          f"version poll {settings.version_poll_s} s", flush=True)
    seen, loads, misses = [], [], 0
    start_id = 9_000_000_000 + int(time.time()) % 1_000_000 * 1000
    for i in range(args.repeats):
        path = today_file(args.rows, start_id + i * args.rows, workdir)
        before = browser.today
        t0 = time.perf_counter()
        res = load_file(settings, engine, "injections", path)
        loads.append(res.seconds)
        if browser.wait_above(before, WAIT_S):
            seen.append(time.perf_counter() - t0)
        else:
            misses += 1
        path.unlink()
        time.sleep(0.137 * (i % 4))  # spread the load starts over the timer's phase
    browser.stop.set()
    browser.join(5)
    server.shutdown()
    engine.dispose()
    print_table(f"freshness, {args.backend}, {args.repeats} loads of {args.rows} doses, seconds",
                ["step", "p50", "p95", "max"], [
                    ["load_file", pct(loads, 50), pct(loads, 95), max(loads)],
                    ["load start -> number seen", pct(seen, 50), pct(seen, 95), max(seen)],
                ])
    print(f"missed (not seen within {WAIT_S:.0f} s): {misses}")


if __name__ == "__main__":
    main()
