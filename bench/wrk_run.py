"""wrk (Debian's package) as the load generator: C, one process, so the clients take a small
share of the cores the server shares with them, unlike a Python client. Each target is a file
of requests, one per line (method, path, headers, body as JSON), sent round-robin or each once
(--once); wrk's Lua prints the figures as JSON at the end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.common import OUT_DIR

# Each thread takes the lines whose index modulo the thread count is its own, so with `once`
# no request line is sent twice (single-use tokens, one registration per identity).
LUA = r"""
local reqs, n, i, once, nthreads = {}, 0, 0, false, 1  -- id: a global set by setup()
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  local path, mode, threads = args[1], args[2], tonumber(args[3])
  once = (mode == "once")
  nthreads = threads
  local k = 0
  for line in io.lines(path) do
    if k % nthreads == id then
      local method, target, headers, body = line:match("^(%S+)\t(%S+)\t([^\t]*)\t(.*)$")
      local h = {}
      for pair in headers:gmatch("[^\31]+") do
        local name, value = pair:match("^([^:]+):(.*)$")
        h[name] = value
      end
      n = n + 1
      reqs[n] = wrk.format(method, target, h, body ~= "" and body or nil)
    end
    k = k + 1
  end
end
function request()
  i = i + 1
  if i > n then
    if once then  -- used up: stop this thread (the file is sized to outlast the run)
      wrk.thread:stop()
      return wrk.format("GET", "/assets/portal.css")
    end
    i = 1
  end
  return reqs[i]
end
function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Line:
    """One request: method, path, headers (name -> value), body (JSON on one line)."""

    method: str
    path: str
    headers: dict[str, str]
    body: str = ""


@dataclass(frozen=True)
class Result:
    """What wrk measured for one target."""

    rate: float  # requests/s
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx answers plus socket errors


def write_lines(name: str, lines: list[Line]) -> Path:
    """The request file wrk's script reads."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"wrk_{name}.tsv"
    with path.open("w", encoding="utf-8") as out:
        for ln in lines:
            headers = "\x1f".join(f"{k}:{v}" for k, v in ln.headers.items())
            assert "\t" not in ln.body and "\n" not in ln.body
            out.write(f"{ln.method}\t{ln.path}\t{headers}\t{ln.body}\n")
    return path


def run(base: str, lines_file: Path, *, connections: int, seconds: float, threads: int = 2,
        once: bool = False) -> Result:
    """wrk against `base` with the requests of `lines_file`."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    script = OUT_DIR / "wrk_lines.lua"
    script.write_text(LUA, encoding="utf-8")
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:.0f}s",
           "--timeout", "10s", "-s", str(script), base, "--", str(lines_file),
           "once" if once else "loop", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    seconds_run = figures["duration_us"] / 1e6
    return Result(rate=figures["requests"] / seconds_run, p50_ms=figures["p50_us"] / 1000,
                  p95_ms=figures["p95_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
                  requests=figures["requests"],
                  errors=figures["status_errors"] + figures["socket_errors"])
