"""`python -m etl simulate`: a vaccination day at a few demo facilities, through the commands.

Acting as SYSTEM, it opens today's session at each facility, then, person after person, books
a returning person (someone vaccinated there before whose next dose is due) or takes a new
walk-in, checks them in, screens them and records the dose: the same data/ops/commands the
forms and the API use, so every dose bumps the data version and the wall's "doses today"
rises. There are no commands for observation, AEFI or wastage yet, so none are simulated.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, or_, select

from data.auth.roles import SYSTEM
from data.db import make_engine
from data.models.operational import Injection, StockMovement
from data.models.reference import Facility, Ward
from data.ops.commands.checkin import PersonForm, find_person, record_checkin
from data.ops.commands.errors import OpsError
from data.ops.commands.injection import new_record_id, record_injection
from data.ops.commands.screening import age_on, record_screening
from data.ops.commands.sessions import MAX_CAPACITY, SessionPlan, book, create_session
from data.ops.rules.schedule import DoseKind, next_due
from data.ops.rules.screening import Outcome, rule_set_for
from data.settings import Settings
from etl.simulate_people import Residence, make_walk_in

SOURCE = "simulator"  # the audit log's source of every simulated act
RETURNING_SHARE = 0.3  # of arrivals, when the facility has earlier patients
POSTPONE_SHARE = 0.03  # of screenings: a fever, so the dose waits
FALLBACK_VACCINES = ("AZ", "PFZ", "MOD")  # when no stock movement names any vaccine
MAX_FAILURES_IN_A_ROW = 200  # a database that refuses everything: stop, do not spin
_FACILITY = Facility.__table__
_MOVES = StockMovement.__table__
_WARDS = Ward.__table__
_INJ = Injection.__table__
log = logging.getLogger(__name__)


@dataclass
class Desk:
    """One facility's session today: what it gives, its lots, its earlier patients."""

    facility_code: str
    home: Residence
    vaccines: tuple[str, ...]
    dose_lot: dict[str, str]  # vaccine -> the lot a dose is drawn from
    session_lots: tuple[str, ...]  # lots not expired today (create_session refuses others)
    returning: list[str]
    session_id: str = ""
    day: dt.date | None = None


@dataclass
class Tally:
    """What happened: doses recorded and refusals by code, in total and this minute."""

    doses: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    minute_doses: int = 0
    minute_refused: Counter[str] = field(default_factory=Counter)

    def refuse(self, code: str) -> None:
        self.refused[code] += 1
        self.minute_refused[code] += 1

    def line(self, label: str, doses: int, refused: Counter[str]) -> str:
        why = ", ".join(f"{c} {n}" for c, n in sorted(refused.items())) or "none"
        return f"{label}: {doses} doses recorded (total {self.doses}); refused: {why}"


def _lots(engine: Engine, facility: str | None) -> list[tuple[str, str, dt.date]]:
    """(vaccine, lot, expiry) of the facility's stock movements, or of all when None."""
    q = select(_MOVES.c.vaccine_code, _MOVES.c.lot_number, _MOVES.c.expiry_date).distinct()
    if facility is not None:
        q = q.where(or_(_MOVES.c.warehouse_code == facility,
                        _MOVES.c.counterparty_code == facility))
    with engine.connect() as conn:
        rows = [(str(v), str(lot), exp) for v, lot, exp in conn.execute(q)]
    # Latest expiry last, so the dict built from it keeps each vaccine's freshest lot.
    return sorted(rows, key=lambda r: (r[0], r[2], r[1]))


def _desk(engine: Engine, code: str, province: str, district: str,
          today: dt.date) -> Desk:
    stock = _lots(engine, code) or _lots(engine, None)
    with engine.connect() as conn:
        wards = tuple(conn.execute(select(_WARDS.c.code).where(
            _WARDS.c.district_code == district).order_by(_WARDS.c.code)).scalars())
        returning = list(conn.execute(select(_INJ.c.person_id).where(
            _INJ.c.facility_code == code, _INJ.c.status == "COMPLETED").distinct()
            .order_by(_INJ.c.person_id).limit(500)).scalars())
    # A demo campaign's lots may all have expired since: the session then lists none and a
    # dose names the vaccine's latest lot (the interchange rules do not check expiry).
    lots = {v: lot for v, lot, _ in stock} or {v: f"SIM-{v}" for v in FALLBACK_VACCINES}
    fresh = tuple(lot for _, lot, exp in stock if exp >= today)
    return Desk(code, Residence(province, district, wards), tuple(sorted(lots)), lots, fresh,
                returning)


