"""The clients of bench.ops_write: desks recording doses through the JSON API or the Dash forms'
callback endpoints, and the bare single-row INSERT per dose they are measured against.

A dose is a flow of steps (search, check-in, screening, injection). In "api" mode every step is
one POST to /api/v1. In "forms" mode each step is fired through /_dash-update-component as the
page's form would fire it, when FORM_STEPS holds an adapter for it; a step whose form does not
exist yet goes through the API instead (or is left out, --forms-missing skip) and is reported
under its transport, so the figures say how much of the flow really went through Dash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import requests

from bench.appserver import DashClient
from bench.dash_protocol import post
from bench.ops_desks import (
    Desk,
    Person,
    checkin_body,
    injection_body,
    open_session,
    person,
    screening_body,
)
from callbacks.shared import ids
from callbacks.shared.i18n import t

TIMEOUT_S = 30.0
API_STEPS = ("checkin", "screening", "injection")
FORM_FLOW = ("search", "checkin", "screening", "injection")
Values = dict[tuple[str, str], Any]


class StepError(Exception):
    """A step refused or failed: `key` groups it in the report, `sample` shows one."""

    def __init__(self, key: str, sample: str) -> None:
        super().__init__(key)
        self.key, self.sample = key, sample


@dataclass
class Dose:
    """One walk-in's way through the desk: what the steps learn about it on the way."""

    person: Person
    today: dt.date
    checkin_id: str = ""
    answered: float = 0.0  # perf_counter when the injection's answer came back


# --- Dash form adapters: one per step whose form exists. ---------------------------------

@dataclass(frozen=True)
class FormStep:
    """How one step is fired through its form's callback: the component id of one of the
    callback's outputs (finds it in /_dash-dependencies), the input and state values the
    browser would send, and a check of the response that raises StepError on a refusal."""

    output: str
    values: Callable[[Desk, Dose], Values]
    check: Callable[[dict[str, Any], Dose], None]


def _search_values(desk: Desk, dose: Dose) -> Values:
    # The desk scans the person's CCCD into the search field and presses Enter.
    return {(ids.OPS_CHECKIN_SEARCH, "n_submit"): 1,
            (ids.OPS_CHECKIN_SEARCH, "value"): dose.person.person_id,
            (ids.SHELL_LANG, "data"): "vi"}


_NOT_FOUND = t("ops.checkin.not_found", "vi")


def _search_check(response: dict[str, Any], dose: Dose) -> None:
    # A walk-in is new: "not found" is the expected answer; any other message is a refusal.
    error = response.get(ids.field_error(ids.OPS_CHECKIN_SEARCH), {}).get("children", "")
    if error and error != _NOT_FOUND:
        raise StepError("search: refused", str(error)[:200])


# Extend as the form pages land: "checkin", "screening", "injection" (and "observation").
FORM_STEPS: dict[str, FormStep] = {
    "search": FormStep(ids.OPS_CHECKIN_RESULTS, _search_values, _search_check),
}


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

    ms: dict[str, list[float]] = field(default_factory=dict)  # "step (transport)" -> ms
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
        self.callbacks = {s: self.dash.callback(f.output) for s, f in FORM_STEPS.items()}
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
            except StepError as err:
                self._error(err.key, err.sample)
                return
            except requests.RequestException as err:
                self._error(f"{step}: {type(err).__name__}", str(err)[:300])
                return
            self.tally.ms.setdefault(f"{step} ({transport})", []).append(
                (time.perf_counter() - s0) * 1000)
        self.tally.flows.append((t0, time.perf_counter()))
        if dose.answered:
            self.tally.doses.append(dose.answered)

    def _form(self, step: str, dose: Dose) -> None:
        assert self.dash is not None
        form = FORM_STEPS[step]
        status, _, _, data = post(self.dash.http, self.dash.base, self.callbacks[step],
                                  form.values(self.desk, dose))
        if status != 200:
            raise StepError(f"{step}: HTTP {status}", "")
        form.check(data, dose)

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
