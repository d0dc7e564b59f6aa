"""The loader's Python path for a few rollup delta rows (a one-dose command) gives exactly
the groups, sums, maxima, columns and dtypes of its pandas path (data/loaders/injections.py)."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from data.loaders import injections as loader


def _delta(rng: random.Random, n: int) -> pd.DataFrame:
    """n +1/-1 rows drawn from few keys, so rows share groups and some cancel out."""
    rows = []
    for _ in range(n):
        district = rng.choice(["001", "002", "760"])
        rows.append({
            "date_key": rng.choice([20210801, 20210802]), "district_code": district,
            "province_code": "79" if district == "760" else rng.choice(["01", "00"]),
            "vaccine_key": rng.choice([1, 2]), "dose_key": rng.choice([1, 4]),
            "group_key": rng.choice([11, 22]), "facility_key": rng.choice([5, 6]),
            "lot_number": rng.choice(["AZ2108A", "FF2222", None]),
            "n": rng.choice([1, 1, -1])})
    frame = pd.DataFrame(rows)
    frame["lot_number"] = frame["lot_number"].astype("str")
    return frame


def _sorted(grouped: loader.Grouped) -> dict[str, pd.DataFrame]:
    return {t: loader._as_frame(t, f).sort_values(loader.ROLLUPS[t]).reset_index(drop=True)
            for t, f in grouped.items()}


@pytest.mark.parametrize("seed", range(40))
def test_small_deltas_group_as_pandas_does(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    delta = _delta(rng, rng.randint(1, 12))
    small = _sorted(loader._group_small(delta.copy()))
    monkeypatch.setattr(loader, "SMALL_DELTA", -1)  # force the pandas path
    general = _sorted(loader._group_deltas(delta.copy()))
    assert small.keys() == general.keys()
    for table, frame in general.items():
        pd.testing.assert_frame_equal(small[table], frame, check_dtype=True)
    # What a command upserts: the same records either way.
    records = {t: sorted(loader._records(f), key=str) for t, f in general.items()}
    assert {t: sorted(loader._records(f), key=str)
            for t, f in loader._group_small(delta.copy()).items()} == records


def test_one_dose_takes_the_python_path_and_a_correction_cancels_out() -> None:
    one = _delta(random.Random(1), 1).assign(n=1)
    assert loader.SMALL_DELTA >= 2
    grouped = loader._group_deltas(one.copy())
    assert all(isinstance(g, list) for g in grouped.values())  # no frame is built
    assert set(grouped) == set(loader.ROLLUPS) or one["lot_number"].isna().any()
    moved = pd.concat([one.assign(n=-1), one], ignore_index=True)
    assert loader._group_deltas(moved) == {}
