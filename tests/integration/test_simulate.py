"""`python -m etl simulate` on each backend: the whole day goes through the commands. A fresh
lot is received where none is in date, every dose is given with give_dose (vax_injection,
injection, the rollups, "doses today", the data version), observations end in a release or a
reaction with its AEFI report once 30 minutes pass, and the sessions close with a tally whose
ISSUE and WASTAGE movements leave the warehouse; the rollups still equal a recomputation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select, text

import data.ops.commands.observation as observation
from data.auth.roles import SYSTEM
from data.command_errors import OpsError
from data.models.ops import VaxSession
from data.ops.commands.injection import record_injection
from data.settings import Settings
from data.version import read_version
from etl import simulate as simulate_module
from etl.__main__ import main
from etl.pipeline import load_file
from etl.simulate import MILD_SYMPTOMS, simulate, start_in_background
from tests.factories import FACILITY, facility, injection, movement, scalar, warehouse, write_csv
from tests.integration.ops_setup import PERSON, registration
from tests.integration.test_rollups_recompute import _assert_rollups_match, _doses

TZ = "Asia/Ho_Chi_Minh"
FRESH_LOT = "PF2699Z"
SESSIONS = VaxSession.__table__


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """Two facilities (Ba Đình, Quận 1), each with its own warehouse; F00101's holds an
    expired AZ lot and an unexpired Pfizer lot, Quận 1's nothing, the province's an expired
    AZ lot; Nguyễn Văn An, registered, had his first AZ dose at F00101."""
    def load(kind: str, rows: list[dict[str, object]]) -> None:
        result = load_file(settings, engine, kind, write_csv(tmp_path / f"{kind}.csv", rows))
        assert result.rejected == 0, result

    load("facilities", [FACILITY, facility("F76001", province_code="79", district_code="760",
                                           ward_code="")])
    load("warehouses", [
        warehouse("W1"),
        warehouse("WF00101", level="FACILITY", district_code="001", facility_code="F00101"),
        warehouse("WF76001", level="FACILITY", province_code="79", district_code="760",
                  facility_code="F76001")])
    later = dt.date.today() + dt.timedelta(days=365)
    load("stock_movements", [
        movement("M1", warehouse_code="WF00101", lot_number="AZ2108A", doses=500,
                 expiry_date="2022-06-30"),
        movement("M2", warehouse_code="WF00101", vaccine_code="PFZ", lot_number=FRESH_LOT,
                 doses=500, expiry_date=later.isoformat()),
        movement("M3", warehouse_code="W1", lot_number="AZ2110B", doses=500,
                 expiry_date="2022-09-30")])
    registration(engine, "R1")
    assert record_injection(engine, SYSTEM, injection("OLD-1"), "vi").outcome == "loaded"


def _today_key() -> int:
    today = dt.datetime.now(ZoneInfo(TZ)).date()
    return today.year * 10000 + today.month * 100 + today.day


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_version(conn)


def _count(engine: Engine, sql: str) -> int:
    return int(scalar(engine, sql))


@pytest.mark.usefixtures("campaign")
def test_simulated_day_gives_doses_receives_stock_and_closes(
    settings: Settings, engine: Engine,
) -> None:
    version = _version(engine)
    today_before = _count(engine, f"SELECT COALESCE(SUM(doses), 0) FROM agg_doses_daily "
                                  f"WHERE date_key = {_today_key()}")
    lines: list[str] = []
    tally = simulate(engine, TZ, rate=0, doses=40, seed=7, facilities=2, out=lines.append,
                     settings=settings)
    assert tally.doses == 40
    assert _count(engine, "SELECT COUNT(*) FROM injection WHERE record_id LIKE 'F-%'") == 40
    # Every dose went through give_dose: its vax_injection row, at an arm.
    assert _count(engine, "SELECT COUNT(*) FROM vax_injection WHERE injection_site "
                          "IN ('LEFT_ARM', 'RIGHT_ARM')") == 40
    assert _doses(engine) == 41  # and the earlier dose
    assert _count(engine, f"SELECT SUM(doses) FROM agg_doses_daily "
                          f"WHERE date_key = {_today_key()}") == today_before + 40
    # One bump a dose, one a close, one a stock file (F00101 lacked AZ, F76001 all); none
    # for screenings, check-ins or releases.
    assert tally.closed == 2
    assert _version(engine) == version + 40 + 2 + 2
    _assert_rollups_match(engine)
    # Everyone dosed was checked in and screened; a postponed person was screened only.
    postponed = tally.refused["screening.POSTPONE"]
    assert _count(engine, "SELECT COUNT(*) FROM vax_screening") == 40 + postponed
    assert _count(engine, "SELECT COUNT(*) FROM vax_checkin") == 40 + postponed
    assert _count(engine, "SELECT COUNT(*) FROM vax_session WHERE status = 'CLOSED'") == 2
    # Fresh lots were received where none was in date (the expired AZ lot is not one), as
    # a stock file: F00101 an AZ lot, F76001 one of each vaccine the campaign names.
    sim_az = f"SIM-AZ-{dt.datetime.now(ZoneInfo(TZ)).date():%Y%m%d}"
    assert _count(engine, "SELECT COUNT(*) FROM stock_movement WHERE movement_type = "
                          "'RECEIPT' AND lot_number LIKE 'SIM-%'") == 3
    # Sessions list the lots held and in date, first expiry first.
    with engine.connect() as conn:
        lots = conn.execute(select(SESSIONS.c.lots).where(
            SESSIONS.c.facility_code == "F00101")).scalar_one()
    assert lots == [sim_az, FRESH_LOT]
    # The closing tally: every dose issued, vials enough for them, the rest open-vial waste.
    tallied = _count(engine, "SELECT SUM(doses_given) FROM vax_session_tally")
    assert tallied == 40
    assert _count(engine, "SELECT COUNT(*) FROM vax_session_tally WHERE doses_wasted != "
                          "vials_opened * doses_per_vial - doses_given "
                          "OR vials_opened * doses_per_vial < doses_given") == 0
    assert _count(engine, "SELECT SUM(doses) FROM stock_movement "
                          "WHERE movement_type = 'ISSUE'") == 40
    wasted = _count(engine, "SELECT SUM(doses_wasted) FROM vax_session_tally")
    assert wasted > 0
    assert _count(engine, "SELECT SUM(doses) FROM stock_movement WHERE movement_type = "
                          "'WASTAGE' AND reason = 'OPEN_VIAL'") == wasted
    # The returning man came back for his second primary dose, booked as registered.
    assert _count(engine, f"SELECT COUNT(*) FROM injection WHERE person_id = '{PERSON}' "
                          "AND dose_kind = 'PRIMARY' AND dose_number = 2") == 1
    assert _count(engine, "SELECT COUNT(*) FROM vax_booking WHERE source = 'REGISTERED'") == 1
    # Walk-ins are new people, each given a first dose.
    assert _count(engine, "SELECT COUNT(DISTINCT person_id) FROM injection "
                          "WHERE record_id LIKE 'F-%' AND dose_number = 1") == 39
    assert lines[-1].startswith("done: 40 doses recorded (total 40); released 0, "
                                "reactions 0, sessions closed 2")


@pytest.mark.usefixtures("campaign")
def test_observation_ends_after_30_minutes_in_releases_and_reactions(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A fake clock for pacing and for the wall: 35 simulated minutes from 08:00 yesterday, so
    # no dose is in the future and the run never crosses a Vietnamese midnight (started 40
    # real minutes ago, it did when the suite ran between 00:00 and 00:40 in Hà Nội); the
    # observation commands read the same wall.
    ticks = [0.0]
    base = dt.datetime.combine(dt.datetime.now(ZoneInfo(TZ)).date() - dt.timedelta(days=1),
                               dt.time(8), tzinfo=ZoneInfo(TZ))

    def wall() -> dt.datetime:
        return base + dt.timedelta(seconds=ticks[0])

    def sleep(seconds: float) -> None:
        ticks[0] += seconds

    monkeypatch.setattr(observation, "now", wall)
    tally = simulate(engine, TZ, rate=2, minutes=35, seed=11, facilities=2, out=[].append,
                     sleep=sleep, clock=lambda: ticks[0], now=wall, reactions=0.25,
                     settings=settings)
    assert tally.doses == 70  # one every 30 s for 35 min
    # Observation ended for exactly the doses given 30 minutes or more before the end.
    ended = wall() - dt.timedelta(minutes=30)
    with engine.connect() as conn:
        given = [at if at.tzinfo else at.replace(tzinfo=dt.UTC) for at in conn.execute(
            select(observation.INJECTIONS.c.administered_at).where(
                observation.INJECTIONS.c.record_id.like("F-%"))).scalars()]
    due = sum(at <= ended for at in given)
    assert due == 10  # doses at 0 s .. 270 s; the run ends at 2070 s
    assert tally.released + tally.reactions == due
    assert tally.reactions > 0 and tally.released > 0  # seeded
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation "
                          "WHERE outcome = 'RELEASED'") == tally.released
    # Each reaction opened a mild AEFI report of its dose, in Vietnamese.
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation o JOIN aefi_report a "
                          "ON a.report_id = o.aefi_report_id AND a.record_id = o.record_id "
                          "WHERE o.outcome = 'REACTION' AND a.severity = 'MILD'") \
        == tally.reactions
    assert _count(engine, "SELECT COUNT(*) FROM fct_aefi") == tally.reactions
    with engine.connect() as conn:
        noted = conn.execute(text("SELECT symptoms FROM aefi_report")).scalars().all()
    assert len(noted) == tally.reactions
    assert all(set(n.split(";")) <= set(MILD_SYMPTOMS) for n in noted)  # Vietnamese words
    assert tally.closed == 2
    _assert_rollups_match(engine)


@pytest.mark.usefixtures("campaign")
def test_rate_paces_doses_and_reports_each_minute(engine: Engine) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:  # a fake clock: the run takes no real time
        now[0] += seconds

    lines: list[str] = []
    tally = simulate(engine, TZ, rate=6, minutes=2, seed=3, facilities=2, out=lines.append,
                     sleep=sleep, clock=lambda: now[0])
    assert tally.doses == 12  # one every 10 s for 120 s
    minute = [line for line in lines[1:-1] if "doses recorded" in line]
    assert len(minute) == 1 and ": 7 doses recorded (total 7)" in minute[0]  # 0 s..60 s
    assert _count(engine, "SELECT COUNT(*) FROM injection WHERE record_id LIKE 'F-%'") == 12


@pytest.mark.usefixtures("campaign")
def test_command_line_runs_a_bounded_simulation(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert main(["simulate", "--rate", "0", "--doses", "5", "--seed", "1"]) == 0
    assert "done: 5 doses recorded" in capsys.readouterr().out
    assert _count(engine, "SELECT COUNT(*) FROM injection WHERE record_id LIKE 'F-%'") == 5


@pytest.mark.usefixtures("campaign")
def test_app_thread_runs_on_the_embedded_default_only(settings: Settings, engine: Engine) -> None:
    thread = start_in_background(settings, rate=0, doses=3)
    if not settings.is_sqlite:
        assert thread is None  # a deployment runs `python -m etl simulate` on purpose
        return
    assert thread is not None and thread.daemon  # it dies with the app
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert _count(engine, "SELECT COUNT(*) FROM injection WHERE record_id LIKE 'F-%'") == 3


@pytest.mark.usefixtures("campaign")
def test_a_refused_close_is_logged_and_counted_not_fatal(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OpsError.one("session_id", "close.no_warehouse", "F00101")

    monkeypatch.setattr(simulate_module, "close_with_tally", refuse)
    lines: list[str] = []
    tally = simulate(engine, TZ, rate=0, doses=4, seed=7, facilities=2, out=lines.append,
                     settings=settings)
    assert tally.doses == 4 and tally.closed == 0
    assert tally.refused["close.no_warehouse"] == 2  # one a session, and the run ended
    assert sum("not closed: close.no_warehouse" in line for line in lines) == 2
    assert "close.no_warehouse 2" in lines[-1]
    assert _count(engine, "SELECT COUNT(*) FROM vax_session WHERE status = 'OPEN'") == 2


@pytest.mark.usefixtures("campaign")
def test_the_day_changing_closes_its_sessions_and_opens_the_next(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 20 simulated minutes across a midnight that has passed (so no dose is in the future).
    ticks = [0.0]
    midnight = dt.datetime.combine(dt.datetime.now(ZoneInfo(TZ)).date() - dt.timedelta(days=1),
                                   dt.time(0, 0), tzinfo=ZoneInfo(TZ))
    base = midnight - dt.timedelta(minutes=10)

    def wall() -> dt.datetime:
        return base + dt.timedelta(seconds=ticks[0])

    def sleep(seconds: float) -> None:
        ticks[0] += seconds

    monkeypatch.setattr(observation, "now", wall)
    tally = simulate(engine, TZ, rate=2, minutes=20, seed=5, facilities=2, out=[].append,
                     sleep=sleep, clock=lambda: ticks[0], now=wall, settings=settings)
    assert tally.doses == 40
    days = [midnight.date() - dt.timedelta(days=1), midnight.date()]
    with engine.connect() as conn:
        sessions = conn.execute(select(SESSIONS.c.day, SESSIONS.c.status)
                                .order_by(SESSIONS.c.day)).all()
    assert sorted({d for d, _ in sessions}) == days
    assert {s for _, s in sessions} == {"CLOSED"}
    assert tally.closed == len(sessions) >= 3  # each desk's evening session, then the next
    # The evening sessions closed when the day changed, while the next day's doses went on.
    closed_evening = _count(engine, f"""SELECT MAX(a.id) FROM audit_log a
        JOIN vax_session s ON s.session_id = a.record_key
        WHERE a.action = 'CLOSE' AND s.day = '{days[0].isoformat()}'""")
    assert closed_evening < _count(engine, "SELECT MAX(id) FROM audit_log "
                                           "WHERE action = 'INJECT'")
    # Each day's doses were issued by that day's sessions, none twice.
    assert _count(engine, "SELECT SUM(doses_given) FROM vax_session_tally") == 40
    assert _count(engine, "SELECT SUM(doses) FROM stock_movement "
                          "WHERE movement_type = 'ISSUE'") == 40
    _assert_rollups_match(engine)
