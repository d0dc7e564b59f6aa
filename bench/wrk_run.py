"""wrk (Debian's package) as the load generator: C, one process, so the clients take a small
share of the cores the server shares with them, unlike a Python client. Each target is a file
of requests, one per line (method, path, headers, body as JSON), sent round-robin or each once
(--once); wrk's Lua prints the figures as JSON at the end.

Paced (`rate`): instead of each connection sending its next request as soon as the last one
is answered (a closed loop, where the latency is the connections over the throughput), the
requests leave on a fixed schedule, `rate` a second in all, as independent visitors arrive
(wrk2's model, by wrk's delay() hook and the monotonic clock). The latency is then the
server's at that arrival rate; a rate the server cannot keep shows as a lower achieved rate.
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
local interval, next_slot = 0, nil  -- paced: ms between this thread's requests
local ffi = require("ffi")
ffi.cdef("typedef struct { long s; long ns; } vx_timespec; int clock_gettime(int, vx_timespec *);")
local clock = ffi.new("vx_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC
  return tonumber(clock.s) * 1000 + tonumber(clock.ns) / 1e6
end
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  local path, mode, threads, rate = args[1], args[2], tonumber(args[3]), tonumber(args[4])
  once = (mode == "once")
  nthreads = threads
  if rate > 0 then interval = 1000 * threads / rate end
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
function delay()
  if interval == 0 then return 0 end
  local t = now_ms()
  if next_slot == nil then next_slot = t + interval * id / nthreads end
  local slot = next_slot
  next_slot = next_slot + interval
  return math.max(slot - t, 0)  -- behind schedule: at once (the schedule is kept)
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
        once: bool = False, rate: float = 0) -> Result:
    """wrk against `base` with the requests of `lines_file`; paced at `rate` requests a
    second when it is not 0."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    script = OUT_DIR / "wrk_lines.lua"
    script.write_text(LUA, encoding="utf-8")
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:.0f}s",
           "--timeout", "10s", "-s", str(script), base, "--", str(lines_file),
           "once" if once else "loop", str(threads), str(rate)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    seconds_run = figures["duration_us"] / 1e6
    return Result(rate=figures["requests"] / seconds_run, p50_ms=figures["p50_us"] / 1000,
                  p95_ms=figures["p95_us"] / 1000, p99_ms=figures["p99_us"] / 1000,
                  requests=figures["requests"],
                  errors=figures["status_errors"] + figures["socket_errors"])
