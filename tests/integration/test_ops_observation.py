"""Observation after the injection, on each backend: the board of a facility (the day's doses
not yet released, across midnight too, in scope), the countdown's end, release (early only
with a reason, once), and a reaction, which opens an AEFI report through the AEFI file's
rules and loader, moving the facts, the data version and the audit with the observation row,
or nothing at all."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data.auth.roles import Forbidden, Grant, Principal, Role
from data.command_errors import OpsError
from data.ops.commands import observation as obs
from data.ops.commands.injection import record_injection
from data.ops.commands.observation import Reaction, record_reaction, release
from data.ops.observation_board import observation_board
from data.services import Services
from data.settings import Settings
from data.version import read_version
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, injection, scalar, write_csv
from tests.integration.test_rollups_recompute import _assert_rollups_match

TZ = "Asia/Ho_Chi_Minh"
STAFF = Principal(7, "staff", "Staff F00101",
                  (Grant(Role.FACILITY_STAFF, "FACILITY", "F00101", "01", "001"),))
OTHER = Principal(9, "other", "Staff F00201",
                  (Grant(Role.FACILITY_STAFF, "FACILITY", "F00201", "01", "002"),))
DISTRICT = Principal(10, "bd", "Ba Đình officer",
                     (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "001", "01", "001"),))


@pytest.fixture
def facilities(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """F00101 in Hà Nội, Ba Đình (001); F00201 in Hà Nội, Hoàn Kiếm (002)."""
    rows = [FACILITY, facility("F00201", district_code="002", ward_code="")]
    result = load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows))
    assert result.loaded == 2


def minutes_ago(minutes: float) -> dt.datetime:
    """A moment `minutes` before now, in whole seconds."""
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).replace(microsecond=0)


def give(engine: Engine, record_id: str, at: dt.datetime, person: str,
         **over: Any) -> None:
    """A dose recorded through the write path at `at` (UTC), by the system."""
    row = injection(record_id, person_id=person, administered_at=at.isoformat(), **over)
    assert record_injection(engine, STAFF if row["facility_code"] == "F00101" else OTHER,
                            row, "en").outcome == "loaded"


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TZ)).date()


def _count(engine: Engine, sql: str, **params: Any) -> int:
    return int(scalar(engine, sql, **params))


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return read_version(conn)


@pytest.fixture
def day(engine: Engine, facilities: None) -> dict[str, dt.datetime]:
    """Doses of the last hour (the board carries them across midnight in Vietnam)."""
    when = {"A": minutes_ago(40), "B": minutes_ago(5), "C": minutes_ago(12)}
    give(engine, "A", when["A"], "001090000001")
    give(engine, "B", when["B"], "001090000002", full_name="Trần Thị Bình", sex="F")
    give(engine, "C", when["C"], "001090000003", facility_code="F00201")
    return when


def _board(engine: Engine, who: Principal = STAFF, facility_code: str = "F00101") -> list:
    return observation_board(engine, who, facility_code, TZ)


def test_the_board_lists_todays_doses_of_the_facility_with_their_release_time(
        engine: Engine, day: dict[str, dt.datetime]) -> None:
    board = _board(engine)
    assert [(p.record_id, p.full_name, p.vaccine_code, p.dose_kind, p.dose_number)
            for p in board] == [("A", "Nguyễn Văn An", "AZ", "PRIMARY", 1),
                                ("B", "Trần Thị Bình", "AZ", "PRIMARY", 1)]
    # The countdown ends 30 minutes after the injection.
    assert [p.release_at for p in board] == [day["A"] + dt.timedelta(minutes=30),
                                            day["B"] + dt.timedelta(minutes=30)]
    assert [p.administered_at for p in board] == [day["A"], day["B"]]
    # Another day's board is empty; the district officer sees the facility's board.
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    assert observation_board(engine, STAFF, "F00101", TZ, yesterday) == []
    assert [p.record_id for p in _board(engine, DISTRICT)] == ["A", "B"]


def test_a_dose_given_before_midnight_stays_on_the_board_after_it(
        engine: Engine, facilities: None) -> None:
    local = ZoneInfo(TZ)
    midnight = dt.datetime.combine(_today() - dt.timedelta(days=2), dt.time(0, 0), local)
    give(engine, "LATE", midnight - dt.timedelta(minutes=20), "001090000004")
    give(engine, "NOON", midnight - dt.timedelta(hours=12), "001090000005")

    def board_at(at: dt.datetime) -> list[str]:
        return [p.record_id for p in observation_board(engine, STAFF, "F00101", TZ, at)]

    # Ten minutes into the new day: the person given a dose at 23:40 is still waiting; the
    # morning's dose, unreleased, is not carried (more than 4 hours old).
    assert board_at(midnight + dt.timedelta(minutes=10)) == ["LATE"]
    assert board_at(midnight - dt.timedelta(minutes=5)) == ["NOON", "LATE"]
    # Later that day the carry has run out; nothing is listed before it was given.
    assert board_at(midnight + dt.timedelta(hours=5)) == []
    assert board_at(midnight - dt.timedelta(minutes=30)) == ["NOON"]


def test_the_board_is_scoped(engine: Engine, day: dict[str, dt.datetime]) -> None:
    with pytest.raises(Forbidden):
        _board(engine, OTHER, "F00101")
    assert [p.record_id for p in _board(engine, OTHER, "F00201")] == ["C"]
    with pytest.raises(OpsError) as err:
        _board(engine, STAFF, "F99999")
    assert err.value.codes() == {"facility_code": "session.facility_unknown"}


def test_release_after_30_minutes_leaves_the_board_and_is_audited(
        engine: Engine, day: dict[str, dt.datetime]) -> None:
    before = _version(engine)
    done = release(engine, STAFF, "10.0.0.7", "A")
    assert (done.record_id, done.outcome, done.aefi_report_id) == ("A", "RELEASED", None)
    assert [p.record_id for p in _board(engine)] == ["B"]
    with engine.connect() as conn:
        row = conn.execute(text("SELECT outcome, facility_code, released_by, note "
                                "FROM vax_observation WHERE record_id = 'A'")).one()
        entry = conn.execute(text("SELECT username, source, action, record_key, after "
                                  "FROM audit_log WHERE table_name = 'vax_observation'")).one()
    assert tuple(row) == ("RELEASED", "F00101", 7, None)
    assert entry[:4] == ("staff", "10.0.0.7", "CREATE", "A")
    after = entry[4] if isinstance(entry[4], dict) else json.loads(entry[4])
    assert after == {"outcome": "RELEASED", "facility_code": "F00101", "early": False}
    assert _version(engine) == before  # no fact changed


def test_an_early_release_needs_a_reason(engine: Engine, day: dict[str, dt.datetime]) -> None:
    for reason in (None, "", "   "):
        with pytest.raises(OpsError) as err:
            release(engine, STAFF, None, "B", reason)
        assert err.value.codes() == {"early_reason": obs.EARLY_REASON}
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation") == 0
    with pytest.raises(OpsError) as err:
        release(engine, STAFF, None, "B", "x" * (obs.MAX_NOTE + 1))
    assert err.value.codes() == {"early_reason": obs.NOTE_INVALID}
    release(engine, STAFF, None, "B", " Về sớm: người nhà đón, đã dặn theo dõi tại nhà ")
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation WHERE note = "
                  "'Về sớm: người nhà đón, đã dặn theo dõi tại nhà'") == 1


def test_a_second_release_is_refused_clearly(engine: Engine,
                                             day: dict[str, dt.datetime]) -> None:
    release(engine, STAFF, None, "A")
    with pytest.raises(OpsError) as err:
        release(engine, STAFF, None, "A")
    assert err.value.codes() == {"record_id": obs.ALREADY_CLOSED}
    with pytest.raises(OpsError) as err:
        record_reaction(engine, STAFF, None, "A", Reaction("MILD", "sốt"), "vi", TZ)
    assert err.value.codes() == {"record_id": obs.ALREADY_CLOSED}
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation") == 1
    assert _count(engine, "SELECT COUNT(*) FROM aefi_report") == 0


def test_scope_and_unknown_doses(engine: Engine, day: dict[str, dt.datetime]) -> None:
    with pytest.raises(Forbidden):
        release(engine, OTHER, None, "A")
    with pytest.raises(Forbidden):
        record_reaction(engine, OTHER, None, "A", Reaction("MILD", "sốt"), "vi", TZ)
    for bad in ("NOPE", "", "A\x00", "x" * 65):
        with pytest.raises(OpsError) as err:
            release(engine, STAFF, None, bad, "reason")
        assert err.value.codes() == {"record_id": obs.UNKNOWN_DOSE}
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation") == 0


def test_a_reaction_opens_an_aefi_report_of_the_dose(
        services: Services, engine: Engine,
        day: dict[str, dt.datetime]) -> None:
    before = _version(engine)
    onset = minutes_ago(2)
    done = record_reaction(services, STAFF, "10.0.0.7", "B", Reaction(
        "serious", "Khó thở; nổi mề đay", "RECOVERING", "hospitalisation", onset), "vi")
    assert done.outcome == "REACTION" and done.aefi_report_id is not None
    rid = done.aefi_report_id
    assert [p.record_id for p in _board(engine)] == ["A"]
    with engine.connect() as conn:
        report = conn.execute(text(
            "SELECT record_id, facility_code, severity, seriousness, symptoms, outcome, onset_at "
            "FROM aefi_report WHERE report_id = :r"), {"r": rid}).one()
        fact = conn.execute(text(
            "SELECT f.record_id, f.severity, f.is_serious, f.lot_number, f.onset_date_key, "
            "f.vaccine_key = i.vaccine_key, f.dose_key = i.dose_key, f.geo_key = i.geo_key "
            "FROM fct_aefi f JOIN fct_injection i ON i.record_id = f.record_id "
            "WHERE f.report_id = :r"), {"r": rid}).one()
        link = conn.execute(text("SELECT outcome, aefi_report_id FROM vax_observation "
                                 "WHERE record_id = 'B'")).one()
        audits = conn.execute(text("SELECT table_name, record_key FROM audit_log "
                                   "WHERE table_name IN ('vax_observation', 'aefi_report') "
                                   "ORDER BY table_name")).all()
    assert report[:6] == ("B", "F00101", "SERIOUS", "HOSPITALISATION", "Khó thở; nổi mề đay",
                          "RECOVERING")
    stored_onset = pd.Timestamp(report[6])  # SQLite: naive UTC text
    assert (stored_onset if stored_onset.tzinfo else stored_onset.tz_localize("UTC")) == onset
    local = onset.astimezone(ZoneInfo(TZ)).date()
    assert fact == ("B", "SERIOUS", True, "AZ2108A",
                    local.year * 10000 + local.month * 100 + local.day, True, True, True)
    assert tuple(link) == ("REACTION", rid)
    assert [tuple(a) for a in audits] == [("aefi_report", rid), ("vax_observation", "B")]
    assert _version(engine) == before + 1
    _assert_rollups_match(engine)  # no rollup moved, and all still equal a recomputation
    # The command center's AEFI data shows it, as a report from a file.
    from data.mcc import aefi
    cases = aefi.case_list(services, STAFF, as_of=_today())
    assert cases["report_id"].tolist() == [rid]
    assert cases.iloc[0]["facility_code"] == "F00101"
    assert cases.iloc[0]["full_name"] == "Trần Thị Bình"  # in scope: the facility's staff
    assert aefi.reported_on(services, _today())[["vaccine_code", "severity", "cases"]] \
        .values.tolist() == [["AZ", "SERIOUS", 1]]


def test_a_refused_report_writes_nothing(services: Services, engine: Engine,
                                         day: dict[str, dt.datetime]) -> None:
    before = _version(engine)
    cases = [
        (Reaction("SERIOUS", "sốc phản vệ"), {"seriousness": "seriousness_required"}),
        (Reaction("BAD", "sốt"), {"severity": "bad_choice"}),
        (Reaction("MILD", ""), {"symptoms": "required"}),
        (Reaction("MILD", "sốt", onset_at=minutes_ago(60)),
         {"onset_at": "onset_before_injection"}),
        (Reaction("MILD", "sốt", onset_at=minutes_ago(-30)),
         {"onset_at": "future", "reported_at": "reported_before_onset"}),
        (Reaction("MILD", "sốt\x00"), {"symptoms": "bad_char"}),
    ]
    for reaction, codes in cases:
        with pytest.raises(OpsError) as err:
            record_reaction(services, STAFF, None, "B", reaction, "en")
        assert err.value.codes() == codes
        assert all(p.detail for p in err.value.problems)  # worded as the reject report
    assert _count(engine, "SELECT COUNT(*) FROM vax_observation") == 0
    assert _count(engine, "SELECT COUNT(*) FROM aefi_report") == 0
    assert _count(engine, "SELECT COUNT(*) FROM fct_aefi") == 0
    assert _version(engine) == before


def test_a_failure_after_the_observation_row_rolls_back_everything(
        services: Services, engine: Engine, day: dict[str, dt.datetime],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader failing mid-way (after the observation row and audit are written) leaves
    no observation row, no report, no fact, no audit and the same version."""
    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk full")

    before = _version(engine)
    monkeypatch.setattr(obs, "bump_version", broken)
    with pytest.raises(RuntimeError):
        record_reaction(services, STAFF, None, "B", Reaction("MILD", "sốt"), "vi")
    for table in ("vax_observation", "aefi_report", "fct_aefi"):
        assert _count(engine, f"SELECT COUNT(*) FROM {table}") == 0, table
    assert _count(engine, "SELECT COUNT(*) FROM audit_log WHERE table_name IN "
                  "('vax_observation', 'aefi_report')") == 0
    assert _version(engine) == before
    monkeypatch.undo()
    record_reaction(services, STAFF, None, "B", Reaction("MILD", "sốt"), "vi")
    assert _count(engine, "SELECT COUNT(*) FROM fct_aefi") == 1
