"""The cells of one row read as data.interchange.parse reads a column, for the usual shapes.

A form, the API and the simulator send one row at a time. On a one-row frame pandas' fixed
cost per column operation (tens of microseconds, a few hundred operations a row) was most of
a command's CPU. These readers take the shapes a client sends (codes and numbers in ASCII
digits, ISO dates and timestamps, text) and give exactly the value the column path gives.
Anything else, and anything a rule refuses, raises Unsure: the caller then runs the row
through the column path (data.interchange.kinds), which decides and words every refusal.
So this path never accepts what the column path refuses, and the rules' wording lives once;
tests/unit/test_one_row_rules.py holds the two paths equal on generated cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from data.interchange import parse

_DIGITS = re.compile(r"-?[0-9]{1,18}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_OFFSET_TS = re.compile(parse.STRICT_TS_RE.strip("^$"), re.ASCII)
_LOCAL_TS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
                       r"(?:\.[0-9]{1,6})?", re.ASCII)
# Timestamps before 1970 are left to the column path: datetime64's rounding of negative
# epoch values to whole seconds is not worth copying for doses that cannot be that old.
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MAX = parse.MAX_TS.to_pydatetime().replace(tzinfo=dt.UTC)
_MIN_DATE, _MAX_DATE = parse.MIN_TS.date(), parse.MAX_TS.date()


class Unsure(Exception):  # noqa: N818 - a verdict, not a failure
    """Not a shape this path reads, or a value a rule refuses: use the column path."""


def _arrow_one(value: str) -> pa.Array:
    return pa.array([value], type=pa.large_string())


def text(cell: str | None) -> str | None:
    """parse.text of one cell: trimmed, NFC, blank -> None."""
    if cell is None:
        return None
    if cell.isascii() and cell.isprintable():
        return cell.strip(" ") or None  # the only whitespace in printable ASCII is the space
    if _letters_beyond_ascii(cell):
        # Vietnamese names and addresses: no whitespace beyond the ASCII space, so trimming
        # is the same; Python's NFC is Arrow's (both the Unicode standard's). Arrow's kernels
        # for one value cost about 25 times this.
        return unicodedata.normalize("NFC", cell.strip(" ")) or None
    return parse.text_arrow(_arrow_one(cell))[0].as_py()


def _letters_beyond_ascii(cell: str) -> bool:
    """Whether every character is printable ASCII or a letter or mark (no odd spaces)."""
    return all((c.isascii() and c.isprintable()) or unicodedata.category(c)[0] in "LM"
               for c in cell)


def required(cell: str | None) -> str:
    """Non-blank text."""
    t = text(cell)
    if t is None:
        raise Unsure
    return t


def upper(t: str | None) -> str | None:
    """parse.upper_of_text of one value (Arrow's utf8_upper beyond ASCII)."""
    if t is None or t.isascii():
        return None if t is None else t.upper()
    return pc.utf8_upper(_arrow_one(t))[0].as_py()


def ascii_printable(t: str) -> str:
    """The value when it is printable ASCII (where Python's and RE2's classes agree)."""
    if not (t.isascii() and t.isprintable()):
        raise Unsure
    return t


def choice(cell: str | None, choices: Iterable[str], *, required: bool = True,
           default: str | None = None, aliases: Mapping[str, str] | None = None) -> str | None:
    """Validator.choice: an upper-case value from a closed list."""
    t = upper(text(cell))
    if aliases and t is not None:
        t = aliases.get(t, t)
    if t is None:
        t = default
    if t is None:
        if required:
            raise Unsure
        return None
    if t not in choices:
        raise Unsure
    return t


def integer(cell: str | None, lo: int | None = None, hi: int | None = None, *,
            default: int | None = None) -> int:
    """Validator.integer of a required (or defaulted) whole number in ASCII digits."""
    t = text(cell)
    if t is None:
        if default is None:
            raise Unsure
        return default
    if not _DIGITS.fullmatch(t):
        raise Unsure  # '2.0', '1e3', other digits: the column path reads them
    n = int(t)
    if lo is not None and hi is not None and not lo <= n <= hi:
        raise Unsure
    return n


def code(cell: str | None, width: int) -> str | None:
    """parse.code_of_text of a GSO code in ASCII digits, zero-padded; None when blank."""
    t = text(cell)
    if t is None:
        return None
    if not (t.isascii() and t.isdigit() and len(t) <= width):
        raise Unsure
    return t.zfill(width)


def date(cell: str | None, tz: str) -> dt.date:
    """Validator.date of a required YYYY-MM-DD date, not after today in `tz`."""
    t = required(cell)
    if not _ISO_DATE.fullmatch(t):
        raise Unsure  # dd/mm/yyyy and spreadsheet midnights: the column path reads them
    try:
        d = dt.date.fromisoformat(t)
    except ValueError:
        raise Unsure from None
    if not _MIN_DATE <= d <= _MAX_DATE or d > dt.datetime.now(ZoneInfo(tz)).date():
        raise Unsure
    return d


def timestamp(cell: str | None, tz: str) -> dt.datetime:
    """Validator.timestamp of a required ISO 8601 timestamp (a time without an offset is
    local in `tz`), as UTC; at most a minute ahead of now, as the rule allows."""
    t = required(cell)
    if _OFFSET_TS.fullmatch(t):
        try:
            at = dt.datetime.fromisoformat(t).astimezone(dt.UTC)
        except ValueError:
            raise Unsure from None
    elif _LOCAL_TS.fullmatch(t):
        at = _local(t, ZoneInfo(tz))
    else:
        raise Unsure
    if not _EPOCH <= at < _MAX or at > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1):
        raise Unsure
    return at


def _local(t: str, zone: ZoneInfo) -> dt.datetime:
    """A local wall time as UTC; a time the zone skips or repeats is left to the column path
    (which makes it NaT and refuses it)."""
    try:
        naive = dt.datetime.fromisoformat(t)
    except ValueError:
        raise Unsure from None
    early, late = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if early.utcoffset() != late.utcoffset():
        raise Unsure
    at = early.astimezone(dt.UTC)
    if at.astimezone(zone).replace(tzinfo=None) != naive:
        raise Unsure
    return at


def sql_date(d: dt.date) -> str:
    """parse.sql_date of one date."""
    return d.isoformat()


def sql_timestamp(at: dt.datetime) -> str:
    """parse.sql_timestamp of one UTC moment (whole seconds, as datetime64[s] keeps them)."""
    return f"{at:%Y-%m-%d %H:%M:%S}+00:00"


def date_key(d: dt.date) -> int:
    """dim_date key (YYYYMMDD)."""
    return d.year * 10000 + d.month * 100 + d.day
