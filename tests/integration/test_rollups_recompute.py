"""Rollups maintained by deltas always equal a full recomputation from the facts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, text

from data import bulk
from data.recompute import ALL_ROLLUPS, rollup_as_stored, rollup_from_facts
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, write_csv

DISTRICTS = [("01", "001"), ("01", "002"), ("79", "760"), ("48", "490")]
VACCINES = ["AZ", "VRC", "PFZ", "JNJ", "ABD"]


def _random_injection(rng: np.random.Generator, i: int) -> dict[str, str]:
    province, district = DISTRICTS[rng.integers(len(DISTRICTS))]
    vaccine = VACCINES[rng.integers(len(VACCINES))]
    kind = ["PRIMARY", "PRIMARY", "BOOSTER", "ADDITIONAL"][rng.integers(4)]
    number = 1 if vaccine == "JNJ" or kind == "ADDITIONAL" else int(rng.integers(1, 3))
    day = f"2021-{rng.integers(6, 13):02d}-{rng.integers(1, 29):02d}"
    return injection(
        f"R{i}", province_code=province, district_code=district, ward_code="",
        vaccine_code=vaccine, dose_kind=kind, dose_number=number,
        administered_at=f"{day}T{rng.integers(0, 24):02d}:15:00+07:00",
        priority_group=int(rng.integers(0, 12)), sex="MF"[rng.integers(2)],
        birth_date=f"{rng.integers(1940, 2008)}-05-17",
    )


def _assert_rollups_match(engine: Engine) -> None:
    with engine.connect() as conn:
        for table in ALL_ROLLUPS:
            stored, expected = rollup_as_stored(conn, table), rollup_from_facts(conn, table)
            assert stored.equals(expected), table


def _doses(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COALESCE(SUM(doses), 0) FROM agg_doses_daily"))
                   .scalar_one())


@pytest.mark.parametrize("seed", [1, 2])
def test_replays_corrections_and_errors_keep_rollups_exact(
    settings: Settings, engine: Engine, tmp_path: Path, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    rows = [_random_injection(rng, i) for i in range(300)]
    load_file(settings, engine, "injections", write_csv(tmp_path / "a.csv", rows[:200]))
    load_file(settings, engine, "injections", write_csv(tmp_path / "b.csv", rows[150:]))
    _assert_rollups_match(engine)
    assert _doses(engine) == 300

    # Replays change nothing.
    for name in ("a.csv", "b.csv"):
        res = load_file(settings, engine, "injections", tmp_path / name)
        assert res.loaded == res.updated == 0
    assert _doses(engine) == 300

    # Corrections move doses between every key; errors remove them; some come back.
    fixes = [_random_injection(rng, int(i)) for i in rng.choice(300, 80, replace=False)]
    errors = [injection(f"R{int(i)}", status="ENTERED_IN_ERROR")
              for i in rng.choice(300, 40, replace=False)]
    errors = [e for e in errors if e["record_id"] not in {f["record_id"] for f in fixes}]
    res = load_file(settings, engine, "injections", write_csv(tmp_path / "c.csv", fixes + errors))
    assert res.updated == len(fixes) + len(errors)
    _assert_rollups_match(engine)
    assert _doses(engine) == 300 - len(errors)
    restored = rows[:5]
    load_file(settings, engine, "injections", write_csv(tmp_path / "d.csv", restored))
    _assert_rollups_match(engine)
    with engine.connect() as conn:
        counted = conn.execute(text(
            "SELECT COUNT(*) FROM injection WHERE status = 'COMPLETED'")).scalar_one()
    assert _doses(engine) == counted


def test_rollups_without_stored_keys_in_range_are_copied_not_upserted(
    settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first load and a file of new days skip the upsert where no stored key can match."""
    upserted: list[str] = []

    def spy(conn: object, target: str, *args: object, **kw: object) -> None:
        upserted.append(target)
        real(conn, target, *args, **kw)

    real = bulk.upsert_add
    monkeypatch.setattr("data.bulk.upsert_add", spy)
    rng = np.random.default_rng(3)
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    rows = [_random_injection(rng, i) for i in range(120)]
    june = [r | {"administered_at": f"2021-06-{i % 28 + 1:02d}T09:00:00+07:00"}
            for i, r in enumerate(rows[:60])]
    july = [r | {"administered_at": f"2021-07-{i % 28 + 1:02d}T09:00:00+07:00"}
            for i, r in enumerate(rows[60:])]
    load_file(settings, engine, "injections", write_csv(tmp_path / "a.csv", june))
    assert upserted == []  # every rollup was empty
    _assert_rollups_match(engine)
    load_file(settings, engine, "injections", write_csv(tmp_path / "b.csv", july))
    assert set(upserted) == {"agg_doses_district", "agg_doses_group", "agg_doses_lot"}
    _assert_rollups_match(engine)
    upserted.clear()
    # Corrections (old keys leave) plus new rows on days already stored: upserts throughout.
    moved = [r | {"administered_at": "2021-07-03T10:00:00+07:00"} for r in june[:10]]
    new = [_random_injection(rng, i) for i in range(200, 230)]
    load_file(settings, engine, "injections", write_csv(tmp_path / "c.csv", moved + new))
    assert {"agg_doses_daily", "agg_doses_facility_daily"} <= set(upserted)
    _assert_rollups_match(engine)
    assert _doses(engine) == 150


def test_stock_corrections_keep_on_hand_exact(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    load_file(settings, engine, "warehouses", write_csv(tmp_path / "w.csv", [
        {"warehouse_code": "KT-01", "name": "Kho tỉnh", "level": "PROVINCE",
         "province_code": "01", "district_code": "", "facility_code": ""},
        {"warehouse_code": "KCS", "name": "Kho trạm", "level": "FACILITY",
         "province_code": "01", "district_code": "001", "facility_code": "F00101"}]))

    def mv(i: int, wh: str, kind: str, doses: int, lot: str = "L1", **kw: str) -> dict[str, str]:
        return {"movement_id": f"M{i}", "occurred_at": f"2021-08-{i:02d}T08:00:00+07:00",
                "warehouse_code": wh, "movement_type": kind, "counterparty_code":
                kw.get("cp", ""), "vaccine_code": "AZ", "lot_number": lot,
                "expiry_date": "2022-02-28", "doses": str(doses), "reason": kw.get("reason", "")}

    first = [mv(1, "KT-01", "RECEIPT", 1000), mv(2, "KT-01", "TRANSFER_OUT", 400, cp="KCS"),
             mv(3, "KCS", "TRANSFER_IN", 400, cp="KT-01"), mv(4, "KCS", "ISSUE", 250),
             mv(5, "KCS", "WASTAGE", 10, reason="OPEN_VIAL"),
             mv(6, "KCS", "ADJUSTMENT", -5, reason="COUNT")]
    load_file(settings, engine, "stock_movements", write_csv(tmp_path / "s1.csv", first))
    _assert_rollups_match(engine)
    # The issue was really 300 doses: the correction replaces, never adds.
    load_file(settings, engine, "stock_movements",
              write_csv(tmp_path / "s2.csv", [mv(4, "KCS", "ISSUE", 300)]))
    _assert_rollups_match(engine)
    with engine.connect() as conn:
        on_hand = dict(conn.execute(text("""
            SELECT w.warehouse_code, s.doses FROM agg_stock_on_hand s
            JOIN dim_warehouse w ON w.warehouse_key = s.warehouse_key""")).all())
    assert on_hand == {"KT-01": 600, "KCS": 85}
