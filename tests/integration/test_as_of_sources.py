"""'As of' sources: the rollup minus later facts equals the facts up to the cut-off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Connection, Engine

from data.mcc.queries import read
from data.mcc.queries.sources import district_source, from_end, group_source, lot_source
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, write_csv

Source = Callable[[Connection, int | None, bool | None], str]
SOURCES: dict[str, tuple[Source, list[str]]] = {
    "district": (district_source, ["province_code", "district_code", "vaccine_key", "dose_key"]),
    "group": (group_source, ["province_code", "group_key", "vaccine_key", "dose_key"]),
    "lot": (lot_source, ["vaccine_key", "lot_number"]),
}
DISTRICTS = [("01", "001"), ("79", "760"), ("48", "490")]


def _rows(seed: int, n: int) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        province, district = DISTRICTS[rng.integers(len(DISTRICTS))]
        vaccine = ["AZ", "PFZ", "VRC"][rng.integers(3)]
        out.append(injection(
            f"A{i:04d}", province_code=province, district_code=district, ward_code="",
            vaccine_code=vaccine, dose_number=int(rng.integers(1, 3)),
            lot_number=f"L{rng.integers(4)}",
            administered_at=f"2021-{rng.integers(7, 13):02d}-{rng.integers(1, 29):02d}"
                            "T10:00:00+07:00",
            priority_group=int(rng.integers(0, 5)), sex="MF"[rng.integers(2)],
            status="ENTERED_IN_ERROR" if i % 13 == 0 else "COMPLETED"))
    return out


@pytest.fixture
def loaded(settings: Settings, engine: Engine, tmp_path: Path) -> Engine:
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    rows = _rows(1, 240)
    load_file(settings, engine, "injections", write_csv(tmp_path / "a.csv", rows))
    # Corrections: other days and vaccines for some ids, and doses entered in error.
    fixes = [dict(r, administered_at="2021-12-20T10:00:00+07:00", vaccine_code="PFZ")
             for r in rows[::7]] + [dict(r, status="ENTERED_IN_ERROR") for r in rows[3::11]]
    load_file(settings, engine, "injections", write_csv(tmp_path / "b.csv", fixes))
    return engine


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df.astype({"doses": "int64"})
    return df[[*keys, "doses"]].sort_values(keys).reset_index(drop=True)


@pytest.mark.parametrize("cutoff", [20210731, 20210915, 20211031, 20211130, 20211219])
@pytest.mark.parametrize("name", list(SOURCES))
def test_rollup_minus_later_facts_equals_facts_up_to_the_cutoff(
    loaded: Engine, name: str, cutoff: int
) -> None:
    source, keys = SOURCES[name]
    with loaded.connect() as conn:
        head = read(conn, source(conn, cutoff, False), {"cutoff": cutoff})
        tail = read(conn, source(conn, cutoff, True), {"cutoff": cutoff})
        chosen = read(conn, source(conn, cutoff, None), {"cutoff": cutoff})
    assert len(head) > 0
    pd.testing.assert_frame_equal(_sorted(tail, keys), _sorted(head, keys))
    pd.testing.assert_frame_equal(_sorted(chosen, keys), _sorted(head, keys))


def test_the_cheaper_side_is_chosen(loaded: Engine) -> None:
    with loaded.connect() as conn:
        assert from_end(conn, 20211219) is True  # a few days of facts after it
        assert from_end(conn, 20210731) is False  # nearly all doses come after it
        # Whole campaign before the cut-off: nothing after it to subtract.
        assert from_end(conn, 20220101) is True
