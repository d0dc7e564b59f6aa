"""What every kind's transform returns."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Transformed:
    """Canonical valid rows (operational + fact columns) and the reject rows."""

    rows: pd.DataFrame
    rejects: pd.DataFrame
    duplicates: int = 0


def keep_last_per_key(rows: pd.DataFrame, key: str) -> tuple[pd.DataFrame, int]:
    """Within one file the last row of an id wins (it is the latest correction)."""
    dup = rows.duplicated(key, keep="last")
    n = int(dup.sum())
    return (rows[~dup] if n else rows), n
