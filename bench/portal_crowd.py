"""The portal under a crowd: public figures, certificate look-up and self-registration, each
beside a static file served by the same server in the same run.

DATABASE_URL=postgresql://.../vxbench REDIS_URL=redis://... python -m bench.portal_crowd
    [--doses 10000000] [--database bench_ops] [--connections 32] [--seconds 20]
    [--workers 2] [--threads 4] [--front nginx|none] [--people 20000]
    [--targets figures,lookup,register]
    [--rate 200]

The database is bench.ops_write's (schema bench_ops in a database of its own): --doses doses
loaded through load_file, grown when smaller. Gunicorn serves create_app (gthread workers,
Redis cache and rate-limit storage): by default one single-worker gunicorn per --workers behind
nginx, which balances each request (bench.front_proxy: one multi-worker gunicorn stalled and
left a worker idle under wrk's keep-alive connections); behind one trusted proxy hop
(VX_PROXY_HOPS=1) so that each request's X-Forwarded-For is the visitor's address, as a load
balancer would set it. The
load comes from wrk (bench.wrk_run), a C client, so the clients take little of the 2 cores.

Targets, each its own wrk run of --seconds with --connections keep-alive connections:
- static file: /assets/portal.css, this machine's HTTP floor.
- figures JSON (GET /api/v1/public/figures) and the figures page's data callback (whole page,
  as a page's first read) and its timer tick (nothing moved: 204).
- certificate look-up: the look-up callback with a real person's three factors (identity
  number, name, birth date) drawn from the loaded doses, a different person and visitor
  address per request; the answer is the signed certificate (COSE ES256, QR SVG), so signing
  is included. The app's look-up limit (10 per minute per address) holds: each address asks
  once.
- self-registration: the form's submit with a new identity (a CCCD that agrees with the birth
  date and sex), a fresh solved challenge (signed with the app's secret, single use) and its
  own address, each request line sent once. Then every identity of a set is submitted by
  several connections at the same moment: exactly one registration per identity must exist.
The look-up and the registration run twice: closed loop (each of --connections sends its next
request when answered: the latency is then the connections over the throughput, whatever the
server), then paced at --rate requests a second (bench.wrk_run: visitors arriving on a
schedule, as a crowd does), where the latency is the server's at that rate.
Every answer is counted afterwards in the database (certificates issued, registrations), so a
fast answer that did not do the work cannot pass for one. Each row also gives the CPU that
gunicorn's processes and the database's backends spent an answer (bench.ops_cpu, from /proc):
on 2 cores, 2,000 ms over their sum is the most answers a second this machine can give.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import time
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine, text

from bench.common import OUT_DIR, migrated_engine, print_table, stamp
from bench.front_proxy import Balanced
from bench.ops_cpu import CpuMeter
from bench.ops_desks import add_history_args, ensure_history
from bench.ops_write import settings_for
from bench.pages import Gunicorn
from bench.wrk_run import Line, Result, run, write_lines
from callbacks.portal.register import ERROR_FIELDS, FIELDS
from callbacks.shared import ids
from callbacks.shared import ids_portal as pid
from callbacks.shared.portal_paths import PORTAL_PREFIX, PUBLIC_FIGURES_JSON
from data.certificates.keys import KeyStore
from data.portal import challenge

STATIC = "/assets/portal.css"
CALLBACKS = PORTAL_PREFIX + "_dash-update-component"
TARGETS = {"figures JSON": (1000, 50), "figures callback": (1000, 50),
           "certificate look-up": (200, 100), "self-registration": (200, 150)}
DUP_IDENTITIES, DUP_COPIES = 200, 4
# Paced runs: enough connections to carry the rate at a third of a second an answer.
PACED_CONNECTIONS = 64
SETTLE_S = 3.0
FIGURE_OUTPUTS = [(pid.FIG_KPIS, "children"), (pid.FIG_PROVINCES, "children"),
                  (pid.FIG_SUPPLY, "children"), (pid.FIG_AEFI, "children"),
                  (pid.FIG_STAMP, "children"), (pid.FIG_SORT, "options"),
                  (pid.FIG_CSV, "href"), (pid.FIG_VERSION, "data")]
# The figures page's data callback as a page's first read (no version seen yet): it answers
# the whole page, the kept rendering of this data version.
FIGURES_CALL = {
    "output": ".." + "...".join(f"{i}.{p}" for i, p in FIGURE_OUTPUTS) + "..",
    "outputs": [{"id": i, "property": p} for i, p in FIGURE_OUTPUTS],
    "inputs": [{"id": pid.PORTAL_REFRESH, "property": "n_intervals", "value": None},
               {"id": ids.SHELL_LANG, "property": "data", "value": "vi"},
               {"id": pid.FIG_SORT, "property": "value", "value": "coverage"}],
    "state": [{"id": pid.FIG_VERSION, "property": "data", "value": None}],
    "changedPropIds": [f"{ids.SHELL_LANG}.data"],
}


def outputs_spec(outputs: list[tuple[str, str]]) -> dict:
    """The output fields dash-renderer sends for a multi-output callback."""
    if len(outputs) == 1:
        i, p = outputs[0]
        return {"output": f"{i}.{p}", "outputs": {"id": i, "property": p}}
    return {"output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
            "outputs": [{"id": i, "property": p} for i, p in outputs]}


def lookup_body(person_id: str, name: str, born: str) -> str:
    """The look-up form's submit, as the page posts it (Enter in the birth-date field)."""
    return json.dumps(outputs_spec([(pid.CERT_RESULT, "children")]) | {
        "inputs": [{"id": pid.CERT_SUBMIT, "property": "n_clicks", "value": None},
                   {"id": pid.CERT_PERSON_ID, "property": "n_submit", "value": None},
                   {"id": pid.CERT_NAME, "property": "n_submit", "value": None},
                   {"id": pid.CERT_BIRTH, "property": "n_submit", "value": 1}],
        "state": [{"id": pid.CERT_PERSON_ID, "property": "value", "value": person_id},
                  {"id": pid.CERT_NAME, "property": "value", "value": name},
                  {"id": pid.CERT_BIRTH, "property": "value", "value": born},
                  {"id": ids.SHELL_LANG, "property": "data", "value": "vi"}],
        "changedPropIds": [f"{pid.CERT_BIRTH}.n_submit"]}, ensure_ascii=False)


