"""Cells safe to publish: text a spreadsheet opens as text, never as a formula (CSV and XLSX
exports), and small counts suppressed on public figures (small-cell suppression, below).

A text cell that begins with = + - @ (or a tab or carriage return, which Excel skips before
one of them) is run as a formula when the file is opened: `=cmd|' /C calc'!A0` in a facility
name would start a program on the reader's computer. OWASP's advice ("CSV Injection") is
followed: such a cell gets a leading apostrophe, which spreadsheets show as text. Numbers stay
numbers: numeric columns are never touched, and text that is a plain number ("-5", "+84")
cannot run anything, so it is kept as it is.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def safe_text(value: object) -> object:
    """`value` with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells and column names are all safe_text."""
    out = df.copy()
    for i, dtype in enumerate(out.dtypes):
        col = out.iloc[:, i]
        if isinstance(dtype, pd.CategoricalDtype):
            out.isetitem(i, col.astype(object).map(safe_text, na_action="ignore"))
        elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out.isetitem(i, col.map(safe_text, na_action="ignore").astype(dtype))
        # Numeric, boolean and date columns cannot hold a formula: they pass untouched.
    out.columns = [safe_text(c) for c in out.columns]
    return out


# -- small-cell suppression ------------------------------------------------------------------
# Public figures (the portal's figures page, its JSON and CSV) never show a figure computed
# over fewer than MIN_CELL people: a count under it is shown as "< 10", and a rate whose
# numerator or denominator is under it is not shown at all (a rate of 1 case in 3 doses would
# point at a person as surely as the count). The rule applies to every count alike, zero too.
MIN_CELL = 10


def shown_count(n: int | None) -> int | None:
    """`n` when it counts at least MIN_CELL, else None (suppressed)."""
    return int(n) if n is not None and n >= MIN_CELL else None


def shown_rate(numerator: int | None, denominator: int | None, per: float = 100.0,
               digits: int = 2) -> float | None:
    """numerator x per / denominator rounded, or None when either side counts fewer than
    MIN_CELL (suppressed) or is missing."""
    if shown_count(numerator) is None or shown_count(denominator) is None:
        return None
    return round(per * numerator / denominator, digits)  # type: ignore[operator]
