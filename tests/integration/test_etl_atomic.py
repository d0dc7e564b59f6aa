"""One transaction per file: a crash mid-batch commits nothing, a re-run then loads it all."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from data import bulk
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, rollup_totals, scalar, write_csv


class Crash(RuntimeError):
    """The simulated failure (a dropped connection, a full disk)."""


def _state(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        ops = [tuple(r) for r in conn.execute(text(
            "SELECT record_id, vaccine_code, status FROM injection ORDER BY record_id"))]
        facts = [tuple(r) for r in conn.execute(text(
            "SELECT record_id, vaccine_key FROM fct_injection ORDER BY record_id"))]
    return {
        "injection": ops, "fct": facts, "rollups": rollup_totals(engine),
        "version": scalar(engine, "SELECT version FROM meta_data_version"),
        "loads": scalar(engine, "SELECT COUNT(*) FROM etl_load"),
        "daily": [tuple(r) for r in _rows(engine, "agg_doses_daily")],
    }


def _rows(engine: Engine, table: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(f"SELECT * FROM {table} WHERE doses <> 0 ORDER BY 1, 2, 3")))


def _after_calls(real: Callable[..., Any], n: int) -> Callable[..., Any]:
    """`real`, except that call number `n` (1-based) runs it and then raises."""
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        out = real(*args, **kwargs)
        if calls["n"] == n:
            raise Crash(f"crash after call {n} of {real.__name__}")
        return out

    return wrapper


# Crash points named by the SQL they interrupt, so they hold however the loader is organised:
# statements issued through SQLAlchemy, after the batch's rows were staged or copied.
SQL_CRASHES = {
    "old-fact-delete": r"DELETE\s+FROM\s+fct_injection",
    "last-rollup-upsert": r"INSERT\s+INTO\s+agg_doses_group",
    "version-bump": r"UPDATE\s+meta_data_version",
    "load-log": r"INSERT\s+INTO\s+etl_load",
}


def _crash_on(pattern: str) -> Callable[..., None]:
    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if re.search(pattern, statement, re.IGNORECASE):
            raise Crash(f"crash before {pattern}")
    return before


def _prepare(settings: Settings, engine: Engine, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A loaded baseline (R1, R2) and a batch that corrects, removes and adds doses."""
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    load_file(settings, engine, "injections", write_csv(tmp_path / "a.csv", [
        injection("R1"), injection("R2")]))
    before = _state(engine)
    assert before["rollups"] == dict.fromkeys(before["rollups"], 2)
    batch = write_csv(tmp_path / "b.csv", [
        injection("R1", vaccine_code="PFZ"), injection("R2", status="ENTERED_IN_ERROR"),
        injection("R3", administered_at="2021-08-05T08:00:00+07:00"), injection("R4")])
    return batch, before


def _assert_rerun_loads_all(settings: Settings, engine: Engine, batch: Path,
                            before: dict[str, Any]) -> None:
    result = load_file(settings, engine, "injections", batch)
    assert (result.loaded, result.updated, result.unchanged, result.rejected) == (2, 2, 0, 0)
    after = _state(engine)
    assert after["version"] == before["version"] + 1
    assert after["loads"] == before["loads"] + 1
    assert after["fct"] == [("R1", 4), ("R3", 1), ("R4", 1)]
    assert after["rollups"] == dict.fromkeys(after["rollups"], 3)
    assert after["daily"] == [(20210801, 1, 1, 1), (20210801, 4, 1, 1), (20210805, 1, 1, 1)]


@pytest.mark.parametrize("where", list(SQL_CRASHES))
def test_crash_mid_batch_commits_nothing(
    settings: Settings, engine: Engine, tmp_path: Path, where: str
) -> None:
    batch, before = _prepare(settings, engine, tmp_path)
    hook = _crash_on(SQL_CRASHES[where])
    event.listen(engine, "before_cursor_execute", hook)
    try:
        with pytest.raises(Crash):
            load_file(settings, engine, "injections", batch)
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    assert _state(engine) == before
    assert not scalar(engine, "SELECT COUNT(*) FROM injection WHERE record_id IN ('R3', 'R4')")
    _assert_rerun_loads_all(settings, engine, batch, before)


def test_crash_in_rollup_upsert_commits_nothing(
    settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second rollup was incremented, then the loader died: all of it rolls back."""
    batch, before = _prepare(settings, engine, tmp_path)
    monkeypatch.setattr("data.bulk.upsert_add", _after_calls(bulk.upsert_add, 2))
    with pytest.raises(Crash):
        load_file(settings, engine, "injections", batch)
    assert _state(engine) == before
    monkeypatch.undo()
    _assert_rerun_loads_all(settings, engine, batch, before)
