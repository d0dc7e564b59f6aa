"""The public figures under load: the cached JSON (GET /api/v1/public/figures) and the figures
page's data callback (POST /portal/_dash-update-component), beside a static file served by the
same server in the same run (the floor of this machine's HTTP stack).

DATABASE_URL=... REDIS_URL=... python -m bench.portal_figures
    [--clients 32] [--seconds 20] [--workers 2] [--threads 16]

The database must hold a campaign (python -m etl demo). Gunicorn serves create_app (gthread
workers, Redis cache) as in bench.pages; clients are python-requests sessions in a closed loop,
each an anonymous visitor that opened /portal/ for its CSRF cookie. The callback is fired as a
page's first read (no version seen yet), so it answers the whole page each time: the kept
rendering of this data version, not a re-read of the database; and as an open page's timer
tick when nothing was loaded since (204, nothing resent). Prints requests/s, p50 and p95
and each target's rate as a share of the static file's. Target (issue): 1000 req/s, p95 <= 50 ms
on PostgreSQL + Redis + gunicorn.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable

import requests

from bench.common import pct, print_table
from bench.pages import Gunicorn
from callbacks.shared import ids
from callbacks.shared.ids_portal import (
    FIG_AEFI,
    FIG_CSV,
    FIG_KPIS,
    FIG_PROVINCES,
    FIG_SORT,
    FIG_STAMP,
    FIG_SUPPLY,
    FIG_VERSION,
    PORTAL_REFRESH,
)
from callbacks.shared.portal_paths import PORTAL_PREFIX, PUBLIC_FIGURES_JSON
from data.settings import load_settings

STATIC = "/assets/portal.css"
OUTPUTS = [(FIG_KPIS, "children"), (FIG_PROVINCES, "children"), (FIG_SUPPLY, "children"),
           (FIG_AEFI, "children"), (FIG_STAMP, "children"), (FIG_SORT, "options"),
           (FIG_CSV, "href"), (FIG_VERSION, "data")]
CALL = {
    "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
    "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
    "inputs": [{"id": PORTAL_REFRESH, "property": "n_intervals", "value": None},
               {"id": ids.SHELL_LANG, "property": "data", "value": "vi"},
               {"id": FIG_SORT, "property": "value", "value": "coverage"}],
    "state": [{"id": FIG_VERSION, "property": "data", "value": None}],
    "changedPropIds": [f"{ids.SHELL_LANG}.data"],
}


def visitor(base: str) -> requests.Session:
    """An anonymous visitor who opened the portal: its CSRF cookie is sent back as a header."""
    http = requests.Session()
    http.get(base + PORTAL_PREFIX, timeout=30).raise_for_status()
    http.headers["X-CSRFToken"] = http.cookies.get("_csrf_token") or ""
    return http


def run(call: Callable[[requests.Session], int], sessions: list[requests.Session],
        seconds: float) -> tuple[float, list[float], list[str]]:
    """Every session in its own thread calling in a closed loop: (req/s, ms, errors)."""
    ms: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def loop(http: requests.Session) -> None:
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                status = call(http)
            except requests.RequestException as err:
                errors.append(type(err).__name__)
                continue
            ms.append((time.perf_counter() - t0) * 1000)
            if status not in (200, 204):
                errors.append(f"HTTP {status}")

    threads = [threading.Thread(target=loop, args=(s,)) for s in sessions]
    start = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return len(ms) / (time.monotonic() - start), ms, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    settings = load_settings()  # DATABASE_URL and REDIS_URL from the environment
    server = Gunicorn(settings, args.workers, args.threads, prefix="vxportalfig")
    try:
        base = server.url
        sessions = [visitor(base) for _ in range(args.clients)]
        targets: dict[str, Callable[[requests.Session], int]] = {
            "static file": lambda h: h.get(base + STATIC, timeout=30).status_code,
            "figures JSON": lambda h: h.get(base + PUBLIC_FIGURES_JSON, timeout=30).status_code,
            "page callback": lambda h: h.post(base + PORTAL_PREFIX + "_dash-update-component",
                                              json=CALL, timeout=30).status_code,
        }
        first = sessions[0].post(base + PORTAL_PREFIX + "_dash-update-component", json=CALL,
                                 timeout=30).json()
        # An open page's timer tick with nothing loaded since: 204, no figures resent.
        tick = CALL | {"state": [{"id": FIG_VERSION, "property": "data",
                                  "value": first["response"][FIG_VERSION]["data"]}],
                       "changedPropIds": [f"{PORTAL_REFRESH}.n_intervals"]}
        targets["page tick (no change)"] = lambda h: h.post(
            base + PORTAL_PREFIX + "_dash-update-component", json=tick, timeout=30).status_code
        for call in targets.values():  # warm: the kept figures and renderings of this version
            call(sessions[0])
        rows, floor = [], 0.0
        for name, call in targets.items():
            rate, ms, errors = run(call, sessions, args.seconds)
            floor = floor or rate
            rows.append([name, f"{rate:,.0f}", f"{pct(ms, 50):.1f}", f"{pct(ms, 95):.1f}",
                         f"{rate / floor:.2f}", len(errors)])
        print_table(f"Public figures, {args.clients} clients x {args.seconds:.0f} s, "
                    f"{args.workers} workers x {args.threads} threads",
                    ["target", "req/s", "p50 ms", "p95 ms", "x static", "errors"], rows)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
