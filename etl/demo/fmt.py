"""Fast vectorised text formatting of numbers, dates and timestamps."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from etl.demo.curve import EPOCH

_EPOCH_D = np.datetime64(EPOCH.isoformat(), "D")


def zpad(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded decimal strings of a fixed width."""
    v = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = ((v[:, None] // powers) % 10 + ord("0")).astype(np.uint8)
    return digits.view(f"S{width}").ravel().astype(f"U{width}").astype(object)


def iso_dates(days: np.ndarray) -> np.ndarray:
    """Day indices (since EPOCH) as ISO dates."""
    d = np.asarray(days, dtype=np.int64)
    if len(d) == 0:
        return np.array([], dtype=object)
    lo = int(d.min())
    span = _EPOCH_D + np.arange(lo, int(d.max()) + 1).astype("timedelta64[D]")
    # A lookup table over the (short) range of days is much faster than formatting each.
    table = np.datetime_as_string(span, unit="D").astype(object)
    return table[d - lo]


def iso_times(seconds: np.ndarray) -> np.ndarray:
    """Seconds since EPOCH (local time) as ISO 8601 timestamps with the +07:00 offset."""
    day, sec = np.divmod(np.asarray(seconds, dtype=np.int64), 86_400)
    return iso_dates(day) + _clock_table()[sec]


@lru_cache(maxsize=1)
def _clock_table() -> np.ndarray:
    """'THH:MM:SS+07:00' for every second of a day."""
    clock = np.arange(86_400)
    return ("T" + zpad(clock // 3600, 2) + ":" + zpad(clock // 60 % 60, 2) + ":"
            + zpad(clock % 60, 2) + "+07:00")
