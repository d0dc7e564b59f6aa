"""A redis-server of one test's own, which the test may kill and start again on its port."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import redis

START_WITHIN_S = 15.0  # generous: two cores shared by several test runs


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisProcess:
    """redis-server on 127.0.0.1 at a port chosen at start-up, keeping nothing on disk."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server (again, on the same port) and wait until it answers PING."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_WITHIN_S
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(f"redis-server on port {self.port} exited at start-up")
            try:
                with self.client() as client:
                    client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL, as a crash would: no shutdown handshake, every connection dropped."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def client(self) -> redis.Redis:
        """A fresh client on the server (close it, or use it as a context manager)."""
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1.0)

    def stored_keys(self) -> list[str]:
        """Every key the server holds."""
        with self.client() as client:
            return sorted(k.decode() for k in client.keys("*"))
