"""stock_movements sent late: a row dated before movements already stored is checked against
the balance at its date and at every later date (issue 12), in a file as in a form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from data.interchange.messages import MESSAGES
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.factories import movement, read_rejects, scalar, warehouse, write_csv


@pytest.fixture(autouse=True)
def warehouses(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    result = load_file(settings, engine, "warehouses", write_csv(tmp_path / "w.csv", [
        warehouse("W1"), warehouse("W2", level="DISTRICT", district_code="001")]))
    assert result.loaded == 2


def _load(settings: Settings, engine: Engine, tmp_path: Path, rows: list[dict[str, Any]],
          name: str) -> LoadResult:
    return load_file(settings, engine, "stock_movements", write_csv(tmp_path / name, rows))


def _at(day: int, hour: int = 8) -> str:
    return f"2021-08-{day:02d}T{hour:02d}:00:00+07:00"


def _issue(mid: str, day: int, doses: int, **kw: Any) -> dict[str, Any]:
    return movement(mid, occurred_at=_at(day), movement_type="ISSUE", counterparty_code="W2",
                    doses=doses, **kw)


def _on_hand(engine: Engine, lot: str = "L1") -> int:
    return int(scalar(engine, f"""SELECT COALESCE(SUM(doses), 0) FROM fct_stock_movement
                                  WHERE lot_number = '{lot}'""") or 0)


def test_a_late_issue_is_refused_when_the_stock_was_not_there_at_its_date(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    # 100 doses arrive on the 10th; the balance today is 100.
    assert _load(settings, engine, tmp_path, [movement("R10", occurred_at=_at(10), doses=100)],
                 "a.csv").loaded == 1
    # An issue dated the 5th: today's 100 would cover it, the 5th had nothing.
    late = _load(settings, engine, tmp_path, [_issue("I5", 5, 30), _issue("I12", 12, 30)],
                 "b.csv")
    assert (late.loaded, late.rejected) == (1, 1)
    report = read_rejects(late.reject_path)
    assert [(r["line"], r["field"]) for r in report] == [("2", "doses")]
    assert report[0]["reason"] == MESSAGES["stock_below_zero_later"][settings.reject_lang].format(
        lot="L1", warehouse="W1", available=0)
    assert _on_hand(engine) == 70


def test_a_late_issue_is_refused_when_a_later_balance_would_go_below_zero(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    # 100 in on the 1st, 80 out on the 20th: 20 left.
    assert _load(settings, engine, tmp_path, [movement("R1", occurred_at=_at(1), doses=100),
                                              _issue("I20", 20, 80)], "a.csv").loaded == 2
    # On the 10th, 100 were there, but taking 30 then leaves the 20th at -10: at most 20.
    late = _load(settings, engine, tmp_path, [_issue("I10", 10, 30)], "b.csv")
    assert (late.loaded, late.rejected) == (0, 1)
    assert read_rejects(late.reject_path)[0]["reason"] == MESSAGES["stock_below_zero_later"][
        settings.reject_lang].format(
        lot="L1", warehouse="W1", available=20)
    # Exactly what the later days allow goes in; then the lot is empty from the 20th.
    fits = _load(settings, engine, tmp_path, [_issue("I10", 10, 20)], "c.csv")
    assert (fits.loaded, fits.rejected) == (1, 0)
    assert _on_hand(engine) == 0
    # A late receipt is never refused; another lot keeps its own balance.
    more = _load(settings, engine, tmp_path, [movement("R5", occurred_at=_at(5), doses=7),
                                              _issue("X5", 5, 1, lot_number="L2")], "d.csv")
    assert (more.loaded, more.rejected) == (1, 1)
    assert _on_hand(engine) == 7


def test_a_late_correction_of_a_receipt_is_checked_against_the_days_after_it(
        settings: Settings, engine: Engine, tmp_path: Path) -> None:
    assert _load(settings, engine, tmp_path, [movement("R1", occurred_at=_at(1), doses=100),
                                              _issue("I20", 20, 70)], "a.csv").loaded == 2
    # The receipt of the 1st re-sent as 60: the 20th's issue of 70 would leave -10.
    refused = _load(settings, engine, tmp_path, [movement("R1", occurred_at=_at(1), doses=60)],
                    "b.csv")
    assert (refused.loaded, refused.updated, refused.rejected) == (0, 0, 1)
    assert scalar(engine, "SELECT doses FROM stock_movement WHERE movement_id = 'R1'") == 100
    # Re-sent as 75, and moved to the 2nd: 5 are left after the 20th.
    moved = _load(settings, engine, tmp_path, [movement("R1", occurred_at=_at(2), doses=75)],
                  "c.csv")
    assert (moved.updated, moved.rejected) == (1, 0)
    assert _on_hand(engine) == 5
    # Moved after the issue it fed: the 20th would have nothing to issue.
    late = _load(settings, engine, tmp_path, [movement("R1", occurred_at=_at(25), doses=75)],
                 "d.csv")
    assert (late.updated, late.rejected) == (0, 1)
    assert _on_hand(engine) == 5
