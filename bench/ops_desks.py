"""What bench.ops_write sets up: the dose history (kept in its schema across runs), one desk per
client (a facility, a facility-staff account, a bearer token, today's session) and the new
people who walk in, each with a CCCD no earlier run has used."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import requests
from sqlalchemy import Engine, text

from bench.common import OUT_DIR, injections_frame, load_facilities, stamp, write_csv
from bench.reads import FILE_ROWS
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import unit_of_work
from data.ops.rules.screening import rule_set_for
from data.settings import Settings

# Circular 07/2016/TT-BCA art. 7: the century-and-sex digit of a CCCD (men even, women odd).
_G = {(1900, "M"): 0, (1900, "F"): 1, (2000, "M"): 2, (2000, "F"): 3}
BIRTH_YEARS = range(1945, 2004)  # adults on any day of the bench's life
SESSION_CAPACITY = 5000  # data.ops.commands.sessions.MAX_CAPACITY: a new session past it
VACCINE, LOT = "AZ", "BENCH-AZ"
LOT_EXPIRY = dt.date(2099, 12, 31)  # in date on any day the bench runs
STOCK_DOSES = 1_000_000  # never runs out: no stock moves per dose (give_dose), only at close
# Normal vitals (the simulator's ranges), so every screening computes ELIGIBLE.
VITALS = {"temperature_c": 36.6, "pulse_per_min": 78, "bp_systolic_mmhg": 120,
          "bp_diastolic_mmhg": 76}
PASSWORD = "Bench-ops-" + secrets.token_hex(8)


def base_doses(engine: Engine) -> int:
    """Doses of the loaded history (the bench's own doses are not counted)."""
    with engine.connect() as conn:
        try:
            return int(conn.execute(text(
                "SELECT COUNT(*) FROM injection WHERE record_id >= 'INJ' AND record_id < 'INK'"
            )).scalar_one())
        except Exception:  # no schema yet
            return 0


def extend_doses(settings: Settings, engine: Engine, doses: int, max_load_s: float) -> int:
    """Load the history up to `doses` in 1M-row files through load_file (the fastest loader
    path), after the files an earlier run loaded; stop past max_load_s. Files as bench.reads
    writes them (same ids and seeds), so a schema can be grown run after run."""
    from etl.pipeline import load_file  # heavy import, only when loading

    have = base_doses(engine)
    if have >= doses:
        return have
    workdir = OUT_DIR / "ops"
    if have == 0:
        load_facilities(settings, engine, workdir)
    t0 = time.perf_counter()
    for i in range(have // FILE_ROWS, -(-doses // FILE_ROWS)):
        if time.perf_counter() - t0 > max_load_s:
            print(f"  stopping: load budget of {max_load_s / 60:.0f} min spent", flush=True)
            break
        n = min(FILE_ROWS, doses - i * FILE_ROWS)
        path = write_csv(injections_frame(n, seed=100 + i, start=i * FILE_ROWS),
                         workdir / f"injections_{i:03d}.csv")
        res = load_file(settings, engine, "injections", path)
        path.unlink()
        print(f"  [{time.perf_counter() - t0:6.0f} s] file {i + 1}: loaded {res.loaded:,} in "
              f"{res.seconds:.1f} s ({res.read / res.seconds:,.0f} rows/s)", flush=True)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return base_doses(engine)


def add_history_args(ap: argparse.ArgumentParser, max_load_min: float) -> None:
    """The options of the loaded history that bench.ops_write and bench.portal_crowd share."""
    ap.add_argument("--doses", type=int, default=10_000_000)
    ap.add_argument("--database", default="bench_ops")
    ap.add_argument("--max-load-min", type=float, default=max_load_min)


def ensure_history(settings: Settings, engine: Engine, doses: int, max_load_min: float) -> int:
    """The history grown to `doses` when smaller (extend_doses), saying so; the doses held."""
    have = base_doses(engine)
    if have < doses:
        print(f"{stamp()}  loading the history: {have:,} -> {doses:,} doses", flush=True)
        t0 = time.perf_counter()
        have = extend_doses(settings, engine, doses, max_load_min * 60)
        print(f"  loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    return have


def reserve_people(engine: Engine, n: int) -> int:
    """The first of `n` person numbers no earlier run of the bench in this schema used."""
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_ops_people (next BIGINT NOT NULL)"))
        if conn.execute(text("SELECT COUNT(*) FROM bench_ops_people")).scalar_one() == 0:
            conn.execute(text("INSERT INTO bench_ops_people VALUES (0)"))
        return int(conn.execute(text("UPDATE bench_ops_people SET next = next + :n "
                                     "RETURNING next - :n"), {"n": n}).scalar_one())


@dataclass(frozen=True)
class Person:
    """A new walk-in: the check-in form's fields."""

    person_id: str
    birth_date: dt.date
    sex: str
    full_name: str
    phone: str

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def person(k: int, province: str, rng: random.Random) -> Person:
    """Walk-in number k: k picks sex, birth year and the CCCD's sequence number one to one,
    so no two numbers k share a CCCD (59 years x 2 sexes x 1M sequence numbers)."""
    sex = "MF"[k % 2]
    year = BIRTH_YEARS[k // 2 % len(BIRTH_YEARS)]
    seq = k // (2 * len(BIRTH_YEARS))
    birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    cccd = f"0{province}{_G[(year // 100 * 100, sex)]}{year % 100:02d}{seq % 1_000_000:06d}"
    name = "Nguyễn Văn Bình" if sex == "M" else "Trần Thị Lan"
    return Person(cccd, birth, sex, name, f"09{rng.randrange(10**8):08d}")


@dataclass
class Desk:
    """One client's place of work: facility, account, token, today's open session."""

    facility_code: str
    province_code: str
    district_code: str
    username: str
    token: str = ""
    session_id: str = ""
    places_left: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}


def make_desks(engine: Engine, n: int) -> list[Desk]:
    """n facilities (one per district, in code order), each with a new facility-staff
    account of this run."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT DISTINCT ON (district_code) code, province_code, district_code "
            "FROM facility WHERE status = 'ACTIVE' ORDER BY district_code, code LIMIT :n"),
            {"n": n}).all()
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} facilities in distinct districts for {n} clients")
    return add_desks(engine, [(code, prov, dist) for code, prov, dist in rows])


def add_desks(engine: Engine, facilities: list[tuple[str, str, str]]) -> list[Desk]:
    """A desk at each (facility, province, district): a new facility-staff account there."""
    run = secrets.token_hex(3)
    desks = [Desk(code, prov, dist, f"opsbench_{run}_{i}") for i, (code, prov, dist)
             in enumerate(facilities)]
    with unit_of_work(engine) as conn:
        for d in desks:
            create_user(conn, Actor(None, "bench", "bench"), d.username, "Bench desk", PASSWORD,
                        [(Role.FACILITY_STAFF, d.facility_code)], must_change_password=False)
    return desks


def stock_desks(settings: Settings, engine: Engine, desks: list[Desk]) -> int:
    """Give every desk's facility that holds none of it the bench lot: a warehouse of its own
    (a warehouses file) and a receipt of LOT there (a stock_movements file), both through
    load_file. The injection page's give_dose only draws on a lot the facility holds in date
    (the API's record_injection, as a file row, does not ask). Returns the facilities stocked."""
    from data.interchange.kinds import stock
    from data.ops.queries.lots import lots_held
    from etl.pipeline import load_file  # heavy import, only when stocking

    with engine.connect() as conn:
        bare = [d for d in desks if not any(
            not lot.expired_on(LOT_EXPIRY) for lot in lots_held(
                conn, d.facility_code, [VACCINE], [LOT]))]
    if not bare:
        return 0
    houses = pd.DataFrame([{
        "warehouse_code": f"BW-{d.facility_code}", "name": f"Kho {d.facility_code} (bench)",
        "level": "FACILITY", "province_code": d.province_code,
        "district_code": d.district_code, "facility_code": d.facility_code,
        "capacity_litres": 100} for d in bare])
    moves = pd.DataFrame([{
        "movement_id": f"BENCH-R-{d.facility_code}-{secrets.token_hex(4)}",
        "occurred_at": "2021-06-01T06:00:00+07:00", "warehouse_code": f"BW-{d.facility_code}",
        "movement_type": "RECEIPT", "counterparty_code": "", "vaccine_code": VACCINE,
        "lot_number": LOT, "expiry_date": LOT_EXPIRY.isoformat(), "doses": STOCK_DOSES,
        "reason": ""} for d in bare], columns=stock.OPERATIONAL)
    workdir = OUT_DIR / "ops"
    for kind, frame in (("warehouses", houses), ("stock_movements", moves)):
        res = load_file(settings, engine, kind, write_csv(frame, workdir / f"{kind}.csv"),
                        reject_path=workdir / f"{kind}_rejects.csv")
        if res.rejected:
            raise SystemExit(f"stocking the desks: {res.rejected} {kind} rows refused "
                             f"(see {workdir / f'{kind}_rejects.csv'})")
    return len(bare)


def sign_in(http: requests.Session, base: str, desk: Desk) -> None:
    """The desk's bearer token, through POST /api/v1/auth/token."""
    r = http.post(f"{base}/api/v1/auth/token", timeout=30,
                  json={"username": desk.username, "password": PASSWORD})
    r.raise_for_status()
    desk.token = r.json()["access_token"]


def open_session(http: requests.Session, base: str, desk: Desk, today: dt.date) -> None:
    """Today's all-day session at the desk, through POST /api/v1/sessions."""
    r = http.post(f"{base}/api/v1/sessions", headers=desk.headers(), timeout=30, json={
        "facility_code": desk.facility_code, "day": today.isoformat(), "starts_at": "00:00:00",
        "ends_at": "23:59:00", "capacity": SESSION_CAPACITY, "vaccines": [VACCINE],
        "lots": []})
    if r.status_code != 201:
        raise RuntimeError(f"session refused: {r.status_code} {r.text[:300]}")
    desk.session_id, desk.places_left = r.json()["session_id"], SESSION_CAPACITY


def checkin_body(desk: Desk, p: Person) -> dict[str, Any]:
    """A walk-in's check-in: identity, name, phone, residence (the facility's district)."""
    return {"session_id": desk.session_id, "id_type": "CCCD", "person_id": p.person_id,
            "birth_date": p.birth_date.isoformat(), "sex": p.sex, "full_name": p.full_name,
            "phone": p.phone, "province_code": desk.province_code,
            "district_code": desk.district_code, "priority_group": 0}


def screening_body(checkin_id: str, p: Person, today: dt.date) -> dict[str, Any]:
    """Every item of the rule set in force answered No, normal vitals: ELIGIBLE."""
    rules = rule_set_for(today, p.age_on(today))
    known = {v.id for v in rules.vitals}
    return {"checkin_id": checkin_id, "answers": {i.id: False for i in rules.items},
            "vitals": {k: v for k, v in VITALS.items() if k in known},
            "final_decision": "ELIGIBLE"}


def injection_body(desk: Desk, p: Person, at: dt.datetime) -> dict[str, Any]:
    """The first dose, given now at the desk, under a new record_id."""
    return {"record_id": f"B-{uuid.uuid4().hex}", "status": "COMPLETED",
            "person_id": p.person_id, "id_type": "CCCD", "full_name": p.full_name,
            "birth_date": p.birth_date.isoformat(), "sex": p.sex, "phone": p.phone,
            "priority_group": "0", "province_code": desk.province_code,
            "district_code": desk.district_code, "ward_code": "",
            "facility_code": desk.facility_code, "vaccine_code": VACCINE, "lot_number": LOT,
            "dose_kind": "PRIMARY", "dose_number": "1",
            "administered_at": at.isoformat(timespec="seconds"), "vaccinator": ""}
