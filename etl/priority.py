"""Loads run at a lower CPU priority than the dashboards they feed.

A 1M-row file keeps one core busy in Python for 10-30 s (parse, validate, transform) and the
database busy on another. On a small server the command center's workers then wait for CPU:
bench.pages_ingest measured the callback p95 with and without it (BENCHMARKS.md section 6).
The load does not need to finish first; people looking at the wall screen do.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
AUTOGROUP = Path("/proc/self/autogroup")


def lower_priority(nice: int) -> int:
    """Raise this process's nice value to at least `nice`; the nice value now in force.

    Linux groups a session's processes (an "autogroup") and shares the CPU fairly between
    groups whatever the processes' own nice values, so a loader started by cron or `setsid`,
    the leader of its own session, also lowers its group; a loader inside someone's shell
    session leaves the shell's group alone. Under systemd the unit's `CPUWeight=` does this.
    """
    if nice <= 0 or not hasattr(os, "nice"):
        return os.nice(0) if hasattr(os, "nice") else 0
    current = os.nice(0)
    if current < nice:
        current = os.nice(nice - current)
    if os.getsid(0) == os.getpid() and AUTOGROUP.exists():
        try:
            AUTOGROUP.write_text(str(nice), encoding="ascii")
        except OSError as exc:  # a kernel without autogroups, or a read-only /proc
            log.debug("autogroup nice not set: %s", exc)
    return current
