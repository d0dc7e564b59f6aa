"""Cutting an injections file into parts, and validating one part ahead of the writer."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from data.interchange.kinds.injections import split
from etl.lookahead import ahead


def _raw(ids: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame({"record_id": pd.Series(ids, dtype="str"),
                         "line": range(2, len(ids) + 2)})


def test_distinct_ids_are_cut_into_a_short_first_part_then_full_parts() -> None:
    parts = split(_raw([f"R{i:03d}" for i in range(50, 0, -1)]), 16)
    assert [len(p) for p in parts.frames] == [4, 16, 16, 14]
    assert pd.concat(parts.frames)["line"].tolist() == list(range(2, 52))  # order kept
    assert parts.key_bounds == ("R001", "R050")


def test_ids_are_compared_as_the_transform_reads_them() -> None:
    # ' R1' and 'R1' are one id once trimmed: the file stays whole.
    parts = split(_raw(["R1", "R2", " R1", "R3", "R4", "R5"]), 2)
    assert len(parts.frames) == 1 and parts.key_bounds == ("R1", "R5")


def test_blank_ids_do_not_count_as_repeats() -> None:
    parts = split(_raw(["R1", None, "  ", "R2", "R3", None, "R4", "R5"]), 4)
    assert [len(p) for p in parts.frames] == [1, 4, 3]
    assert parts.key_bounds == ("R1", "R5")


def test_a_file_without_ids_is_one_part_without_bounds() -> None:
    parts = split(_raw([None, None]), 1)
    assert len(parts.frames) == 1 and parts.key_bounds is None
    assert split(pd.DataFrame({"line": [2]}), 1).key_bounds is None


def test_ahead_keeps_order_and_works_one_item_ahead() -> None:
    started: list[int] = []
    second_started = threading.Event()

    def work(i: int) -> int:
        started.append(i)
        if i == 1:
            second_started.set()
        return i * 10

    out = []
    for value in ahead(work, range(4)):
        if value == 0:
            # While the caller holds item 0, item 1 is being (or has been) computed.
            assert second_started.wait(5)
        out.append(value)
    assert out == [0, 10, 20, 30] and started == [0, 1, 2, 3]


def test_ahead_raises_at_the_failing_item() -> None:
    def work(i: int) -> int:
        if i == 2:
            raise ValueError("bad part 2")
        return i

    got = []
    with pytest.raises(ValueError, match="bad part 2"):
        for value in ahead(work, range(5)):
            got.append(value)
    assert got == [0, 1]
