"""The command center as an open browser sees it during bench.ops_write: every refresh it fires
the shell's version poll, and when the version moves it fires the progress overview and reads
"doses today" (as bench.freshness does), keeping when each figure was first on screen. Each
recorded dose is then matched to the first figure that counts it."""

from __future__ import annotations

import bisect
import re
import threading
import time

from bench.appserver import DashClient
from callbacks.shared import ids
from callbacks.shared.i18n import t

TODAY_LABEL = t("kpi.today", "en")


class Wall(threading.Thread):
    """Polls like the shell's Interval every `refresh_s`; records (time, doses today)."""

    def __init__(self, client: DashClient, refresh_s: float) -> None:
        super().__init__(daemon=True)
        self.client, self.refresh_s = client, refresh_s
        self.poll = client.callback(ids.SHELL_VERSION)
        self.overview = client.callback(ids.PROGRESS_KPI_TODAY)
        self.version: object = None
        self.seen: list[tuple[float, int]] = []  # (perf_counter when shown, doses today)
        self.polls = self.errors = 0
        self.last_error = ""
        self.stop = threading.Event()
        self.first = threading.Event()

    def run(self) -> None:
        """Tick until stopped; a failed poll is counted and the next tick tries again."""
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                self._tick(n)
            except Exception as exc:  # counted: a wall that cannot refresh shows stale figures
                self.errors += 1
                self.last_error = repr(exc)[:300]
            self.stop.wait(self.refresh_s)

    def _tick(self, n: int) -> None:
        self.polls += 1
        out = self.client.fire(self.poll, {ids.SHELL_REFRESH: n, ids.SHELL_VERSION: self.version})
        if not out and self.seen:  # no update (204, or an empty response): same version
            return
        if out:
            self.version = out[ids.SHELL_VERSION]["data"]
        kpis = self.client.fire(self.overview, {ids.SHELL_VERSION: self.version,
                                                ids.SHELL_LANG: "en"})
        text = kpis[ids.PROGRESS_KPI_TODAY]["children"] if kpis else "0"
        label = kpis[ids.PROGRESS_KPI_TODAY_LABEL]["children"] if kpis else TODAY_LABEL
        # Before the day's first dose the tile shows the last day with doses, labelled so:
        # no dose counted today yet.
        today = int(re.sub(r"\D", "", str(text)) or 0) if label == TODAY_LABEL else 0
        if not self.seen or today != self.seen[-1][1]:
            self.seen.append((time.perf_counter(), today))
        self.first.set()

    def today(self) -> int:
        """The figure on screen now."""
        return self.seen[-1][1] if self.seen else -1

    def wait_for(self, value: int, timeout_s: float) -> bool:
        """Poll until the figure reaches `value` (True) or timeout_s passes."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if self.today() >= value:
                return True
            time.sleep(0.1)
        return self.today() >= value


def delays(done: list[float], seen: list[tuple[float, int]], base: int) -> tuple[
        list[float], int]:
    """Seconds from each dose's answer (perf_counter times `done`) to the first figure on
    screen counting it, and how many no figure ever counted.

    Doses are taken in the order their answers came back: the k-th is counted once the
    figure reaches base + k. The commit order may differ from the answer order by a few
    milliseconds, so a single delay can be off by that much, never the distribution.
    """
    out, missed = [], 0
    values = [v for _, v in seen]
    # The figure only grows during a run (no dose is removed): first index reaching a value.
    running = []
    top = -1
    for v in values:
        top = max(top, v)
        running.append(top)
    for k, at in enumerate(sorted(done), start=1):
        i = bisect.bisect_left(running, base + k)
        if i == len(running):
            missed += 1
        else:
            out.append(max(0.0, seen[i][0] - at))
    return out, missed
