"""CPU seconds spent by each side of bench.ops_write's run, read from /proc: on a machine shared
with other work, the CPU a dose costs says more than the wall time it took."""

from __future__ import annotations

import os
import resource
from pathlib import Path

from sqlalchemy import Engine, text

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, None once it has ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK  # ppid; utime + stime


def tree_cpu(root: int) -> float:
    """CPU seconds of `root` and its children (gunicorn's master and workers)."""
    total = 0.0
    for name in filter(str.isdigit, os.listdir("/proc")):
        st = _stat(int(name))
        if st is not None and (int(name) == root or st[0] == root):
            total += st[1]
    return total


def backends_cpu(engine: Engine) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to the bench's database now."""
    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity "
                                 "WHERE datname = current_database()")).scalars().all()
    out = {}
    for pid in pids:
        st = _stat(int(pid))
        if st is not None:
            out[int(pid)] = st[1]
    return out


def client_cpu() -> float:
    """CPU seconds of this process (every client thread) so far."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class CpuMeter:
    """CPU seconds of the app server, the database's backends and the clients over a run.

    Backends are those of the bench's database present at the end (a pooled connection lives
    through the run); one that ended during the run is missed, so the database side is a
    lower bound."""

    def __init__(self, engine: Engine, server_pid: int | list[int]) -> None:
        """`server_pid`: the server's root process, or several (gunicorns behind nginx)."""
        self.engine = engine
        self.server_pids = server_pid if isinstance(server_pid, list) else [server_pid]
        self.server0, self.db0, self.client0 = (self._server(), backends_cpu(engine),
                                                client_cpu())

    def _server(self) -> float:
        return sum(tree_cpu(pid) for pid in self.server_pids)

    def stop(self) -> tuple[float, float, float]:
        """(server, database, client) CPU seconds since start."""
        db1 = backends_cpu(self.engine)
        db = sum(v - self.db0.get(pid, 0.0) for pid, v in db1.items())
        return (self._server() - self.server0, db, client_cpu() - self.client0)