REGISTER_OUTPUTS = [*[(ids.field_error(f), "children") for f in ERROR_FIELDS],
                    (pid.REG_STATUS, "children"), (pid.REG_RESULT, "children"),
                    (f"{pid.REG_RESULT}-block", "hidden"), (pid.REG_CHALLENGE_TOKEN, "data"),
                    (pid.REG_CHALLENGE_ANSWER, "value"), (pid.REG_FORM, "hidden")]


def dependency_keys(base: str) -> dict[str, str]:
    """Each portal callback's output key as the page has it, by the key without the "@hash"
    marks Dash gives outputs declared allow_duplicate (what dash-renderer posts back)."""
    deps = requests.get(base + PORTAL_PREFIX + "_dash-dependencies", timeout=30).json()
    return {re.sub(r"@[0-9a-f]+", "", d["output"]): d["output"] for d in deps}


def register_body(secret: str, n: int, keys: dict[str, str]) -> str:
    """The registration form's submit for identity n: a man born 1990 in Hà Nội whose CCCD
    (001 0 90 ......) agrees with it, with a fresh challenge and its answer."""
    made = challenge.new_challenge(secret)
    values = {pid.REG_ID_TYPE: "CCCD", pid.REG_PERSON_ID: f"001090{n:06d}",
              pid.REG_FULL_NAME: "Trần Văn Bình", pid.REG_BIRTH_DATE: "02/01/1990",
              pid.REG_SEX: "M", pid.REG_PHONE: f"091{n:07d}", pid.REG_PRIORITY: "0",
              pid.REG_PROVINCE: "01", pid.REG_DISTRICT: "001", pid.REG_WARD: None,
              pid.REG_ADDRESS: "12 Phố Kim Mã", pid.REG_FACILITY: None}
    spec = outputs_spec(REGISTER_OUTPUTS)
    key = keys[spec["output"]]
    parts = key.strip(".").split("...")
    spec = {"output": key, "outputs": [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
                                       for p in parts]}
    return json.dumps(spec | {
        "inputs": [{"id": pid.REG_SUBMIT, "property": "n_clicks", "value": 1},
                   {"id": pid.REG_CHALLENGE_ANSWER, "property": "n_submit", "value": None}],
        "state": [*[{"id": f, "property": "value", "value": values.get(f)} for f in FIELDS],
                  {"id": pid.REG_CHALLENGE_TOKEN, "property": "data", "value": made.token},
                  {"id": pid.REG_CHALLENGE_ANSWER, "property": "value",
                   "value": str(made.a + made.b)},
                  {"id": ids.SHELL_LANG, "property": "data", "value": "vi"}],
        "changedPropIds": [f"{pid.REG_SUBMIT}.n_clicks"]}, ensure_ascii=False)


def address(n: int) -> str:
    """Visitor n's address (10.0.0.0/8): one per request, so per-address limits never bite."""
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def visitor_headers(base: str) -> dict[str, str]:
    """An anonymous visitor who opened the portal: its cookies and CSRF header."""
    http = requests.Session()
    http.get(base + PORTAL_PREFIX, timeout=30).raise_for_status()
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    return {"Cookie": cookie,
            "X-CSRFToken": http.cookies.get("_csrf_token") or "",
            "Content-Type": "application/json"}


