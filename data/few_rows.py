"""A command's row or two, as the writes take them: records (dicts of plain Python values),
with the frame the bulk path takes built only when a path asks for it.

A form's or an API call's row is checked by the kinds' one-row path as a dict; turning it
into a pandas frame and back (Arrow both ways, plus pandas' row access) cost about a third
of a self-registration's CPU (BENCHMARKS.md section 13). Only a correction of a stored
record still needs the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import pyarrow as pa

Record = dict[str, object]


def frame_records(frame: pd.DataFrame) -> list[Record]:
    """A few rows of a frame as dicts of the values bulk.plain_rows gives (Arrow's, NA ->
    None), converted once."""
    return pa.Table.from_pandas(frame, preserve_index=False).to_pylist()


@dataclass(frozen=True)
class FewRows:
    """Records, and how to build the same rows as the column path's frame."""

    records: list[Record]
    build: Callable[[], pd.DataFrame] = field(repr=False, compare=False)

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> FewRows:
        """The rows of a frame the column path gave."""
        return cls(frame_records(frame), lambda: frame)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The rows as the bulk path takes them (same columns and dtypes as the column
        path's)."""
        return self.build()

    @property
    def first(self) -> Record:
        """The row of a one-row command."""
        return self.records[0]

    def column(self, name: str) -> list[object]:
        """One column's values, in row order."""
        return [r[name] for r in self.records]

    def __len__(self) -> int:
        return len(self.records)
