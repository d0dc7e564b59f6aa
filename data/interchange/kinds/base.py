"""What every kind's transform returns."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class Transformed:
    """Canonical valid rows (operational + fact columns) and the reject rows."""

    rows: pd.DataFrame
    rejects: pd.DataFrame
    duplicates: int = 0


@dataclass
class Parts:
    """A raw file cut into row ranges that validate and load one after another.

    `key_bounds` is the least and greatest id of the whole file (None when it has none).
    """

    frames: list[pd.DataFrame]
    key_bounds: tuple[str, str] | None


def n_distinct(values: pa.Array) -> int:
    """Distinct values, a null counting as one: Arrow's hash `unique` (its count_distinct
    kernel is about 4x slower on a million ids)."""
    return len(pc.unique(values))


def keep_last_per_key(rows: pd.DataFrame, key: str) -> tuple[pd.DataFrame, int]:
    """Within one file the last row of an id wins (it is the latest correction)."""
    ids = pa.array(rows[key], type=pa.large_string(), from_pandas=True)
    if n_distinct(ids) == len(rows):
        return rows, 0  # the usual file: one hash pass instead of pandas' factorize
    dup = rows.duplicated(key, keep="last")
    n = int(dup.sum())
    return (rows[~dup] if n else rows), n