def sample_people(engine: Engine, n: int) -> list[tuple[str, str, str]]:
    """n people of the loaded history who have no certificate yet, so that each look-up signs
    a new one: (identity number, name, birth date dd/mm/yyyy)."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT person_id, full_name, birth_date FROM injection i TABLESAMPLE SYSTEM (1) "
            "WHERE status = 'COMPLETED' AND NOT EXISTS "
            "(SELECT 1 FROM certificate_issue c WHERE c.person_id = i.person_id) LIMIT :n"),
            {"n": n}).all()
    return [(r[0], r[1], r[2].strftime("%d/%m/%Y")) for r in rows]


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


Measured = tuple[Result, str]  # wrk's figures; CPU ms an answer, "server / database"


# What the portal's runs write: vacuumed and analysed before each run, as autovacuum would
# between them (it is off on the bench machine's PostgreSQL; without it the nonces' table,
# never analysed, was scanned whole at every registration and the database's CPU an answer
# doubled over four runs).
WRITTEN = ("portal_registration", "portal_challenge_used", "registration", "fct_registration",
           "certificate_issue", "audit_log", "meta_data_version")


def tidy(engine: Engine) -> None:
    """VACUUM ANALYZE the tables the runs write (ANALYZE on SQLite)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(f"VACUUM ANALYZE {', '.join(WRITTEN)}"))
        else:
            conn.execute(text("ANALYZE"))


