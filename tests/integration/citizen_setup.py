"""Doses for the citizen services' tests: a person with a dose `days` ago at F00101 (Hà Nội,
Ba Đình), loaded through the staff command as a session's dose would be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from data.auth.roles import Grant, Principal, Role
from data.ops.commands.injection import record_injection
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, injection, write_csv

TZ = "Asia/Ho_Chi_Minh"
PERSON = "001090000001"
NAME = "Nguyễn Văn An"
DOB = dt.date(1990, 1, 2)
STAFF = Principal(7, "staff", "Nguyễn Thị Y tá",
                  (Grant(Role.FACILITY_STAFF, "FACILITY", "F00101", "01", "001"),))


def facilities(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [FACILITY, facility("F00201", district_code="002", ward_code="")]
    assert load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", rows)
                     ).loaded == 2


def dose_days_ago(engine: Engine, record_id: str, days: int, person: str = PERSON,
                  **over: object) -> dt.datetime:
    """A dose given at 09:00 local time `days` days ago (local dates)."""
    today = dt.datetime.now(ZoneInfo(TZ)).date()
    at = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(9, 0), ZoneInfo(TZ))
    if days == 0:
        at = min(at, dt.datetime.now(ZoneInfo(TZ)) - dt.timedelta(minutes=5))
    row = injection(record_id, person_id=person, full_name=NAME, birth_date=DOB.isoformat(),
                    administered_at=at.isoformat(), **over)
    assert record_injection(engine, STAFF, row, "en").outcome == "loaded"
    return at


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TZ)).date()
