"""Vectorised normalisers: text in, canonical values (or NA where invalid) out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
# The usual shape of a timestamp with an offset; when every value has it, Arrow's ISO 8601
# cast (strict: it refuses any impossible date or time) reads the column ~10x faster.
STRICT_TS_RE = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$"
# datetime64 values pandas can hold; an Arrow fast path outside them falls back.
MIN_TS, MAX_TS = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31")


def text(s: pd.Series) -> pd.Series:
    """Trim and store NFC (files arrive in NFC or NFD); blank -> NA. Arrow kernels: fast."""
    return pd.Series(text_arrow(_arrow(s)), index=s.index, dtype="str")


def text_arrow(arr: pa.Array) -> pa.Array:
    """text() of Arrow large_string values (the one-row path reads its cells with it too)."""
    arr = pc.utf8_trim_whitespace(arr)
    if pc.all(pc.string_is_ascii(arr)).as_py() is False:
        arr = pc.utf8_normalize(arr, "NFC")  # ASCII is already NFC: skip the costly kernel
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)


def _arrow(s: pd.Series) -> pa.Array:
    if isinstance(s.array, pd.arrays.ArrowStringArray):
        # Already Arrow text (every text() result): take its buffers as they are; going
        # through astype costs ~0.2 ms a call, which a one-row command pays ~45 times.
        arr = pa.array(s.array, type=pa.large_string())
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return pa.array(s.astype("str"), type=pa.large_string(), from_pandas=True)


def _drop_decimal_zero(s: pd.Series) -> pd.Series:
    """'1.0' -> '1': spreadsheets turn codes and counts into floats."""
    arr = _arrow(s)
    if pc.any(pc.match_substring(arr, ".")).as_py():
        arr = pc.replace_substring_regex(arr, r"\.0+$", "")
    return pd.Series(arr, index=s.index, dtype="str")


def remove(s: pd.Series, pattern: str) -> pd.Series:
    """Delete every match of a regular expression (Arrow's RE2 kernel; no Python loop)."""
    arr = pc.replace_substring_regex(_arrow(s), pattern, "")
    return pd.Series(arr, index=s.index, dtype="str")


def lookup(s: pd.Series, mapping: dict) -> pd.Series:
    """s.map(mapping) by Arrow hash look-up (Series.map on text is ~20x slower); NA if absent."""
    if not mapping:
        return pd.Series([None] * len(s), index=s.index, dtype="object")
    values = list(mapping.values())
    keys = pa.array(list(mapping.keys()), type=pa.large_string())
    found = pc.take(pa.array(values), pc.index_in(_arrow(s), value_set=keys))
    if isinstance(values[0], str):
        return pd.Series(found.cast(pa.large_string()), index=s.index, dtype="str")
    return pd.Series(found, index=s.index, dtype=pd.ArrowDtype(found.type)).astype(
        "Int64" if pa.types.is_integer(found.type) else "float64")


def upper(s: pd.Series) -> pd.Series:
    """Trimmed upper-case text (codes and enum values)."""
    return upper_of_text(text(s))


def upper_of_text(t: pd.Series) -> pd.Series:
    """upper() of values already through text()."""
    return t.str.upper()


def code(s: pd.Series, width: int) -> tuple[pd.Series, pd.Series]:
    """Numeric GSO code padded to `width` (spreadsheets drop leading zeros); (value, ok)."""
    return code_of_text(text(s), width)


def code_of_text(t: pd.Series, width: int) -> tuple[pd.Series, pd.Series]:
    """code() of values already through text()."""
    t = _drop_decimal_zero(t)
    ok = t.str.fullmatch(rf"\d{{1,{width}}}").fillna(False).astype(bool)
    return t.str.zfill(width).where(ok, None), ok


def date(s: pd.Series) -> pd.Series:
    """ISO 8601 or day-first dd/mm/yyyy dates -> datetime64 (NaT where invalid)."""
    return date_of_text(text(s))


def date_of_text(t: pd.Series) -> pd.Series:
    """date() of values already through text()."""
    fast = _iso_dates(t)
    if fast is not None:
        return fast
    midnight = t.str.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]00:00:00(?:\.0+)?").fillna(False)
    if midnight.any():  # spreadsheet date cells arrive as midnight timestamps
        t = t.where(~midnight.astype(bool), t.str.slice(0, 10))
    iso = pd.to_datetime(t, format="%Y-%m-%d", errors="coerce")
    rest = iso.isna() & t.notna()
    if rest.any():
        iso = iso.where(~rest, pd.to_datetime(t.where(rest), format="%d/%m/%Y", errors="coerce"))
    return iso


def timestamp(s: pd.Series, tz: str) -> pd.Series:
    """ISO 8601 timestamps -> UTC; without an offset they are local time in `tz`."""
    return timestamp_of_text(text(s), tz)


