"""The clients of bench.ops_write: desks recording doses through the JSON API or the Dash forms'
callback endpoints, and the bare single-row INSERT per dose they are measured against.

A dose is a flow of steps (search, check-in, screening, injection). In "api" mode every step
but the search is one POST to /api/v1. In "forms" mode every step is fired through
/_dash-update-component callback by callback, as the check-in, screening and injection pages
fire them (bench.ops_forms.FORM_STEPS), each callback timed as one request. A step without an
adapter in FORM_STEPS (none today) would go through the API instead (or be left out,
--forms-missing skip) and be reported under its transport.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import requests

from bench.appserver import DashClient
from bench.dash_protocol import post
from bench.ops_desks import (
    Desk,
    checkin_body,
    injection_body,
    open_session,
    person,
    screening_body,
)
from bench.ops_forms import FORM_STEPS, Dose, StepError

TIMEOUT_S = 30.0
API_STEPS = ("checkin", "screening", "injection")
FORM_FLOW = ("search", "checkin", "screening", "injection")


# --- The JSON API steps. -----------------------------------------------------------------

def _api(http: requests.Session, base: str, desk: Desk, step: str, path: str,
         body: dict[str, Any], want: int = 201) -> dict[str, Any]:
    r = http.post(base + path, json=body, headers=desk.headers(), timeout=TIMEOUT_S)
    if r.status_code != want:
        code = ""
        with contextlib.suppress(ValueError):  # not JSON: the status alone names it
            code = ",".join(e.get("code", "") for e in r.json().get("errors", []))
        raise StepError(f"{step}: HTTP {r.status_code} {code}".strip(), r.text[:300])
    return dict(r.json())


def api_step(step: str, http: requests.Session, base: str, desk: Desk, dose: Dose) -> None:
    """One step of the flow through /api/v1."""
    p = dose.person
    if step == "checkin":
        dose.checkin_id = _api(http, base, desk, step, "/api/v1/checkins",
                               checkin_body(desk, p))["checkin_id"]
        desk.places_left -= 1
    elif step == "screening":
        out = _api(http, base, desk, step, "/api/v1/screenings",
                   screening_body(dose.checkin_id, p, dose.today))
        if out["final_decision"] != "ELIGIBLE":
            raise StepError("screening: not eligible", str(out)[:300])
    elif step == "injection":
        now = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) - dt.timedelta(seconds=1)
        out = _api(http, base, desk, step, "/api/v1/injections", injection_body(desk, p, now))
        dose.answered = time.perf_counter()
        if out["outcome"] != "loaded":
            raise StepError(f"injection: {out['outcome']}", str(out)[:300])
    else:
        raise ValueError(step)


# --- A desk: one client thread. ----------------------------------------------------------

@dataclass
class Tally:
    """What one desk measured."""

    ms: dict[str, list[float]] = field(default_factory=dict)  # "request (transport)" -> ms
    flows: list[tuple[float, float]] = field(default_factory=list)  # (started, ended)
    doses: list[float] = field(default_factory=list)  # perf_counter of each dose's answer
    errors: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    sessions_opened: int = 0


class DeskClient(threading.Thread):
    """Walk-in after walk-in until the deadline (closed loop), or paced at `interval_s`."""

    def __init__(self, desk: Desk, base: str, mode: str, forms_missing: str,
                 people: range, deadline: float, interval_s: float, today: dt.date,
                 dash: DashClient | None = None) -> None:
        super().__init__(daemon=True)
        self.desk, self.base, self.deadline, self.interval_s = desk, base, deadline, interval_s
        self.people, self.today, self.dash = iter(people), today, dash
        self.http = requests.Session()
        self.rng = random.Random(people.start)
        self.tally = Tally()
        self.plan = self._plan(mode, forms_missing)

    def _plan(self, mode: str, forms_missing: str) -> list[tuple[str, str]]:
        """(step, transport) of each step of a dose."""
        if mode == "api":
            return [(s, "api") for s in API_STEPS]
        assert self.dash is not None, "forms mode needs a signed-in Dash session"
        self.callbacks = {c.output: self.dash.callback_of(c.output)
                          for f in FORM_STEPS.values() for c in f.calls}
        plan = []
        for s in FORM_FLOW:
            if s in FORM_STEPS:
                plan.append((s, "dash"))
            elif forms_missing == "api":
                plan.append((s, "api"))
        return plan

    def run(self) -> None:
        """Closed loop (or paced); every failure is counted, never raised."""
        n = 0
        start = time.monotonic()
        while time.monotonic() < self.deadline:
            if self.interval_s:
                slot = start + n * self.interval_s
                if slot >= self.deadline:
                    break
                time.sleep(max(0.0, slot - time.monotonic()))
            n += 1
            try:
                k = next(self.people)
            except StopIteration:
                break
            if self.desk.places_left <= 0 and any(s == "checkin" for s, _ in self.plan):
                try:  # the session is full: a new one, not counted in any dose's time
                    open_session(self.http, self.base, self.desk, self.today)
                except (RuntimeError, requests.RequestException) as err:
                    self._error("session: refused", str(err)[:300])
                    break
                self.tally.sessions_opened += 1
            self._dose(Dose(person(k, self.desk.province_code, self.rng), self.today))

    def _dose(self, dose: Dose) -> None:
        t0 = time.perf_counter()
        for step, transport in self.plan:
            s0 = time.perf_counter()
            try:
                if transport == "dash":
                    self._form(step, dose)
                else:
                    api_step(step, self.http, self.base, self.desk, dose)
                    self._timed(f"{step} ({transport})", s0)
            except StepError as err:
                self._error(err.key, err.sample)
                return
            except requests.RequestException as err:
                self._error(f"{step}: {type(err).__name__}", str(err)[:300])
                return
        self.tally.flows.append((t0, time.perf_counter()))
        if dose.answered:
            self.tally.doses.append(dose.answered)

    def _form(self, step: str, dose: Dose) -> None:
        """The step's callbacks one after the other, each timed as one request."""
        assert self.dash is not None
        for call in FORM_STEPS[step].calls:
            s0 = time.perf_counter()
            status, _, _, data = post(self.dash.http, self.dash.base,
                                      self.callbacks[call.output], call.values(self.desk, dose),
                                      [call.trigger] if call.trigger else [])
            self._timed(f"{call.name} (dash)", s0)
            if status != 200:
                raise StepError(f"{call.name}: HTTP {status}", "")
            call.check(data, self.desk, dose)

    def _timed(self, name: str, since: float) -> None:
        self.tally.ms.setdefault(name, []).append((time.perf_counter() - since) * 1000)

    def _error(self, key: str, sample: str) -> None:
        self.tally.errors[key] += 1
        self.tally.samples.setdefault(key, sample)


