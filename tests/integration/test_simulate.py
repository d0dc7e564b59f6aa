"""`python -m etl simulate` on each backend: every simulated dose goes through the commands,
so it lands in injection and the rollups, moves "doses today" and the data version, and the
rollups still equal a recomputation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, insert, select

from data.auth.roles import SYSTEM
from data.db import unit_of_work
from data.models.operational import StockMovement
from data.models.ops import VaxSession
from data.ops.commands.injection import record_injection
from data.settings import Settings
from data.version import read_version
from etl.__main__ import main
from etl.pipeline import load_file
from etl.simulate import simulate, start_in_background
from tests.factories import FACILITY, facility, injection, scalar, write_csv
from tests.integration.ops_setup import PERSON, registration
from tests.integration.test_rollups_recompute import _assert_rollups_match, _doses

TZ = "Asia/Ho_Chi_Minh"
FRESH_LOT = "PF2699Z"
SESSIONS = VaxSession.__table__


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """Two facilities (Ba Đình, Quận 1); F00101 holds AZ and an unexpired Pfizer lot, the
    national store an AZ lot; Nguyễn Văn An, registered, had his first AZ dose at F00101."""
    rows = [FACILITY, facility("F76001", province_code="79", district_code="760",
                               ward_code="")]
    loaded = load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows))
    assert loaded.loaded == 2
    later = dt.date.today() + dt.timedelta(days=365)
    with unit_of_work(engine) as conn:
        conn.execute(insert(StockMovement.__table__), [
            {"movement_id": f"M{i}", "occurred_at": dt.datetime(2021, 9, 1, tzinfo=dt.UTC),
             "warehouse_code": where, "movement_type": "RECEIPT", "counterparty_code": None,
             "vaccine_code": vaccine, "lot_number": lot, "expiry_date": expiry,
             "doses": 500, "reason": None, "row_hash": i}
            for i, (where, vaccine, lot, expiry) in enumerate([
                ("F00101", "AZ", "AZ2108A", dt.date(2022, 6, 30)),
                ("F00101", "PFZ", FRESH_LOT, later),
                ("W1", "AZ", "AZ2110B", dt.date(2022, 9, 30))])])
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
def test_simulated_doses_reach_injection_rollups_today_and_the_version(engine: Engine) -> None:
    version = _version(engine)
    today_before = _count(engine, f"SELECT COALESCE(SUM(doses), 0) FROM agg_doses_daily "
                                  f"WHERE date_key = {_today_key()}")
    lines: list[str] = []
    tally = simulate(engine, TZ, rate=0, doses=40, seed=7, facilities=2, out=lines.append)
    assert tally.doses == 40
    assert _count(engine, "SELECT COUNT(*) FROM injection WHERE record_id LIKE 'F-%'") == 40
    assert _doses(engine) == 41  # and the earlier dose
    assert _count(engine, f"SELECT SUM(doses) FROM agg_doses_daily "
                          f"WHERE date_key = {_today_key()}") == today_before + 40
    assert _version(engine) == version + 40  # one bump a dose, none for the rest
    _assert_rollups_match(engine)
    # Everyone dosed was checked in and screened; a postponed person was screened only.
    postponed = tally.refused["screening.POSTPONE"]
    assert _count(engine, "SELECT COUNT(*) FROM vax_screening") == 40 + postponed
    assert _count(engine, "SELECT COUNT(*) FROM vax_checkin") == 40 + postponed
    assert _count(engine, "SELECT COUNT(*) FROM vax_session") == 2
    # Sessions list the lots not expired today: only F00101's Pfizer lot qualifies.
    with engine.connect() as conn:
        lots = conn.execute(select(SESSIONS.c.lots).where(
            SESSIONS.c.facility_code == "F00101")).scalar_one()
    assert lots == [FRESH_LOT]
    # The returning man came back for his second primary dose, booked as registered.
    assert _count(engine, f"SELECT COUNT(*) FROM injection WHERE person_id = '{PERSON}' "
                          "AND dose_kind = 'PRIMARY' AND dose_number = 2") == 1
    assert _count(engine, "SELECT COUNT(*) FROM vax_booking WHERE source = 'REGISTERED'") == 1
    # Walk-ins are new people, each given a first dose.
    assert _count(engine, "SELECT COUNT(DISTINCT person_id) FROM injection "
                          "WHERE record_id LIKE 'F-%' AND dose_number = 1") == 39
    assert lines[-1].startswith("done: 40 doses recorded (total 40)")


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
