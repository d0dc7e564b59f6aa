"""CPU of each JSON API step of a dose in one process, without HTTP: what the app itself costs.

    python -m bench.api_steps [--backend sqlite|postgresql] [--doses 100] [--profile N]

A facility-staff account at F00100 signs in (POST /api/v1/auth/token) and opens today's
session; then --doses walk-ins go through the three calls of bench.ops_write's api mode
(check-in of a new person, who is registered; screening, ELIGIBLE; injection, a first dose),
sent by Flask's test client to the app (create_app) on a fresh database (SQLite under
bench/out, or schema `api_steps` of DATABASE_URL). Prints this process's CPU ms per call of
each step (time.process_time; on PostgreSQL the server's share is not in it) and the ratio of
a whole dose to a bare single-row INSERT in the same run (bench.one_dose.bare). --profile N
prints the N costliest functions (cProfile, cumulative) of 40 more doses.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import random
import time
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from app import create_app
from bench.common import dose_bench_setup
from bench.one_dose import bare
from bench.ops_desks import Desk, checkin_body, injection_body, person, screening_body
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import unit_of_work

STEPS = ("checkin", "screening", "injection")
_PASSWORD = "Mat-khau-2021"
_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _post(client: FlaskClient, path: str, desk: Desk, body: dict) -> dict:
    r = client.post(path, json=body, headers=desk.headers())
    if r.status_code != 201:
        raise SystemExit(f"{path}: HTTP {r.status_code} {r.get_data(as_text=True)[:300]}")
    return dict(r.get_json())


def _desk(client: FlaskClient) -> Desk:
    token = client.post("/api/v1/auth/token", json={"username": "desk", "password": _PASSWORD})
    desk = Desk("F00100", "01", "001", "desk", token=token.get_json()["access_token"])
    today = dt.datetime.now(_TZ).date()
    desk.session_id = _post(client, "/api/v1/sessions", desk, {
        "facility_code": "F00100", "day": today.isoformat(), "starts_at": "00:00:00",
        "ends_at": "23:59:00", "capacity": 5000, "vaccines": ["AZ"], "lots": []})["session_id"]
    return desk


def doses(client: FlaskClient, desk: Desk, first: int, n: int) -> dict[str, float]:
    """CPU ms per call of each step over n walk-ins from the first-th."""
    spent = dict.fromkeys(STEPS, 0.0)
    rng = random.Random(first)
    today = dt.datetime.now(_TZ).date()
    for k in range(first, first + n):
        p = person(k, "01", rng)
        t0 = time.process_time()
        checkin = _post(client, "/api/v1/checkins", desk, checkin_body(desk, p))
        t1 = time.process_time()
        _post(client, "/api/v1/screenings", desk,
              screening_body(checkin["checkin_id"], p, today))
        t2 = time.process_time()
        at = dt.datetime.now(_TZ) - dt.timedelta(seconds=1)
        _post(client, "/api/v1/injections", desk, injection_body(desk, p, at))
        t3 = time.process_time()
        for step, (a, b) in zip(STEPS, ((t0, t1), (t1, t2), (t2, t3)), strict=True):
            spent[step] += b - a
    return {s: v * 1000 / n for s, v in spent.items()}


def main() -> None:
    args, settings, engine = dose_bench_setup(__doc__ or "", "api_steps", 100)
    with unit_of_work(engine) as conn:
        create_user(conn, Actor(None, "bench", "bench"), "desk", "Bàn tiêm", _PASSWORD,
                    [(Role.FACILITY_STAFF, "F00100")], must_change_password=False)
    client = create_app(settings).server.test_client()
    desk = _desk(client)
    doses(client, desk, 1_000_000, 5)  # warm caches and imports
    per_call = doses(client, desk, 1_000_005, args.doses)
    per_insert = bare(engine, args.doses)
    whole = sum(per_call.values())
    steps = ", ".join(f"{s} {v:.1f}" for s, v in per_call.items())
    print(f"{args.backend}: {args.doses} doses, CPU ms per call: {steps}; whole dose "
          f"{whole:.1f} CPU ms, bare INSERT {per_insert:.2f}, ratio {whole / per_insert:.0f}x")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        doses(client, desk, 1_000_005 + args.doses, 40)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    engine.dispose()


if __name__ == "__main__":
    main()