def timestamp_of_text(t: pd.Series, tz: str) -> pd.Series:
    """timestamp() of values already through text()."""
    fast = _offset_timestamps(t)
    if fast is not None:
        return fast
    naive = t.notna() & ~t.str.contains(OFFSET_RE, regex=True).fillna(False).astype(bool)
    if naive.all() and t.notna().any():
        local = pd.to_datetime(t, format="ISO8601", errors="coerce")
        return local.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
    out = pd.to_datetime(t.where(~naive), format="ISO8601", utc=True, errors="coerce")
    if naive.any():
        local = pd.to_datetime(t.where(naive), format="ISO8601", errors="coerce")
        local = local.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        out = out.where(~naive, local)
    return out


def integer(s: pd.Series) -> pd.Series:
    """Whole numbers -> Int64 (NA where blank or not whole)."""
    return integer_of_text(text(s))


def integer_of_text(t: pd.Series) -> pd.Series:
    """integer() of values already through text()."""
    index = t.index
    t = _drop_decimal_zero(t)
    arr = _arrow(t)
    if pc.all(pc.match_substring_regex(arr, r"^-?\d{1,18}$")).as_py() is not False:
        # Fast path: every value is a plain whole number (the usual file).
        return pd.Series(pc.cast(arr, pa.int64()), index=index, dtype="Int64")
    num = pd.to_numeric(t, errors="coerce")
    # Beyond 18 digits a cell is no count of anything, and no 64-bit integer holds it exactly.
    whole = num.notna() & (np.floor(num) == num) & (num.abs() < 1e18)
    return num.where(whole).astype("Int64")


def _iso_dates(t: pd.Series) -> pd.Series | None:
    """Every value a valid YYYY-MM-DD date: Arrow's strict cast; else None (slow path)."""
    arr = _arrow(t)
    if arr.null_count == len(arr):
        return None
    try:
        days = pc.cast(arr, pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return _in_range(pc.cast(days, pa.timestamp("us")), t.index, None)


def _offset_timestamps(t: pd.Series) -> pd.Series | None:
    """Every value a plain ISO 8601 timestamp with an offset: Arrow's strict cast to UTC."""
    arr = _arrow(t)
    if arr.null_count == len(arr):
        return None
    if not pc.all(pc.match_substring_regex(arr, STRICT_TS_RE)).as_py():
        return None
    try:
        ts = pc.cast(arr, pa.timestamp("us", tz="UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return _in_range(ts, t.index, "UTC")


def _in_range(ts: pa.Array, index: pd.Index, tz: str | None) -> pd.Series | None:
    bounds = pc.min_max(ts)
    lo, hi = (pd.Timestamp(bounds[k].value, unit="us") for k in ("min", "max"))
    if lo < MIN_TS or hi > MAX_TS:
        return None
    naive = pc.cast(ts, pa.timestamp("us")).to_numpy(zero_copy_only=False)
    out = pd.Series(naive, index=index, dtype="datetime64[us]")
    return out.dt.tz_localize(tz) if tz else out


def number(s: pd.Series) -> pd.Series:
    """Decimal numbers (coordinates, capacities) -> float64."""
    return pd.to_numeric(text(s).str.replace(",", ".", regex=False), errors="coerce")


def _arrow_text(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(arr, index=index, dtype=pd.ArrowDtype(pa.string()))


def sql_date(s: pd.Series) -> pd.Series:
    """datetime64 -> 'YYYY-MM-DD' text for the database (Arrow cast: ~30x faster than strftime)."""
    arr = pa.array(s.to_numpy(dtype="datetime64[D]"), from_pandas=True)
    return _arrow_text(pc.cast(arr, pa.string()), s.index)


def sql_timestamp(s: pd.Series) -> pd.Series:
    """UTC datetime64 -> 'YYYY-MM-DD HH:MM:SS+00:00' text (both engines read it)."""
    naive = s.dt.tz_convert(None) if s.dt.tz is not None else s
    arr = pc.cast(pa.array(naive.to_numpy(dtype="datetime64[s]"), from_pandas=True), pa.string())
    return _arrow_text(pc.binary_join_element_wise(arr, pa.scalar("+00:00"), ""), s.index)


def local_date_key(ts_utc: pd.Series, tz: str) -> pd.Series:
    """dim_date key (YYYYMMDD) of the local calendar day of a UTC timestamp."""
    local = ts_utc.dt.tz_convert(tz)
    return (local.dt.year * 10000 + local.dt.month * 100 + local.dt.day).astype("Int64")


def date_key(d: pd.Series) -> pd.Series:
    """dim_date key of a datetime64 date."""
    return (d.dt.year * 10000 + d.dt.month * 100 + d.dt.day).astype("Int64")
