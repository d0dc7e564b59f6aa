"""The simulated users of bench.pages: locust-style sessions with think time, and the stand-in
for ETL loads that bumps the data version while they run."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from sqlalchemy import Engine

from bench.appserver import DashClient
from bench.common import pct
from bench.dash_protocol import post
from callbacks.shared import ids
from data.version import bump_version


class User(threading.Thread):
    """One signed-in session acting like an open command-center page, locust-style.

    Each turn fires one request of the mix (the shell's version poll, the progress overview,
    the progress map Patch, the allocation map Patch) and then waits a uniform think time in
    [wait_min, wait_max] seconds; wait 0 makes it a closed loop (a capacity test).
    """

    def __init__(self, client: DashClient, version: Any, deadline: float,
                 wait: tuple[float, float] = (0.0, 0.0), seed: int = 0) -> None:
        super().__init__(daemon=True)
        self.client, self.deadline, self.wait = client, deadline, wait
        self.rng = random.Random(seed)
        c = client
        self.calls = [
            ("version poll", c.callback(ids.SHELL_VERSION),
             {(ids.SHELL_REFRESH, "n_intervals"): 1, (ids.SHELL_VERSION, "data"): version}),
            ("progress overview", c.callback(ids.PROGRESS_KPI_TODAY),
             {(ids.SHELL_VERSION, "data"): version, (ids.SHELL_LANG, "data"): "vi"}),
            ("progress map (Patch)", c.callback(ids.PROGRESS_MAP),
             {(ids.SHELL_VERSION, "data"): version, (ids.SHELL_LANG, "data"): "vi",
              (ids.PROGRESS_MAP_METRIC, "value"): "pct_dose1",
              (ids.PROGRESS_MAP_BUILT, "data"): True}),
            ("allocation map (Patch)", c.callback(ids.ALLOC_MAP),
             {(ids.SHELL_VERSION, "data"): version, (ids.SHELL_LANG, "data"): "vi",
              (ids.ALLOC_MAP_METRIC, "value"): "on_hand", (ids.ALLOC_DRILL, "data"): None,
              (ids.ALLOC_AS_OF, "date"): None, (ids.ALLOC_MAP_BUILT, "data"): True}),
        ]
        self.ms: dict[str, list[float]] = {name: [] for name, _, _ in self.calls}
        self.at: dict[str, list[float]] = {name: [] for name, _, _ in self.calls}  # starts
        self.errors = 0
        self.statuses: Counter[int] = Counter()  # of the failed requests (0: no answer)

    def run(self) -> None:
        """Fire the mix in turn with think times; stop at the deadline (30 s timeout each)."""
        turn = self.rng.randrange(len(self.calls))  # users do not start in step
        while time.monotonic() < self.deadline:
            name, cb, values = self.calls[turn % len(self.calls)]
            turn += 1
            started = time.monotonic()
            try:
                status, _, secs, _ = post(self.client.http, self.client.base, cb, values)
            except requests.RequestException:
                status, secs = 0, 0.0
            if status in (200, 204):
                self.ms[name].append(secs * 1000)
                self.at[name].append(started)
            else:
                self.errors += 1
                self.statuses[status] += 1
            pause = self.rng.uniform(*self.wait)
            if pause:
                time.sleep(min(pause, max(0.0, self.deadline - time.monotonic())))


class VersionBumper(threading.Thread):
    """Stands in for ETL loads: bumps the data version every `every_s` seconds, so every
    page's next requests miss the per-version caches (what a live campaign does to them)."""

    def __init__(self, engine: Engine, every_s: float, deadline: float) -> None:
        super().__init__(daemon=True)
        self.engine, self.every_s, self.deadline, self.bumps = engine, every_s, deadline, 0

    def run(self) -> None:
        """Bump until the deadline."""
        while time.monotonic() + self.every_s < self.deadline:
            time.sleep(self.every_s)
            with self.engine.begin() as conn:
                bump_version(conn)
            self.bumps += 1


def run_load(url: str, user: tuple[str, str], version: Any, n: int, seconds: float,
             wait: tuple[float, float], engine: Engine, bump_s: float) -> tuple[
                 list[User], int]:
    """n users for `seconds` (version bumped every bump_s seconds if > 0); (users, bumps)."""
    clients = sign_in_many(url, user, n)
    deadline = time.monotonic() + seconds
    users = [User(c, version, deadline, wait, seed=i) for i, c in enumerate(clients)]
    bumper = VersionBumper(engine, bump_s, deadline) if bump_s > 0 else None
    for u in users:
        u.start()
    if bumper:
        bumper.start()
    for u in users:
        u.join(max(0.0, deadline - time.monotonic()) + 35)
    return users, bumper.bumps if bumper else 0


def load_rows(users: list[User]) -> tuple[list[list[object]], list[float], str]:
    """Per-callback rows (calls, p50, p95, max), every latency, and the errors by status."""
    rows = []
    for name, _, _ in users[0].calls:
        ms = [x for u in users for x in u.ms[name]]
        if not ms:  # a short run can end before a user reaches every callback
            rows.append([name, 0, "-", "-", "-"])
            continue
        rows.append([name, len(ms), pct(ms, 50), pct(ms, 95), max(ms)])
    every = [x for u in users for v in u.ms.values() for x in v]
    statuses: Counter[int] = sum((u.statuses for u in users), Counter())
    return rows, every, f"{sum(statuses.values())} {dict(statuses) or ''}".strip()


def sign_in_many(url: str, user: tuple[str, str], n: int) -> list[DashClient]:
    """n independent sessions, signed in through /login (8 at a time)."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: DashClient(url, user), range(n)))
