"""Injections load end to end on each backend: counts, facts, rollups, idempotency."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, write_csv


def _total(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT COALESCE(SUM(doses), 0) FROM {table}")).scalar_one())


def test_load_replay_and_correction(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    rows = [injection("R1"), injection("R2", dose_number=2, administered_at="2021-10-01")]
    first = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", rows))
    assert (first.loaded, first.updated, first.rejected) == (2, 0, 0)
    again = load_file(settings, engine, "injections", tmp_path / "i.csv")
    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 2)
    fixed = [injection("R2", dose_number=2, vaccine_code="PFZ", administered_at="2021-10-01"),
             injection("R1", status="ENTERED_IN_ERROR")]
    corr = load_file(settings, engine, "injections", write_csv(tmp_path / "c.csv", fixed))
    assert (corr.loaded, corr.updated) == (0, 2)
    for table in ("agg_doses_daily", "agg_doses_district", "agg_doses_group",
                  "agg_doses_daily_province"):
        assert _total(engine, table) == 1, table
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM fct_injection")).scalar_one() == 1
        assert conn.execute(text(
            "SELECT vaccine_key FROM fct_injection WHERE record_id = 'R2'")).scalar_one() == 4