# --- The baseline: a bare single-row INSERT per dose. ------------------------------------

BARE_TABLE = """CREATE TABLE IF NOT EXISTS bench_bare_dose (
    record_id TEXT PRIMARY KEY, person_id TEXT NOT NULL, full_name TEXT, birth_date DATE,
    sex TEXT, phone TEXT, province_code TEXT, district_code TEXT, facility_code TEXT,
    vaccine_code TEXT, lot_number TEXT, dose_kind TEXT, dose_number INT,
    administered_at TIMESTAMPTZ)"""
BARE_INSERT = ("INSERT INTO bench_bare_dose VALUES "
               "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq reads it (the search_path option kept)."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def bare_inserts(database_url: str, clients: int, seconds: float) -> tuple[int, list[float]]:
    """`clients` connections each inserting one dose row per transaction (autocommit) into
    a plain table with a primary key, for `seconds`: (rows, ms per insert)."""
    url = libpq_url(database_url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(BARE_TABLE)
        conn.execute("TRUNCATE bench_bare_dose")
    deadline = time.monotonic() + seconds
    results: list[list[float]] = []

    def insert_loop(i: int) -> None:
        ms: list[float] = []
        results.append(ms)
        now = dt.datetime.now(dt.UTC)
        with psycopg.connect(url, autocommit=True) as conn:
            n = 0
            while time.monotonic() < deadline:
                n += 1
                row = (f"BARE-{i}-{n}", f"0790{n:08d}", "Nguyễn Văn Bình",
                       dt.date(1980, 1, 2), "M", "0912345678", "79", "760", "F76000", "AZ",
                       "BENCH-AZ", "PRIMARY", 1, now)
                t0 = time.perf_counter()
                conn.execute(BARE_INSERT, row)
                ms.append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=insert_loop, args=(i,), daemon=True)
               for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(seconds + 30)
    every = [x for ms in results for x in ms]
    return len(every), every
