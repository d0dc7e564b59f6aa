"""The commands read a usual dose or registration by the one-row path (kinds/*_row.py), on
each backend: the column path, which costs several times more per row, is not run then. A
refused one still goes through the column path, which words the refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from data.auth.roles import SYSTEM
from data.command_errors import OpsError
from data.db import unit_of_work
from data.interchange.kinds import injections, registrations
from data.ops.commands.injection import record_injection
from data.registrations import write_registration
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, write_csv

TZ = "Asia/Ho_Chi_Minh"
REGISTRATION = {
    "registration_id": "P-ONE-ROW", "person_id": "001090054321", "id_type": "CCCD",
    "full_name": "Trần Thị Bình", "birth_date": "1990-01-02", "sex": "F",
    "phone": "0912345678", "priority_group": "3", "province_code": "01",
    "district_code": "001", "ward_code": "00001", "address": None, "organisation": None,
    "registered_at": "2021-07-01T10:00:00+07:00",
}


def _forbid(monkeypatch: pytest.MonkeyPatch, kind: object) -> list[int]:
    """Count the calls of `kind.transform` (the column path), which still runs."""
    calls: list[int] = []
    real = kind.transform  # type: ignore[attr-defined]

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(kind, "transform", counted)
    return calls


@pytest.fixture
def facility(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", [FACILITY])).loaded == 1


@pytest.mark.usefixtures("facility")
def test_a_usual_dose_skips_the_column_path(engine: Engine,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _forbid(monkeypatch, injections)
    assert record_injection(engine, SYSTEM, injection("ONE-1"), "vi").outcome == "loaded"
    assert calls == []
    with pytest.raises(OpsError) as err:
        record_injection(engine, SYSTEM, injection("ONE-2", dose_number="9"), "en")
    assert calls == [1] and set(err.value.codes()) == {"dose_number"}


def test_a_usual_registration_skips_the_column_path(engine: Engine,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _forbid(monkeypatch, registrations)
    with unit_of_work(engine) as conn:
        rows = write_registration(conn, REGISTRATION, "vi", TZ)
    assert calls == [] and rows.column("registration_id") == ["P-ONE-ROW"]
    with pytest.raises(OpsError) as err, unit_of_work(engine) as conn:
        write_registration(conn, REGISTRATION | {"registration_id": "P-2", "phone": "12"},
                           "en", TZ)
    assert calls == [1] and set(err.value.codes()) == {"phone"}
