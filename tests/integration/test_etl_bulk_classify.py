"""New / corrected / unchanged split of a batch (data/bulk.classify_keys), on each backend.

Every branch: the id-range probe that skips staging, the staged join with nothing stored, a few
unchanged rows among many new ones, many unchanged among few new ones, and corrections, each
checked through load_file against the stored rows and a full recomputation of the rollups.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Connection, Engine, inspect, text

from data import bulk
from data.recompute import ALL_ROLLUPS, rollup_as_stored, rollup_from_facts
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.factories import FACILITY, injection, scalar, write_csv


@pytest.fixture
def registered(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The facility every injection row names."""
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))


def _rows(ids: range, **over: object) -> list[dict[str, object]]:
    return [injection(f"R{i:05d}", **over) for i in ids]


def _load(settings: Settings, engine: Engine, path: Path,
          rows: list[dict[str, object]]) -> LoadResult:
    return load_file(settings, engine, "injections", write_csv(path, rows))


def _assert_consistent(engine: Engine, doses: int) -> None:
    with engine.connect() as conn:
        for table in ALL_ROLLUPS:
            assert rollup_as_stored(conn, table).equals(rollup_from_facts(conn, table)), table
    assert scalar(engine, "SELECT COUNT(*) FROM fct_injection") == doses
    assert scalar(engine, "SELECT COALESCE(SUM(doses), 0) FROM agg_doses_daily") == doses


@pytest.mark.usefixtures("registered")
def test_new_ids_outside_the_stored_range_then_replay_and_correction(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    first = _load(settings, engine, tmp_path / "a.csv", _rows(range(0, 50)))
    assert (first.loaded, first.updated, first.unchanged) == (50, 0, 0)
    # Ids above every stored one: the range probe answers without staging anything.
    later = _load(settings, engine, tmp_path / "b.csv", _rows(range(100, 130)))
    assert (later.loaded, later.updated, later.unchanged) == (30, 0, 0)
    replay = load_file(settings, engine, "injections", tmp_path / "b.csv")
    assert (replay.loaded, replay.updated, replay.unchanged) == (0, 0, 30)
    # One correction (other vaccine) among new ids on both sides of the stored range.
    fix = [injection("R00110", vaccine_code="PFZ", lot_number="FK1")]
    mixed = _rows(range(60, 70)) + fix + _rows(range(200, 205))
    res = _load(settings, engine, tmp_path / "c.csv", mixed)
    assert (res.loaded, res.updated, res.unchanged) == (15, 1, 0)
    assert scalar(engine, "SELECT vaccine_code FROM injection WHERE record_id = 'R00110'") == "PFZ"
    _assert_consistent(engine, 50 + 30 + 15)


@pytest.mark.usefixtures("registered")
def test_few_unchanged_among_many_new(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    _load(settings, engine, tmp_path / "a.csv", _rows(range(0, 20)))
    res = _load(settings, engine, tmp_path / "b.csv", _rows(range(15, 60)))
    assert (res.loaded, res.updated, res.unchanged) == (40, 0, 5)
    _assert_consistent(engine, 60)


@pytest.mark.usefixtures("registered")
def test_many_unchanged_few_new_and_errors(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    _load(settings, engine, tmp_path / "a.csv", _rows(range(0, 40)))
    rows = _rows(range(0, 40))
    rows[3] = injection("R00003", status="ENTERED_IN_ERROR")
    rows[7] = injection("R00007", dose_number="2")
    res = _load(settings, engine, tmp_path / "b.csv", rows + _rows(range(40, 43)))
    assert (res.loaded, res.updated, res.unchanged) == (3, 2, 38)
    _assert_consistent(engine, 43 - 1)
    assert scalar(engine, "SELECT status FROM injection WHERE record_id = 'R00003'") == \
        "ENTERED_IN_ERROR"
    assert scalar(engine, "SELECT dose_number FROM injection WHERE record_id = 'R00007'") == 2


def _frame(ids: list[str], hashes: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"record_id": pd.Series(ids, dtype="str"),
                         "row_hash": np.array(hashes, dtype="int64")})


@pytest.mark.usefixtures("registered")
def test_classify_keys_masks_and_leaves_only_corrected_ids(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    _load(settings, engine, tmp_path / "a.csv", _rows(range(0, 4)))
    with engine.begin() as conn:
        stored = dict(conn.execute(text("SELECT record_id, row_hash FROM injection")).all())
        ids = ["R00000", "R00001", "R00002", "R00009", "R00003"]
        hashes = [stored["R00000"], stored["R00001"], 1, 2, stored["R00003"]]
        split = bulk.classify_keys(conn, "injection", "record_id", _frame(ids, hashes))
        assert (split.updated, split.unchanged) == (1, 3)
        assert split.keep is not None and split.keep.tolist() == [False, False, True, True, False]
        changed = [r[0] for r in conn.execute(text(f"SELECT record_id FROM {bulk.CHANGED}"))]
        assert changed == ["R00002"]
        assert not inspect(conn).has_table("stg_keys")

        split = bulk.classify_keys(conn, "injection", "record_id",
                                   _frame(["R00001", "R00007", "R00008"], [stored["R00001"], 1, 2]))
        assert (split.updated, split.unchanged) == (0, 1)
        assert split.keep is not None and split.keep.tolist() == [False, True, True]

        split = bulk.classify_keys(conn, "injection", "record_id",
                                   _frame(["Q1", "R00000x", "Z9"], [1, 2, 3]))
        assert (split.keep, split.updated, split.unchanged) == (None, 0, 0)
        assert not inspect(conn).has_table(bulk.CHANGED)


def _none_stored(conn: Connection, ids: pd.Series) -> bool:
    return bulk.none_stored_between(conn, "injection", "record_id", *bulk._bounds(ids))


@pytest.mark.usefixtures("registered")
def test_range_probe_only_where_the_key_orders_bytewise(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    _load(settings, engine, tmp_path / "a.csv", _rows(range(10, 20)))
    with engine.connect() as conn:
        bytewise = bulk._bytewise_order(conn, "injection", "record_id")
        if conn.dialect.name == "sqlite":
            assert bytewise
        outside = pd.Series(["R00000", "R00005"], dtype="str")
        inside = pd.Series(["R00011x", "R00012x"], dtype="str")  # none stored, range overlaps
        assert _none_stored(conn, outside) is bytewise
        assert _none_stored(conn, inside) is False


def test_a_key_said_to_order_bytewise_sorts_like_its_bytes(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """Where the range probe is trusted (C, POSIX, glibc C.UTF-8), the server agrees."""
    _load(settings, engine, tmp_path / "a.csv", _rows(range(10, 12)))
    tricky = ["a", "B", "_x", "-y", "Ä", "é", "z", "Z", "0", "~", "ab", "a b", "aB", "ả", "Đ"]
    with engine.connect() as conn:
        if not bulk._bytewise_order(conn, "injection", "record_id"):
            # Not trusted here: the probe must never claim that nothing is stored.
            early = pd.Series(["A0"], dtype="str")
            assert _none_stored(conn, early) is False
            return
        conn.execute(text("CREATE TEMPORARY TABLE probe_order AS "
                          "SELECT record_id FROM injection WHERE 1 = 0"))
        conn.execute(text("INSERT INTO probe_order (record_id) VALUES (:v)"),
                     [{"v": v} for v in tricky])
        stored = conn.execute(text("SELECT record_id FROM probe_order ORDER BY record_id")
                              ).scalars().all()
    assert stored == sorted(tricky, key=lambda v: v.encode())
