"""stock_movements: signs per type, counterparties, reasons, and never below zero per lot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from data.interchange.messages import MESSAGES
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.factories import movement, read_rejects, scalar, warehouse, write_csv


@pytest.fixture(autouse=True)
def warehouses(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """W1 (province), W2 (district) and NAT (national)."""
    result = load_file(settings, engine, "warehouses", write_csv(tmp_path / "w.csv", [
        warehouse("W1"), warehouse("W2", level="DISTRICT", district_code="001"),
        warehouse("NAT", level="NATIONAL", province_code="")]))
    assert result.loaded == 3


def _load(settings: Settings, engine: Engine, tmp_path: Path, rows: list[dict[str, Any]],
          name: str = "s.csv") -> LoadResult:
    return load_file(settings, engine, "stock_movements", write_csv(tmp_path / name, rows))


def _report(result: LoadResult) -> list[tuple[str, str]]:
    return [(r["line"], r["field"]) for r in read_rejects(result.reject_path)]


def _on_hand(engine: Engine) -> dict[tuple[str, str], int]:
    """(warehouse, lot) -> doses on hand; asserts the rollup equals the sum of the facts."""
    with engine.connect() as conn:
        agg = {(w, lot): int(n) for w, lot, n in conn.execute(text("""
            SELECT w.warehouse_code, a.lot_number, a.doses FROM agg_stock_on_hand a
            JOIN dim_warehouse w ON w.warehouse_key = a.warehouse_key WHERE a.doses <> 0"""))}
        facts = {(w, lot): int(n) for w, lot, n in conn.execute(text("""
            SELECT w.warehouse_code, f.lot_number, SUM(f.doses) FROM fct_stock_movement f
            JOIN dim_warehouse w ON w.warehouse_key = f.warehouse_key
            GROUP BY w.warehouse_code, f.lot_number HAVING SUM(f.doses) <> 0"""))}
    assert agg == facts
    assert all(n >= 0 for n in agg.values()), agg
    return agg


def _at(hour: int, day: int = 1) -> str:
    return f"2021-08-{day:02d}T{hour:02d}:00:00+07:00"


def test_movement_types_and_signs(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [
        movement("M1", occurred_at=_at(8), doses=100),
        movement("M2", occurred_at=_at(9), movement_type="TRANSFER_IN", counterparty_code="NAT",
                 doses=20),
        movement("M3", occurred_at=_at(10), movement_type="RETURN", doses=5),
        movement("M4", occurred_at=_at(11), movement_type="ISSUE", counterparty_code="W2",
                 doses=30),
        movement("M5", occurred_at=_at(12), movement_type="transfer_out",
                 counterparty_code="W2", doses=10),
        movement("M6", occurred_at=_at(13), movement_type="WASTAGE", reason="BROKEN", doses=3),
        movement("M7", occurred_at=_at(14), movement_type="ADJUSTMENT", reason="COUNT",
                 doses=-2),
        movement("M8", occurred_at=_at(15), movement_type="ADJUSTMENT", reason="count", doses=4),
    ]
    result = _load(settings, engine, tmp_path, rows)
    assert (result.loaded, result.rejected) == (8, 0)
    with engine.connect() as conn:
        signed = dict(conn.execute(text(
            "SELECT movement_id, doses FROM fct_stock_movement")).all())
        stored = dict(conn.execute(text("SELECT movement_id, doses FROM stock_movement")).all())
    assert signed == {"M1": 100, "M2": 20, "M3": 5, "M4": -30, "M5": -10, "M6": -3, "M7": -2,
                      "M8": 4}
    assert stored == {"M1": 100, "M2": 20, "M3": 5, "M4": 30, "M5": 10, "M6": 3, "M7": -2,
                      "M8": 4}
    assert _on_hand(engine) == {("W1", "L1"): 84}


def test_only_adjustment_may_be_negative(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [movement("OK", doses=100),
            movement("NEG-ISSUE", movement_type="ISSUE", counterparty_code="W2", doses=-5),
            movement("ZERO-RECEIPT", doses=0),
            movement("NEG-RECEIPT", doses=-1),
            movement("ZERO-ADJ", movement_type="ADJUSTMENT", reason="COUNT", doses=0),
            movement("HALF", doses="2.5"),
            movement("BLANK", doses="")]
    result = _load(settings, engine, tmp_path, rows)
    assert (result.loaded, result.rejected) == (1, 6)
    report = read_rejects(result.reject_path)
    assert [(r["line"], r["field"]) for r in report] == [(str(i), "doses") for i in range(3, 9)]
    assert report[0]["reason"] == MESSAGES["not_positive"]["vi"]
    assert report[3]["reason"] == MESSAGES["zero_adjustment"]["vi"]
    assert _on_hand(engine) == {("W1", "L1"): 100}


def test_counterparty_required_for_transfers(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [movement("OK", doses=100),
            movement("T-OUT", occurred_at=_at(9), movement_type="TRANSFER_OUT", doses=10),
            movement("T-IN", occurred_at=_at(9), movement_type="TRANSFER_IN", doses=10),
            movement("T-404", occurred_at=_at(9), movement_type="TRANSFER_IN",
                     counterparty_code="W404", doses=10),
            movement("T-OK", occurred_at=_at(9), movement_type="TRANSFER_OUT",
                     counterparty_code="W2", doses=10)]
    result = _load(settings, engine, tmp_path, rows)
    assert (result.loaded, result.rejected) == (2, 3)
    assert _report(result) == [("3", "counterparty_code"), ("4", "counterparty_code"),
                               ("5", "counterparty_code")]
    reasons = [r["reason"] for r in read_rejects(result.reject_path)]
    assert reasons[0] == MESSAGES["counterparty_required"]["vi"].format(kind="TRANSFER_OUT")
    assert reasons[2] == MESSAGES["unknown_warehouse"]["vi"]
    assert scalar(engine, "SELECT counterparty_key FROM fct_stock_movement "
                          "WHERE movement_id = 'T-OK'") == scalar(
        engine, "SELECT warehouse_key FROM dim_warehouse WHERE warehouse_code = 'W2'")
    assert _on_hand(engine) == {("W1", "L1"): 90}


def test_issue_counterparty_is_optional_but_must_exist(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """Spec: counterparty_code is required for transfers, and for issues and receipts *from
    another warehouse*. An ISSUE to the vaccination session (doses used at the facility) has
    none; one that names a warehouse must name a registered one."""
    rows = [movement("OK", doses=100),
            movement("USED", occurred_at=_at(9), movement_type="ISSUE", doses=10),
            movement("GHOST", occurred_at=_at(9), movement_type="ISSUE", doses=10,
                     counterparty_code="NO-SUCH-KHO")]
    result = _load(settings, engine, tmp_path, rows)
    assert (result.loaded, result.rejected) == (2, 1)
    assert _report(result) == [("4", "counterparty_code")]


def test_reason_required_for_wastage_and_adjustment(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [movement("OK", doses=100),
            movement("W", occurred_at=_at(9), movement_type="WASTAGE", doses=1),
            movement("A", occurred_at=_at(9), movement_type="ADJUSTMENT", doses=-1),
            movement("LOST", occurred_at=_at(9), movement_type="WASTAGE", reason="LOST", doses=1),
            *(movement(f"R-{r}", occurred_at=_at(10), movement_type="WASTAGE", reason=r, doses=1)
              for r in ("EXPIRED", "VVM_CHANGE", "BROKEN", "CONTAMINATED", "OPEN_VIAL", "COUNT",
                        "OTHER"))]
    result = _load(settings, engine, tmp_path, rows)
    assert (result.loaded, result.rejected) == (8, 3)
    assert _report(result) == [("3", "reason"), ("4", "reason"), ("5", "reason")]
    assert read_rejects(result.reject_path)[0]["reason"] == MESSAGES["reason_required"][
        "vi"].format(kind="WASTAGE")
    assert _on_hand(engine) == {("W1", "L1"): 93}


def test_other_fields(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [movement("OK"),
            movement("WH", warehouse_code="W404"),
            movement("TYPE", movement_type="SALE"),
            movement("VAX", vaccine_code="SINOVAC"),
            movement("LOT", lot_number=""),
            movement("EXP", expiry_date="31/02/2022"),
            movement("FUTURE", occurred_at="2099-01-01T08:00:00+07:00"),
            movement("", doses=1)]
    result = _load(settings, engine, tmp_path, rows)
    assert (result.loaded, result.rejected) == (1, 7)
    assert _report(result) == [
        ("3", "warehouse_code"), ("4", "movement_type"), ("5", "vaccine_code"),
        ("6", "lot_number"), ("7", "expiry_date"), ("8", "occurred_at"), ("9", "movement_id")]


def test_no_stock_below_zero_in_time_order_within_one_file(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [
        movement("I-9H", occurred_at=_at(9), movement_type="ISSUE", counterparty_code="W2",
                 doses=50),                                                   # line 2: -10
        movement("R-8H", occurred_at=_at(8), doses=40),                       # line 3
        movement("I-10H", occurred_at=_at(10), movement_type="ISSUE", counterparty_code="W2",
                 doses=30),                                                   # line 4: 10 left
        # Another warehouse and another lot have their own balances.
        movement("I-W2", occurred_at=_at(11), warehouse_code="W2", movement_type="ISSUE",
                 counterparty_code="W1", doses=1),                            # line 5
        movement("I-L2", occurred_at=_at(11), lot_number="L2", movement_type="ISSUE",
                 counterparty_code="W2", doses=1),                            # line 6
        # Same instant: the receipt counts before the issue.
        movement("I-12H", occurred_at=_at(12), movement_type="ISSUE", counterparty_code="W2",
                 doses=15),                                                   # line 7
        movement("R-12H", occurred_at=_at(12), doses=5),                      # line 8
        movement("A-13H", occurred_at=_at(13), movement_type="ADJUSTMENT", reason="COUNT",
                 doses=-1),                                                   # line 9: 0 - 1
    ]
    result = _load(settings, engine, tmp_path, rows)
    assert (result.loaded, result.rejected) == (4, 4)
    report = read_rejects(result.reject_path)
    assert [(r["line"], r["field"]) for r in report] == [("2", "doses"), ("5", "doses"),
                                                         ("6", "doses"), ("9", "doses")]
    assert report[0]["reason"] == MESSAGES["stock_below_zero"]["vi"].format(
        lot="L1", warehouse="W1", balance=-10)
    assert _on_hand(engine) == {}  # 40 - 30 + 5 - 15: the lot is empty


def test_no_stock_below_zero_across_files_and_corrections(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    first = _load(settings, engine, tmp_path, [movement("R1", doses=100)], name="a.csv")
    assert first.loaded == 1
    second = _load(settings, engine, tmp_path, [
        movement("I1", occurred_at=_at(9), movement_type="ISSUE", counterparty_code="W2",
                 doses=120),
        movement("I2", occurred_at=_at(10), movement_type="ISSUE", counterparty_code="W2",
                 doses=70)], name="b.csv")
    assert (second.loaded, second.rejected) == (1, 1)
    assert _report(second) == [("2", "doses")]
    assert _on_hand(engine) == {("W1", "L1"): 30}
    # Re-running a file changes nothing.
    again = _load(settings, engine, tmp_path, [movement("R1", doses=100)], name="a.csv")
    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 1)
    # A correction that keeps the balance non-negative replaces the earlier version ...
    fixed = _load(settings, engine, tmp_path, [movement("R1", doses=80)], name="c.csv")
    assert (fixed.loaded, fixed.updated) == (0, 1)
    assert _on_hand(engine) == {("W1", "L1"): 10}
    # ... one that would leave the lot below zero (80 -> 60 with 70 issued) is refused.
    refused = _load(settings, engine, tmp_path, [movement("R1", doses=60)], name="d.csv")
    assert (refused.loaded, refused.updated, refused.rejected) == (0, 0, 1)
    assert _on_hand(engine) == {("W1", "L1"): 10}
    assert scalar(engine, "SELECT doses FROM stock_movement WHERE movement_id = 'R1'") == 80
