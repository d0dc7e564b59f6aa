"""The campaign's calendar day: every face counts "today" in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from data.services import Services


def local_today(svc: Services) -> dt.date:
    """Today in the campaign's time zone (settings.timezone)."""
    return dt.datetime.now(ZoneInfo(svc.settings.timezone)).date()
