"""The campaign's calendar day: every face counts "today" in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from data.services import Services


def local_today(svc: Services) -> dt.date:
    """Today in the campaign's time zone (settings.timezone)."""
    return dt.datetime.now(ZoneInfo(svc.settings.timezone)).date()


def end_of_day(day: dt.date, tz: str) -> dt.datetime:
    """The last stored moment of `day` in the time zone `tz` (the ledger keeps whole seconds,
    so `<= end_of_day` takes the whole day and nothing of the next)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), ZoneInfo(tz)) \
        - dt.timedelta(seconds=1)