def row(name: str, measured: Measured, floor: float, done: str = "") -> list[object]:
    r, cpu = measured
    target = TARGETS.get(name.split(",")[0])  # a paced run is judged as its target
    met = "" if target is None else (
        "yes" if r.rate >= target[0] and r.p95_ms <= target[1] and r.errors == 0 else "no")
    return [name, f"{r.rate:,.0f}", f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}", f"{r.p99_ms:.1f}",
            f"{r.rate / floor:.2f}", r.errors, cpu, done, met]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    add_history_args(ap, max_load_min=60.0)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2)
    # 4, not 16: a portal answer is CPU-bound Python, and 16 threads a process queue on the GIL
    # (BENCHMARKS.md section 13: look-up 254/s with 4 threads, 186/s with 16).
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--front", choices=["nginx", "none"], default="nginx",
                    help="nginx: one single-worker gunicorn per --workers behind nginx "
                         "(bench.front_proxy); none: one gunicorn of --workers workers")
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--targets", default="figures,lookup,register")
    ap.add_argument("--rate", type=float, default=200.0,
                    help="also run the look-up and the registration paced at this many "
                         "requests a second (0: closed loop only)")
    args = ap.parse_args()
    wanted = set(args.targets.split(","))
    settings = settings_for(args.database)
    engine = migrated_engine(settings)
    have = ensure_history(settings, engine, args.doses, args.max_load_min)
    keys = OUT_DIR / "portal_keys"
    if KeyStore(keys).active_kid() is None:
        KeyStore(keys).create()
    secret = secrets.token_hex(32)
    env = {"SECRET_KEY": secret, "VX_PROXY_HOPS": "1", "VX_CERT_KEY_DIR": str(keys)}
    server: Gunicorn | Balanced
    if args.front == "nginx":
        server = Balanced(settings, args.workers, args.threads, prefix="vxcrowd", env=env)
        pids: int | list[int] = server.pids  # nginx's CPU is the server's too
    else:
        server = Gunicorn(settings, args.workers, args.threads, prefix="vxcrowd", env=env)
        pids = server.proc.pid
    try:
        base = server.url
        head = visitor_headers(base)
        print(f"{stamp()}  {args.database}: {have:,} doses, "
              f"{count(engine, 'SELECT COUNT(DISTINCT person_id) FROM injection'):,} people; "
              f"gunicorn {args.workers}x{args.threads} (front: {args.front}), "
              f"wrk {args.connections} connections x "
              f"{args.seconds:.0f} s per target", flush=True)

        def timed(path: Path, **how: Any) -> Measured:
            """wrk's run, with the CPU the server and the database spent an answer (on 2
            cores, 2,000 / their sum is the most answers a second this machine can give)."""
            tidy(engine)
            meter = CpuMeter(engine, pids)
            r = run(base, path, **how)
            server_s, db_s, _ = meter.stop()
            n = max(r.requests, 1)
            return r, f"{server_s * 1000 / n:.1f} / {db_s * 1000 / n:.1f}"

        def go(name: str, lines: list[Line]) -> Measured:
            path = write_lines(name.replace(" ", "_"), lines)
            run(base, path, connections=args.connections, seconds=2)  # warm: kept answers
            return timed(path, connections=args.connections, seconds=args.seconds)

        rows: list[list[object]] = []
        static = go("static file", [Line("GET", STATIC, {})])
        floor = static[0].rate
        rows.append(row("static file", static, floor))
        if "figures" in wanted:
            rows.append(row("figures JSON", go("figures JSON",
                                               [Line("GET", PUBLIC_FIGURES_JSON, {})]), floor))
            first = requests.post(base + CALLBACKS, json=FIGURES_CALL, timeout=30,
                                  headers=head).json()
            tick = FIGURES_CALL | {
                "state": [{"id": pid.FIG_VERSION, "property": "data",
                           "value": first["response"][pid.FIG_VERSION]["data"]}],
                "changedPropIds": [f"{pid.PORTAL_REFRESH}.n_intervals"]}
            rows.append(row("figures callback", go("figures callback", [
                Line("POST", CALLBACKS, head, json.dumps(FIGURES_CALL))]), floor))
            rows.append(row("figures tick (204)", go("figures tick", [
                Line("POST", CALLBACKS, head, json.dumps(tick))]), floor))
        # Closed loop (--connections, each as fast as answered), then paced at --rate.
        loads = [("", {"connections": args.connections})] + (
            [(f", paced {args.rate:.0f}/s", {"connections": PACED_CONNECTIONS,
                                             "rate": args.rate})] if args.rate else [])
        if "lookup" in wanted:
            people = sample_people(engine, args.people * len(loads))
            random.Random(7).shuffle(people)
            for n, (label, how) in enumerate(loads):  # each run its own people and addresses
                before = count(engine, "SELECT COUNT(*) FROM certificate_issue")
                lines = [Line("POST", CALLBACKS,
                              head | {"X-Forwarded-For": address(n * args.people + k)},
                              lookup_body(*p))
                         for k, p in enumerate(people[n * args.people:(n + 1) * args.people])]
                time.sleep(SETTLE_S)
                r, cpu = timed(write_lines("lookup", lines), seconds=args.seconds, once=True,
                               **how)
                issued = count(engine, "SELECT COUNT(*) FROM certificate_issue") - before
                rows.append(row("certificate look-up" + label, (r, cpu), floor,
                                f"{issued:,} certificates issued (new) of {r.requests:,}"))
        if "register" in wanted:
            keys = dependency_keys(base)
            n_lines = int(args.seconds * 600) + 1000  # outlasts the run
            for label, how in loads:
                # Identities after every one an earlier run used (001090 + a 6-digit serial).
                start = count(engine, "SELECT COALESCE(MAX(CAST(SUBSTR(person_id, 7) AS "
                                      "INTEGER)), 0) FROM portal_registration "
                                      "WHERE person_id LIKE '001090%'") + 1
                assert start + 2 * n_lines + DUP_IDENTITIES < 10**6, "identity serials used up"
                before = count(engine, "SELECT COUNT(*) FROM portal_registration")
                lines = [Line("POST", CALLBACKS, head | {"X-Forwarded-For": address(start + k)},
                              register_body(secret, start + k, keys)) for k in range(n_lines)]
                time.sleep(SETTLE_S)
                r, cpu = timed(write_lines("register", lines), seconds=args.seconds, once=True,
                               **how)
                time.sleep(SETTLE_S)  # wrk stops mid-flight: the last answers land first
                made = count(engine, "SELECT COUNT(*) FROM portal_registration") - before
                rows.append(row("self-registration" + label, (r, cpu), floor,
                                f"{made:,} registrations of {r.requests:,} requests"))
            # The same identities submitted by DUP_COPIES connections at once.
            first_dup = start + n_lines
            dups = [Line("POST", CALLBACKS,
                         head | {"X-Forwarded-For": address(first_dup + k * DUP_COPIES + c)},
                         register_body(secret, first_dup + k, keys))
                    for k in range(DUP_IDENTITIES) for c in range(DUP_COPIES)]
            before = count(engine, "SELECT COUNT(*) FROM portal_registration")
            r, cpu = timed(write_lines("register_dup", dups), connections=DUP_COPIES * 4,
                           threads=DUP_COPIES, seconds=30, once=True)  # time to send every line
            made = count(engine, "SELECT COUNT(*) FROM portal_registration") - before
            dup_ids = count(engine, (
                "SELECT COUNT(*) FROM (SELECT person_id FROM registration "
                "GROUP BY person_id HAVING COUNT(*) > 1) d"))
            rows.append(row("same identity x4 at once", (r, cpu), floor,
                            f"{made} registrations for {DUP_IDENTITIES} identities; "
                            f"identities registered twice: {dup_ids}"))
        print_table(f"Portal under a crowd ({stamp()})",
                    ["target", "req/s", "p50 ms", "p95 ms", "p99 ms", "x static", "errors",
                     "CPU ms/answer server / db", "work done", "target met?"], rows)
    finally:
        server.stop()
        engine.dispose()
        os.environ.pop("VX_PROXY_HOPS", None)


if __name__ == "__main__":
    main()
