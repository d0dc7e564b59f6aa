"""The first administrator comes from a command, the demo users from the demo, never a default."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data.auth import users
from data.db import unit_of_work
from data.settings import Settings
from etl.__main__ import main
from etl.accounts_cli import create_demo_users
from etl.pipeline import load_file
from tests.factories import FACILITY, write_csv


def test_create_admin_from_stdin(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("Quan-tri-vien-2021\n"))
    assert main(["create-admin", "QuanTri", "--password-stdin"]) == 0
    assert "quantri created" in capsys.readouterr().out
    with unit_of_work(engine) as conn:
        result = users.authenticate(conn, "quantri", "Quan-tri-vien-2021", "test")
    assert result.principal is not None and result.principal.national
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["create-admin", "other", "--password-stdin"]) == 2


def test_demo_users_one_per_role_with_fresh_passwords(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    facility = dict(FACILITY, facility_code="F760001", province_code="79", district_code="760",
                    ward_code="", latitude="10.776", longitude="106.700")
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [facility]))
    created = create_demo_users(engine)
    assert [(u, r) for u, r, _ in created] == [
        ("admin", "SYSTEM_ADMIN"), ("bo.yte", "MINISTRY_LEADER"), ("tinh.79", "PROVINCE_OFFICER"),
        ("huyen.760", "DISTRICT_OFFICER"), ("coso.760", "FACILITY_STAFF")]
    passwords = {p for _, _, p in created}
    assert len(passwords) == 5 and all(len(p) >= 16 for p in passwords)
    with unit_of_work(engine) as conn:
        staff = users.authenticate(conn, "coso.760", created[-1][2], "test").principal
    assert staff is not None and staff.facilities_in("79") == {facility["facility_code"]}
    assert create_demo_users(engine) == []  # a second demo run creates nobody
