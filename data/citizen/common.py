"""Pieces both citizen commands share: the channel, the audit actor, the local clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from data.audit import Actor
from data.command_errors import Problem
from data.messages import N_
from data.models.citizen import CHANNELS
from data.services import Services
from data.settings import Settings

CHANNEL_UNKNOWN = N_("citizen.channel_unknown")


def engine_tz(target: Services | Engine, tz: str | None) -> tuple[Engine, str]:
    """The engine of `target` and the time zone of its days (`tz`, else the settings')."""
    if isinstance(target, Services):
        return target.engine, tz or target.settings.timezone
    return target, tz or Settings.timezone


def moment(now: dt.datetime | None) -> dt.datetime:
    """The moment recorded: `now` (a naive one is UTC) or the clock's."""
    if now is None:
        return dt.datetime.now(dt.UTC)
    return now if now.tzinfo else now.replace(tzinfo=dt.UTC)


def local_day(at: dt.datetime, tz: str) -> dt.date:
    """The local date of a moment (a naive one, as SQLite hands back, is UTC)."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(tz)).date()


def channel_code(value: object, problems: list[Problem]) -> str:
    """'portal' or 'app' (any case) as stored; a problem otherwise."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in CHANNELS:
        problems.append(Problem("channel", CHANNEL_UNKNOWN, ", ".join(CHANNELS)))
    return code


def citizen_actor(channel: str, source: str | None) -> Actor:
    """The audit actor of a citizen (no user account) writing through a channel."""
    return Actor(None, f"citizen:{channel.lower() or 'unknown'}", (source or None) and
                 source[:64])
