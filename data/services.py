"""The bundle of bound resources handed to callbacks and commands."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import Engine

from data.cache import AggregateCache
from data.db import make_engine
from data.settings import Settings


@dataclass(frozen=True)
class Services:
    """Settings, engine and aggregate cache of one app (or one benchmark)."""

    settings: Settings
    engine: Engine
    cache: AggregateCache


def build_services(settings: Settings, server: Flask | None = None) -> Services:
    """Create the engine and bind a fresh cache to `server` (a bare Flask if none)."""
    engine = make_engine(settings)
    cache = AggregateCache()
    cache.init_app(server or Flask("vx-services"), settings, engine)
    return Services(settings=settings, engine=engine, cache=cache)