def pick_desks(engine: Engine, rng: random.Random, count: int, today: dt.date) -> list[Desk]:
    """`count` active facilities, drawn by the seeded generator."""
    with engine.connect() as conn:
        rows = conn.execute(select(_FACILITY.c.code, _FACILITY.c.province_code,
                                   _FACILITY.c.district_code)
                            .where(_FACILITY.c.status == "ACTIVE")
                            .order_by(_FACILITY.c.code)).all()
    if not rows:
        raise SystemExit("no active facility: load facilities or run `python -m etl demo`")
    chosen = rng.sample(rows, min(count, len(rows)))
    return [_desk(engine, c, p, d, today) for c, p, d in chosen]


def open_session(engine: Engine, desk: Desk, today: dt.date) -> None:
    """Today's all-day session at the desk (a demo runs at any hour)."""
    desk.session_id = create_session(engine, SYSTEM, SOURCE, SessionPlan(
        facility_code=desk.facility_code, day=today, starts_at=dt.time(0, 0),
        ends_at=dt.time(23, 59), capacity=MAX_CAPACITY, vaccines=desk.vaccines,
        lots=desk.session_lots))
    desk.day = today


class Simulator:
    """One arrival at a time: `arrive` returns "dose" or the code of what stopped it."""

    def __init__(self, engine: Engine, desks: list[Desk], rng: random.Random, tz: str) -> None:
        self.engine, self.desks, self.rng, self.tz = engine, desks, rng, ZoneInfo(tz)
        self.taken: set[str] = set()

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz)

    def arrive(self) -> str:
        today = self.now().date()
        desk = self.rng.choice(self.desks)
        if desk.day != today or not desk.session_id:
            open_session(self.engine, desk, today)
        try:
            if desk.returning and self.rng.random() < RETURNING_SHARE:
                return self._returning(desk, today)
            return self._walk_in(desk, today)
        except OpsError as err:
            if "session.full" in err.codes().values():
                open_session(self.engine, desk, today)
            return err.problems[0].code

    def _walk_in(self, desk: Desk, today: dt.date) -> str:
        form = make_walk_in(self.rng, desk.home, today, self.taken)
        checkin = record_checkin(self.engine, SYSTEM, SOURCE, desk.session_id, form,
                                 lang="en", tz=str(self.tz))
        vaccine = self.rng.choice(desk.vaccines)
        return self._screen_and_inject(desk, checkin.checkin_id, form, form.priority_group,
                                       vaccine, DoseKind.PRIMARY, 1)

    def _returning(self, desk: Desk, today: dt.date) -> str:
        pid = self.rng.choice(desk.returning)
        matches = find_person(self.engine, SYSTEM, SOURCE, desk.facility_code, "id", pid)
        person = next((m for m in matches if m.registration_id), None)
        if person is None:
            return "sim.no_registration"
        due = next_due(person.history(), today, person.birth_date)
        options = [o.product for o in due.options if o.earliest <= today] if due else []
        vaccine = next((p for p in options if p in desk.vaccines), None)
        if due is None or vaccine is None:
            return "sim.not_due"
        booking = book(self.engine, SYSTEM, SOURCE, desk.session_id, person.person_id,
                       person.id_type, "REGISTERED", person.registration_id)
        form = PersonForm(person.id_type, person.person_id, person.birth_date, person.sex,
                          person.full_name, person.phone or "", person.province_code,
                          person.district_code, person.ward_code)
        checkin = record_checkin(self.engine, SYSTEM, SOURCE, desk.session_id, form, booking,
                                 lang="en", tz=str(self.tz))
        return self._screen_and_inject(desk, checkin.checkin_id, form, 0, vaccine,
                                       due.kind, due.number)

    def _screen_and_inject(self, desk: Desk, checkin_id: str, form: PersonForm,
                           group: int, vaccine: str, kind: DoseKind, number: int) -> str:
        at = self.now()
        rules = rule_set_for(at.date(), age_on(form.birth_date, at.date()))
        feverish = self.rng.random() < POSTPONE_SHARE
        vitals = {"temperature_c": round(self.rng.uniform(38.0, 39.2) if feverish
                                         else self.rng.uniform(36.0, 37.2), 1),
                  "pulse_per_min": self.rng.randrange(64, 96),
                  "bp_systolic_mmhg": self.rng.randrange(100, 136),
                  "bp_diastolic_mmhg": self.rng.randrange(62, 88)}
        screened = record_screening(self.engine, SYSTEM, SOURCE, checkin_id,
                                    {item.id: False for item in rules.items}, vitals,
                                    "POSTPONE" if feverish else "ELIGIBLE")
        if screened.final_decision not in (Outcome.ELIGIBLE, Outcome.CAUTION):
            return f"screening.{screened.final_decision.value}"
        record_injection(self.engine, SYSTEM, {
            "record_id": new_record_id(), "status": "COMPLETED", "person_id": form.person_id,
            "id_type": form.id_type, "full_name": form.full_name,
            "birth_date": form.birth_date.isoformat(), "sex": form.sex, "phone": form.phone,
            "priority_group": group, "province_code": form.province_code,
            "district_code": form.district_code, "ward_code": form.ward_code or "",
            "facility_code": desk.facility_code, "vaccine_code": vaccine,
            "lot_number": desk.dose_lot.get(vaccine, f"SIM-{vaccine}"), "dose_kind": kind.value,
            "dose_number": number, "administered_at": at.isoformat(timespec="seconds"),
            "vaccinator": ""}, "en", source=SOURCE, tz=str(self.tz))
        return "dose"


