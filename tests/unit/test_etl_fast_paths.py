"""The fast paths of the interchange rules give exactly what the general paths give
(data/interchange/parse.py, data/interchange/kinds)."""

from __future__ import annotations

import random
import sys
import unicodedata

import numpy as np
import pandas as pd
import pytest

from data.bulk import plain_rows
from data.interchange import parse
from data.interchange.kinds.base import keep_last_per_key
from data.interchange.kinds.common import id_shapes
from data.interchange.validate import Validator
from etl.readers import LINE

TZ = "Asia/Ho_Chi_Minh"


def _t(*values: object) -> pd.Series:
    return parse.text(pd.Series(list(values), dtype="object"))


# -- identity shapes: character-class kernels vs the regular expressions they replace ----------

def test_id_shapes_equal_the_full_matches() -> None:
    rng = random.Random(3)
    alphabet = "0123456789ABCZaz.-ẞÉ١ ๓\u00b2\u2163"
    values: list[str | None] = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 13))) for _ in range(20_000)]
    # Every Unicode decimal digit: pandas' fullmatch (Python re) counts them for \d.
    digits = [chr(c) for c in range(sys.maxunicode)
              if unicodedata.category(chr(c)) == "Nd"]
    values += ["12345678901" + d for d in digits]
    values += ["123456789012", "123456789", "B1234567", "1B23456", "ABCDEF", "ABCDE", "", None,
               "A123456789", "É12345", "1234567890\u00b21"]
    pid = pd.Series(values, dtype="str").str.upper()
    shapes = id_shapes(pid)
    for name, pattern in [("d12", r"\d{12}"), ("d9", r"\d{9}"),
                          ("passport", r"[A-Z0-9]{6,9}"),
                          ("passport_inferred", r"[A-Z][A-Z0-9]{5,8}")]:
        expected = pid.str.fullmatch(pattern).fillna(False).astype(bool).to_numpy()
        assert np.array_equal(shapes[name], expected), name


# -- dates and timestamps: Arrow's strict casts vs pandas ------------------------------------

@pytest.fixture
def slow_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn the Arrow fast paths off, so the general pandas paths answer."""
    monkeypatch.setattr(parse, "_iso_dates", lambda t: None)
    monkeypatch.setattr(parse, "_offset_timestamps", lambda t: None)


DATES = ["2021-06-01", "2020-02-29", "2021-02-29", "2021-13-01", "0001-01-01", "19/06/2021",
         "2021-06-01T00:00:00", "2021-6-1", None, "", "abc"]
TIMESTAMPS = ["2021-06-01T10:00:00+07:00", "2021-06-01 10:00:00Z",
              "2021-06-01T10:00:00.123456-05:30", "2021-02-29T10:00:00+07:00",
              "2021-06-01T24:00:00+07:00", "2021-06-01T10:00:00+0700", "2021-06-01T10:00:00",
              "1600-01-01T00:00:00Z", "2021-06-01T10:00:00+25:00", None, ""]


@pytest.mark.parametrize("value", DATES)
def test_dates_fast_path_agrees(value: str | None, request: pytest.FixtureRequest) -> None:
    t = _t(value, "2021-06-02")
    fast = parse.date_of_text(t)
    request.getfixturevalue("slow_paths")
    slow = parse.date_of_text(t)
    assert fast.equals(slow), (fast.tolist(), slow.tolist())


@pytest.mark.parametrize("value", TIMESTAMPS)
def test_timestamps_fast_path_agrees(value: str | None, request: pytest.FixtureRequest) -> None:
    t = _t(value, "2021-06-02T11:00:00+07:00")
    fast = parse.timestamp_of_text(t, TZ)
    request.getfixturevalue("slow_paths")
    slow = parse.timestamp_of_text(t, TZ)
    assert fast.equals(slow), (fast.tolist(), slow.tolist())


def test_fast_paths_are_taken_for_the_usual_file() -> None:
    assert parse._iso_dates(_t("2021-06-01", None, "1990-12-31")) is not None
    ts = parse._offset_timestamps(_t("2021-06-01T10:00:00+07:00", None))
    assert ts is not None and str(ts.iloc[0]) == "2021-06-01 03:00:00+00:00"
    assert parse._offset_timestamps(_t("2021-06-01T10:00:00")) is None  # local time: pandas


# -- validator, duplicates, driver rows --------------------------------------------------------

def test_validator_normalises_each_column_once() -> None:
    raw = pd.DataFrame({"a": pd.Series([" x ", None], dtype="str"), LINE: [2, 3]})
    v = Validator(raw, "en", TZ)
    assert v.text("a") is v.text("a")
    assert v.text("a").tolist()[0] == "x"


def test_keep_last_per_key_with_and_without_duplicates() -> None:
    rows = pd.DataFrame({"k": pd.Series(["a", "b", "c"], dtype="str"), "v": [1, 2, 3]})
    same, n = keep_last_per_key(rows, "k")
    assert n == 0 and same is rows
    rows = pd.DataFrame({"k": pd.Series(["a", "b", "a"], dtype="str"), "v": [1, 2, 3]})
    kept, n = keep_last_per_key(rows, "k")
    assert n == 1 and kept["v"].tolist() == [2, 3]


def test_plain_rows_are_python_values_with_none_for_missing() -> None:
    frame = pd.DataFrame({
        "s": pd.Series(["a", None], dtype="str"), "i": pd.Series([1, None], dtype="Int64"),
        "b": [True, False], "n": np.array([5, 6], dtype="int64"),
    })
    assert list(plain_rows(frame)) == [("a", 1, True, 5), (None, None, False, 6)]
