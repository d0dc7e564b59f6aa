"""The shortcuts a one-row command benefits from give what the general paths give
(data/interchange/parse.py _arrow, data/interchange/validate.py _flags)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from data.interchange import parse
from data.interchange.validate import _flags


def _general_arrow(s: pd.Series) -> pa.Array:
    return pa.array(s.astype("str"), type=pa.large_string(), from_pandas=True)


@pytest.mark.parametrize("series", [
    pd.Series(["a", None, " b "], dtype="str"),
    pd.Series(["Nguyễn", None, ""], dtype="string[pyarrow]"),
    pd.concat([pd.Series(["x"], dtype="str"), pd.Series([None, "y"], dtype="str")]),
    pd.Series([], dtype="str"),
])
def test_arrow_text_taken_as_is_equals_the_cast(series: pd.Series) -> None:
    assert isinstance(series.array, pd.arrays.ArrowStringArray)  # the shortcut's case
    fast = parse._arrow(series)
    assert isinstance(fast, pa.Array) and fast.type == pa.large_string()
    general = _general_arrow(series)  # a ChunkedArray when the column has several chunks
    if isinstance(general, pa.ChunkedArray):
        general = general.combine_chunks()
    assert fast.equals(general)


@pytest.mark.parametrize("mask", [
    np.array([True, False, True]), pd.Series([False, True, False]),
    pd.Series([True, None, False], dtype="boolean"), pd.Series([1, 0, None], dtype="object"),
    [True, False, False],
])
def test_flags_equal_the_general_fill(mask: object) -> None:
    general = np.asarray(pd.Series(mask).fillna(False), dtype=bool)
    fast = _flags(mask)  # type: ignore[arg-type]
    assert fast.dtype == bool and fast.tolist() == general.tolist()
