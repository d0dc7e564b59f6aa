"""The command-center pages' shared filters in the URL (?from=&as_of=&vaccine=&province=): pure."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

# The calendar dimension's days (data.refdata.DATE_RANGE; pages import this module and may not
# import data, so the bounds stand here too and a unit test keeps them equal).
DATE_RANGE = (dt.date(2019, 1, 1), dt.date(2031, 12, 31))

_VACCINE = re.compile(r"^[A-Z]{2,5}$")
# The catalogue's vaccine codes (data.catalog.VACCINES; kept equal by a unit test): a code of
# no vaccine is dropped like a malformed one, or ?vaccine=XYZ left the vaccine list blank and
# every figure at zero under a notice saying it was ignored.
VACCINE_CODES = frozenset({"AZ", "SPV", "VRC", "PFZ", "MOD", "JNJ", "HYT", "ABD", "CVX"})
_PROVINCE = re.compile(r"^\d{2}$")


@dataclass(frozen=True)
class Filters:
    """as_of (ISO date), vaccine code, province code and the start of a date range (ISO date,
    `from` in the URL; ranges end on as_of); None where not set."""

    as_of: str | None = None
    vaccine: str | None = None
    province: str | None = None
    date_from: str | None = None

    @property
    def day(self) -> dt.date | None:
        """as_of as a date."""
        return dt.date.fromisoformat(self.as_of) if self.as_of else None

    @property
    def since(self) -> dt.date | None:
        """date_from as a date."""
        return dt.date.fromisoformat(self.date_from) if self.date_from else None


# The URL's filter keys, in the order the notices of ignored values name them.
URL_KEYS = ("from", "as_of", "vaccine", "province")
SHOWN_CHARS = 40  # of a value quoted back in a notice


def _day(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _in_range(day: dt.date) -> bool:
    return DATE_RANGE[0] <= day <= DATE_RANGE[1]


def _date(value: Any) -> str | None:
    day = _day(value)
    # Only days the calendar dimension holds: a shared link with ?as_of=0001-01-05 made
    # date arithmetic overflow (issue 10, defect 8).
    return day.isoformat() if day is not None and _in_range(day) else None


def _match(pattern: re.Pattern[str], value: Any) -> str | None:
    return value if isinstance(value, str) and pattern.match(value) else None


def _vaccine(value: Any) -> str | None:
    code = _match(_VACCINE, value)
    return code if code in VACCINE_CODES else None


def parse(query: Mapping[str, Any]) -> Filters:
    """Filters from a query (layout kwargs or callback values); malformed values are dropped."""
    return Filters(_date(query.get("as_of")), _vaccine(query.get("vaccine")),
                   _match(_PROVINCE, query.get("province")), _date(query.get("from")))


def to_search(filters: Filters) -> str:
    """The URL search string of `filters` ('' when none is set), in a fixed order."""
    pairs = [(k, v) for k, v in (("from", filters.date_from), ("as_of", filters.as_of),
                                 ("vaccine", filters.vaccine), ("province", filters.province))
             if v]
    return f"?{urlencode(pairs)}" if pairs else ""


def asked(query: Mapping[str, Any], keys: Collection[str] = URL_KEYS) -> dict[str, str]:
    """The filter values of a URL as typed (of `keys`; a repeated key's values joined by ',',
    each cut to SHOWN_CHARS), for the notice of the ones the page cannot use."""
    out: dict[str, str] = {}
    for key in (k for k in URL_KEYS if k in keys):
        value = query.get(key)
        text = ",".join(map(str, value)) if isinstance(value, list) else (
            "" if value is None else str(value))
        if text:
            out[key] = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"
    return out


def ignored(values: Mapping[str, str], vaccines: Collection[str],
            provinces: Collection[str]) -> list[tuple[str, str, str]]:
    """(key, why, value) of every URL filter value `parse` drops or that names no known
    vaccine or province; why is 'range' (a date outside the campaign), 'bad' (unreadable)
    or 'unknown' (a well-formed code of nothing)."""
    parsed = parse(values)
    kept = {"from": parsed.date_from, "as_of": parsed.as_of, "vaccine": parsed.vaccine,
            "province": parsed.province}
    known = {"vaccine": vaccines, "province": provinces}
    out: list[tuple[str, str, str]] = []
    for key in (k for k in URL_KEYS if k in values):
        value = values[key]
        if key == "vaccine" and _match(_VACCINE, value) and value not in known[key]:
            out.append((key, "unknown", value))
        elif kept[key] is None:
            day = _day(value) if key in ("from", "as_of") else None
            out.append((key, "range" if day is not None else "bad", value))
        elif key in known and kept[key] not in known[key]:
            out.append((key, "unknown", value))
    return out
