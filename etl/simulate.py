"""`python -m etl simulate`: a vaccination day at a few demo facilities, through the commands.

Acting as SYSTEM, the whole day of a desk, with the same data/ops/commands the forms and the
API use:
- stock: a facility whose warehouse holds no lot in date of a vaccine it gives receives one,
  as a stock_movements file loaded by the ETL (etl/simulate_stock.py); the session lists the
  lots held and in date;
- person after person, a returning person (vaccinated there before, next dose due) is booked,
  or a new walk-in taken; each is checked in, screened and given the dose the schedule
  proposes (give_dose, the lot first to expire first), so every dose bumps the data version
  and the wall's "doses today" rises;
- observation: once a dose's 30 minutes have passed the person is released; about one in 250
  has a mild reaction instead, which opens an AEFI report;
- closing: when the run ends or the day changes, each session is closed with its tally
  (vials opened: enough for the doses given, now and then one more), so ISSUE and open-vial
  WASTAGE movements leave the warehouse. A refusal is counted and logged, never fatal.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, or_, select

from data.auth.roles import SYSTEM
from data.catalog import VACCINE_BY_CODE
from data.command_errors import OpsError
from data.db import make_engine
from data.models.operational import Injection, StockMovement
from data.models.reference import Facility, Ward, Warehouse
from data.ops.commands.checkin import PersonForm, find_person, record_checkin
from data.ops.commands.closing import close_with_tally, session_tally
from data.ops.commands.give_dose import DoseChoice, give_dose
from data.ops.commands.injection import new_record_id
from data.ops.commands.observation import OBSERVATION, Reaction, record_reaction, release
from data.ops.commands.screening import age_on, record_screening
from data.ops.commands.sessions import MAX_CAPACITY, SessionPlan, book, create_session
from data.ops.rules.schedule import DoseKind, next_due
from data.ops.rules.screening import Outcome, rule_set_for
from data.ops.rules.vials import doses_per_vial
from data.settings import Settings
from etl.simulate_people import Residence, make_walk_in
from etl.simulate_stock import facility_warehouse, fresh_lots, receive_missing

SOURCE = "simulator"  # the audit log's source of every simulated act
RETURNING_SHARE = 0.3  # of arrivals, when the facility has earlier patients
POSTPONE_SHARE = 0.03  # of screenings: a fever, so the dose waits
REACTION_SHARE = 1 / 250  # of observations: a mild reaction, an AEFI report
EXTRA_VIAL_SHARE = 0.3  # of lots at closing: one vial more opened than the doses needed
FALLBACK_VACCINES = ("AZ", "PFZ", "MOD")  # when no stock movement names any vaccine
MAX_FAILURES_IN_A_ROW = 200  # a database that refuses everything: stop, do not spin
# What staff note of a mild reaction (AEFI contract: symptoms ';'-separated), in Vietnamese.
MILD_SYMPTOMS = ("Đau tại chỗ tiêm", "Sưng đỏ tại chỗ tiêm", "Sốt nhẹ", "Mệt mỏi",
                 "Đau đầu", "Chóng mặt", "Buồn nôn")
_FACILITY = Facility.__table__
_MOVES = StockMovement.__table__
_WARDS = Ward.__table__
_WAREHOUSES = Warehouse.__table__
_INJ = Injection.__table__
SITES = ("LEFT_ARM", "RIGHT_ARM")  # adults: the deltoid (INJECTION_SITES has thighs too)
log = logging.getLogger(__name__)


@dataclass
class Desk:
    """One facility's day: what it gives, from which warehouse, its sessions still open and
    its earlier patients."""

    facility_code: str
    home: Residence
    vaccines: tuple[str, ...]
    warehouse: str | None
    returning: list[str]
    session_id: str = ""
    day: dt.date | None = None
    open_sessions: list[str] = field(default_factory=list)  # to close at the day's end


@dataclass
class Watched:
    """A dose under observation: released (or a reaction) once its 30 minutes pass."""

    record_id: str
    administered_at: dt.datetime


@dataclass
class Tally:
    """What happened: doses, releases, reactions, closes and refusals by code, in total and
    this minute."""

    doses: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    minute_doses: int = 0
    minute_refused: Counter[str] = field(default_factory=Counter)
    released: int = 0
    reactions: int = 0
    closed: int = 0
    received: int = 0

    def refuse(self, code: str) -> None:
        self.refused[code] += 1
        self.minute_refused[code] += 1

    def line(self, label: str, doses: int, refused: Counter[str]) -> str:
        why = ", ".join(f"{c} {n}" for c, n in sorted(refused.items())) or "none"
        return (f"{label}: {doses} doses recorded (total {self.doses}); "
                f"released {self.released}, reactions {self.reactions}, "
                f"sessions closed {self.closed}; refused: {why}")


def _vaccines(engine: Engine, facility: str) -> tuple[str, ...]:
    """The vaccines the facility's stock movements name, else any movement's, else a few."""
    def named(where: object | None) -> set[str]:
        q = select(_MOVES.c.vaccine_code).distinct()
        if where is not None:
            q = q.where(where)
        with engine.connect() as conn:
            return {str(v) for v in conn.execute(q).scalars()}
    own = _WAREHOUSES.c.facility_code == facility
    mine = named(or_(_MOVES.c.warehouse_code.in_(select(_WAREHOUSES.c.code)
                                                  .where(own)),
                     _MOVES.c.warehouse_code == facility,
                     _MOVES.c.counterparty_code == facility))
    found = [v for v in sorted(mine or named(None)) if v in VACCINE_BY_CODE]
    return tuple(found) or FALLBACK_VACCINES


def _desk(engine: Engine, code: str, province: str, district: str) -> Desk:
    with engine.connect() as conn:
        wards = tuple(conn.execute(select(_WARDS.c.code).where(
            _WARDS.c.district_code == district).order_by(_WARDS.c.code)).scalars())
        returning = list(conn.execute(select(_INJ.c.person_id).where(
            _INJ.c.facility_code == code, _INJ.c.status == "COMPLETED").distinct()
            .order_by(_INJ.c.person_id).limit(500)).scalars())
    return Desk(code, Residence(province, district, wards), _vaccines(engine, code),
                facility_warehouse(engine, code), returning)


def pick_desks(engine: Engine, rng: random.Random, count: int) -> list[Desk]:
    """`count` active facilities with a warehouse of their own, drawn by the seeded
    generator (a dose needs a lot the facility holds)."""
    with engine.connect() as conn:
        rows = conn.execute(select(_FACILITY.c.code, _FACILITY.c.province_code,
                                   _FACILITY.c.district_code)
                            .where(_FACILITY.c.status == "ACTIVE",
                                   _FACILITY.c.code.in_(select(_WAREHOUSES.c.facility_code)))
                            .order_by(_FACILITY.c.code)).all()
    if not rows:
        raise SystemExit("no active facility with a warehouse: load facilities and "
                         "warehouses, or run `python -m etl demo`")
    chosen = rng.sample(rows, min(count, len(rows)))
    return [_desk(engine, c, p, d) for c, p, d in chosen]


class Simulator:
    """One arrival at a time: `arrive` returns "dose" or the code of what stopped it."""

    def __init__(self, settings: Settings, engine: Engine, desks: list[Desk],
                 rng: random.Random, tally: Tally, out: Callable[[str], None],
                 now: Callable[[], dt.datetime] | None = None,
                 reactions: float = REACTION_SHARE) -> None:
        self.settings, self.engine, self.desks, self.rng = settings, engine, desks, rng
        self.tz = ZoneInfo(settings.timezone)
        self.tally, self.out, self.reactions = tally, out, reactions
        self._now = now or (lambda: dt.datetime.now(self.tz))
        self.taken: set[str] = set()
        self.watched: list[Watched] = []  # administered order: the earliest is due first

    def now(self) -> dt.datetime:
        return self._now().astimezone(self.tz)

    def open_session(self, desk: Desk, today: dt.date) -> None:
        """Today's all-day session at the desk (a demo runs at any hour), listing the lots
        held and in date, after a delivery of what is missing."""
        if desk.warehouse is not None:
            self.tally.received += receive_missing(
                self.settings, self.engine, SOURCE,
                {desk.facility_code: (desk.warehouse, desk.vaccines)}, today)
        lots = tuple(lot.lot_number for lot in
                     fresh_lots(self.engine, desk.facility_code, desk.vaccines, today))
        desk.session_id = create_session(self.engine, SYSTEM, SOURCE, SessionPlan(
            facility_code=desk.facility_code, day=today, starts_at=dt.time(0, 0),
            ends_at=dt.time(23, 59), capacity=MAX_CAPACITY, vaccines=desk.vaccines,
            lots=lots))
        desk.open_sessions.append(desk.session_id)
        desk.day = today

    def arrive(self) -> str:
        today = self.now().date()
        desk = self.rng.choice(self.desks)
        if desk.day != today or not desk.session_id:
            self.close_desk(desk)  # yesterday's sessions, if the run went past midnight
            self.open_session(desk, today)
        try:
            if desk.returning and self.rng.random() < RETURNING_SHARE:
                return self._returning(desk, today)
            return self._walk_in(desk, today)
        except OpsError as err:
            if "session.full" in err.codes().values():
                self.open_session(desk, today)
            return err.problems[0].code

    def _walk_in(self, desk: Desk, today: dt.date) -> str:
        form = make_walk_in(self.rng, desk.home, today, self.taken)
        checkin = record_checkin(self.engine, SYSTEM, SOURCE, desk.session_id, form,
                                 lang="en", tz=str(self.tz))
        vaccine = self.rng.choice(desk.vaccines)
        return self._screen_and_inject(desk, checkin.checkin_id, form, vaccine,
                                       DoseKind.PRIMARY, 1)

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
        return self._screen_and_inject(desk, checkin.checkin_id, form, vaccine,
                                       due.kind, due.number)

    def _screen_and_inject(self, desk: Desk, checkin_id: str, form: PersonForm,
                           vaccine: str, kind: DoseKind, number: int) -> str:
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
        # First expiry first out, as the injection page suggests.
        lot = next((lot.lot_number for lot in fresh_lots(self.engine, desk.facility_code,
                                                          [vaccine], at.date())), "")
        if not lot:
            return "sim.no_lot"
        record_id = new_record_id()
        give_dose(self.engine, SYSTEM, DoseChoice(
            record_id=record_id, checkin_id=checkin_id, vaccine_code=vaccine, lot_number=lot,
            dose_kind=kind.value, dose_number=number,
            injection_site=self.rng.choice(SITES), administered_at=at),
            "en", source=SOURCE)
        self.watched.append(Watched(record_id, at))
        return "dose"

    def observe(self) -> None:
        """End the observation of every dose whose 30 minutes have passed: a release, or now
        and then a mild reaction and its AEFI report."""
        at = self.now()
        while self.watched and self.watched[0].administered_at + OBSERVATION <= at:
            dose = self.watched.pop(0)
            try:
                if self.rng.random() < self.reactions:
                    onset = dose.administered_at + dt.timedelta(
                        minutes=self.rng.randrange(5, 30))
                    symptoms = ";".join(self.rng.sample(MILD_SYMPTOMS, self.rng.randint(1, 3)))
                    record_reaction(self.engine, SYSTEM, SOURCE, dose.record_id,
                                    Reaction("MILD", symptoms, "RECOVERING", onset_at=onset),
                                    "en", tz=str(self.tz))
                    self.tally.reactions += 1
                else:
                    release(self.engine, SYSTEM, SOURCE, dose.record_id)
                    self.tally.released += 1
            except OpsError as err:
                self.tally.refuse(err.problems[0].code)

    def close_desk(self, desk: Desk) -> None:
        """Close the desk's open sessions with their tally: per lot the vials the doses
        needed, now and then one more (a vial opened and not finished: wastage)."""
        for session_id in desk.open_sessions:
            try:
                found = session_tally(self.engine, SYSTEM, session_id)
                vials = {}
                for lot in found.lots:
                    if lot.doses_given:
                        extra = self.rng.random() < EXTRA_VIAL_SHARE
                        vials[lot.lot_number] = math.ceil(
                            lot.doses_given / doses_per_vial(lot.vaccine_code)) + extra
                close_with_tally(self.engine, SYSTEM, session_id, vials, "en",
                                 source=SOURCE, tz=str(self.tz))
                self.tally.closed += 1
            except OpsError as err:
                code = err.problems[0].code
                self.out(f"session {session_id} at {desk.facility_code} not closed: {code}")
                self.tally.refuse(code)
        desk.open_sessions.clear()
        desk.session_id, desk.day = "", None

    def close_all(self) -> None:
        self.observe()
        for desk in self.desks:
            self.close_desk(desk)


def simulate(engine: Engine, tz: str, *, rate: float = 60.0, minutes: float | None = None,
             doses: int | None = None, seed: int = 2021, facilities: int = 4,
             out: Callable[[str], None] = print, sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic,
             now: Callable[[], dt.datetime] | None = None,
             reactions: float = REACTION_SHARE, settings: Settings | None = None) -> Tally:
    """Run arrivals at `rate` doses a minute (0: no pause) until `minutes` pass, `doses`
    are recorded or Ctrl-C, then close the sessions; one line a minute, and one at the end.
    `now` is the wall clock (doses, observation, the day), `clock` the pacing one."""
    rng = random.Random(seed)
    settings = settings or Settings(
        database_url=engine.url.render_as_string(hide_password=False), timezone=tz)
    tally = Tally()
    sim = Simulator(settings, engine, pick_desks(engine, rng, facilities), rng, tally, out,
                    now, reactions)
    out(f"simulating at {', '.join(d.facility_code for d in sim.desks)}; Ctrl-C stops")
    start = clock()
    end = start + minutes * 60 if minutes else float("inf")
    next_line, failures = start + 60, 0
    try:
        while doses is None or tally.doses < doses:
            # The next dose's slot; refusals take no slot, so the rate counts doses.
            slot = start + tally.doses * 60 / rate if rate > 0 else clock()
            if slot >= end or clock() >= end:
                break
            sleep(max(0.0, slot - clock()))
            sim.observe()
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
    try:
        sim.close_all()
    except KeyboardInterrupt:  # a second Ctrl-C: leave the sessions open
        out("closing interrupted; sessions left open")
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
            simulate(engine, settings.timezone, rate=rate, doses=doses, out=log.info,
                     settings=settings)
        except (Exception, SystemExit):  # a thread's death is otherwise silent
            log.exception("simulator stopped")
        finally:
            engine.dispose()

    thread = threading.Thread(target=run, name="simulator", daemon=True)
    thread.start()
    return thread
