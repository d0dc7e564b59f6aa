"""Two loads at once: never both spend the same stock, and two injection files both load in
full (loads are serialised in the database)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine, text

from data.settings import Settings
from data.version import read_version
from etl.pipeline import LoadResult, load_file
from tests.factories import FACILITY, injection, write_csv
from tests.integration.test_rollups_recompute import _assert_rollups_match

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


def test_two_injection_files_at_once_both_load_in_full(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    with engine.connect() as conn:
        version = read_version(conn)
    sizes = {"A": 1200, "B": 900}  # parts of 100 rows: both files load part by part
    # Same day, province and doses in both: the two loads add to the same rollup rows.
    files = [write_csv(tmp_path / f"{name}.csv", [
        injection(f"{name}{i:05d}", person_id=f"0010{i:08d}",
                  dose_number=1 + i % 2, vaccine_code="AZ" if name == "A" else "VRC")
        for i in range(n)]) for name, n in sizes.items()]
    chunked = settings.with_(etl_chunk_rows=100)
    with ThreadPoolExecutor(2) as pool:
        results: list[LoadResult] = list(pool.map(
            lambda p: load_file(chunked, engine, "injections", p), files))
    assert [(r.loaded, r.rejected) for r in results] == [(1200, 0), (900, 0)]
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                  for t in ("injection", "fct_injection")}
        doses = conn.execute(text(
            "SELECT v.vaccine_code, SUM(a.doses) FROM agg_doses_daily a "
            "JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key GROUP BY v.vaccine_code")).all()
        assert read_version(conn) == version + 2
    assert counts == {"injection": 2100, "fct_injection": 2100}
    assert dict(doses) == {"AZ": 1200, "VRC": 900}
    _assert_rollups_match(engine)
