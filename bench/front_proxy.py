"""The app as production runs it on several cores: one gunicorn per core, each a single gthread
worker on its own port, behind nginx, which hands each request to the least busy of them.

Why not one gunicorn with several workers: its workers share one listening socket, and a
keep-alive connection stays with the worker that accepted it. Under a crowd of keep-alive
clients (wrk) one worker can hold most of them while the other idles, and gunicorn 24-27's
gthread worker also left every thread of a worker waiting up to 5 s on new connections between
two runs (BENCHMARKS.md section 13: static file runs at 3-4 requests/s). nginx balances per
request and keeps its own pool of upstream connections, as a load balancer in front would.

Needs Debian's nginx (apt-get install nginx-light); it runs as this user, in OUT_DIR.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import requests

from bench.appserver import free_port
from bench.common import OUT_DIR
from bench.pages import Gunicorn
from data.settings import Settings

CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx_error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  upstream app {{
    least_conn;
{servers}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 2m;
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      # The visitor's address as the bench sets it (one trusted hop: VX_PROXY_HOPS=1).
      proxy_set_header X-Forwarded-For $http_x_forwarded_for;
      proxy_buffering on;
    }}
  }}
}}
"""


class Balanced:
    """`instances` gunicorns of one worker and `threads` threads, behind nginx."""

    def __init__(self, settings: Settings, instances: int, threads: int, prefix: str,
                 env: dict[str, str] | None = None) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise SystemExit("nginx is not installed: apt-get install nginx-light")
        self.apps = [Gunicorn(settings, 1, threads, prefix=prefix, env=env)
                     for _ in range(instances)]
        self.dir = OUT_DIR / f"{prefix}_nginx"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "\n".join(f"    server 127.0.0.1:{a.port};" for a in self.apps)
        conf = self.dir / "nginx.conf"
        conf.write_text(CONF.format(dir=self.dir, port=self.port, servers=servers),
                        encoding="utf-8")
        self.proc = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"])
        deadline = time.monotonic() + 10
        while True:
            try:
                requests.get(f"{self.url}/login", timeout=5)
                return
            except requests.RequestException:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("nginx did not start") from None
                time.sleep(0.2)

    @property
    def pids(self) -> list[int]:
        """The server's processes whose CPU is counted: the gunicorns and nginx."""
        return [a.proc.pid for a in self.apps] + [self.proc.pid]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for app in self.apps:
            app.stop()