def simulate(engine: Engine, tz: str, *, rate: float = 60.0, minutes: float | None = None,
             doses: int | None = None, seed: int = 2021, facilities: int = 4,
             out: Callable[[str], None] = print, sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> Tally:
    """Run arrivals at `rate` doses a minute (0: no pause) until `minutes` pass, `doses`
    are recorded or Ctrl-C; one line a minute, and one at the end."""
    rng = random.Random(seed)
    today = dt.datetime.now(ZoneInfo(tz)).date()
    sim = Simulator(engine, pick_desks(engine, rng, facilities, today), rng, tz)
    out(f"simulating at {', '.join(d.facility_code for d in sim.desks)}; Ctrl-C stops")
    tally, start = Tally(), clock()
    end = start + minutes * 60 if minutes else float("inf")
    next_line, failures = start + 60, 0
    try:
        while doses is None or tally.doses < doses:
            # The next dose's slot; refusals take no slot, so the rate counts doses.
            slot = start + tally.doses * 60 / rate if rate > 0 else clock()
            if slot >= end or clock() >= end:
                break
            sleep(max(0.0, slot - clock()))
            result = sim.arrive()
            if result == "dose":
                tally.doses += 1
                tally.minute_doses += 1
                failures = 0
            else:
                tally.refuse(result)
                failures += 1
                if failures >= MAX_FAILURES_IN_A_ROW:
                    out(f"stopping: {failures} arrivals in a row refused")
                    break
            if clock() >= next_line:
                out(tally.line(sim.now().strftime("%H:%M"), tally.minute_doses,
                               tally.minute_refused))
                tally.minute_doses, tally.minute_refused = 0, Counter()
                next_line += 60
    except KeyboardInterrupt:
        pass
    out(tally.line("done", tally.doses, tally.refused))
    return tally


def start_in_background(settings: Settings, rate: float,
                        doses: int | None = None) -> threading.Thread | None:
    """`python app.py` with VX_SIMULATE=<doses a minute>: the simulator in a daemon thread of
    the app's own process, so it stops with the app (one Ctrl-C). Only on the embedded
    default (SQLite): a deployment runs `python -m etl simulate` on purpose, if ever."""
    if not settings.is_sqlite:
        log.warning("VX_SIMULATE is for the embedded SQLite default; ignored here")
        return None

    def run() -> None:
        engine = make_engine(settings)
        try:
            simulate(engine, settings.timezone, rate=rate, doses=doses, out=log.info)
        except (Exception, SystemExit):  # a thread's death is otherwise silent
            log.exception("simulator stopped")
        finally:
            engine.dispose()

    thread = threading.Thread(target=run, name="simulator", daemon=True)
    thread.start()
    return thread
