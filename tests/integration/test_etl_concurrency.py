"""Two loads at once never both spend the same stock: loads are serialised in the database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine, text

from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.factories import FACILITY, write_csv

WAREHOUSE = {"warehouse_code": "KT-01", "name": "Kho tỉnh Hà Nội", "level": "PROVINCE",
             "province_code": "01", "district_code": "", "facility_code": ""}


def _movement(mid: str, kind: str, doses: int, hour: int) -> dict[str, str]:
    return {"movement_id": mid, "occurred_at": f"2021-08-02T{hour:02d}:00:00+07:00",
            "warehouse_code": "KT-01", "movement_type": kind, "counterparty_code": "",
            "vaccine_code": "AZ", "lot_number": "L1", "expiry_date": "2022-01-31",
            "doses": str(doses), "reason": ""}


def test_concurrent_issues_of_one_lot(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    load_file(settings, engine, "warehouses", write_csv(tmp_path / "w.csv", [WAREHOUSE]))
    load_file(settings, engine, "stock_movements",
              write_csv(tmp_path / "r.csv", [_movement("R", "RECEIPT", 100, 8)]))
    files = [write_csv(tmp_path / f"{name}.csv", [_movement(name, "ISSUE", 80, 9)])
             for name in ("A", "B")]
    with ThreadPoolExecutor(2) as pool:
        results: list[LoadResult] = list(pool.map(
            lambda p: load_file(settings, engine, "stock_movements", p), files))
    assert sorted((r.loaded, r.rejected) for r in results) == [(0, 1), (1, 0)]
    with engine.connect() as conn:
        on_hand = conn.execute(text("SELECT SUM(doses) FROM agg_stock_on_hand")).scalar_one()
    assert on_hand == 20
