"""The command-center pages' shared filters in the URL (?from=&as_of=&vaccine=&province=): pure."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from data.refdata import DATE_RANGE

_VACCINE = re.compile(r"^[A-Z]{2,5}$")
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


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    # Only days the calendar dimension holds: a shared link with ?as_of=0001-01-05 made
    # date arithmetic overflow (issue 10, defect 8).
    return day.isoformat() if DATE_RANGE[0] <= day <= DATE_RANGE[1] else None


def _match(pattern: re.Pattern[str], value: Any) -> str | None:
    return value if isinstance(value, str) and pattern.match(value) else None


def parse(query: Mapping[str, Any]) -> Filters:
    """Filters from a query (layout kwargs or callback values); malformed values are dropped."""
    return Filters(_date(query.get("as_of")), _match(_VACCINE, query.get("vaccine")),
                   _match(_PROVINCE, query.get("province")), _date(query.get("from")))


def to_search(filters: Filters) -> str:
    """The URL search string of `filters` ('' when none is set), in a fixed order."""
    pairs = [(k, v) for k, v in (("from", filters.date_from), ("as_of", filters.as_of),
                                 ("vaccine", filters.vaccine), ("province", filters.province))
             if v]
    return f"?{urlencode(pairs)}" if pairs else ""
