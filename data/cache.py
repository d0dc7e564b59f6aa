"""Aggregate cache: flask-caching (Redis or in-process), versioned keys, fail-open."""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from cachetools import LRUCache, cached
from flask import Flask
from flask_caching import Cache
from sqlalchemy import Engine

from data.settings import Settings
from data.version import read_stamp

log = logging.getLogger(__name__)
T = TypeVar("T")

# After a cache failure, go straight to the database for this long before retrying Redis,
# so a dead Redis costs one timeout per window rather than one per request.
RETRY_AFTER_S = 5.0
# Values built from the aggregates (figures, tables) kept per worker process, bounded by their
# pickled size so a worker stays well under its memory budget (a full map is ~170 KB).
MEMO_BYTES = 48 * 1024 * 1024


def cache_config(settings: Settings) -> dict[str, Any]:
    """flask-caching configuration for the configured backend."""
    base: dict[str, Any] = {
        "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
        "CACHE_KEY_PREFIX": f"{settings.cache_prefix}:",
    }
    if settings.redis_url:
        return base | {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.redis_url,
            "CACHE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    return base | {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 5000}


def make_key(name: str, version: int, params: dict[str, Any], instance: str = "") -> str:
    """Deterministic key: database instance + name + data version + hash of the parameters."""
    blob = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.blake2b(blob.encode(), digest_size=10).hexdigest()
    return f"agg:{instance[:12]}:{name}:v{version}:{digest}"


class AggregateCache:
    """Created unbound; init_app binds it to a Flask server and an engine."""

    def __init__(self) -> None:
        self._cache = Cache()
        self._engine: Engine | None = None
        self._poll_s = 1.0
        self._version = 0
        self._instance = ""
        self._version_read_at = float("-inf")
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._memo_cache: LRUCache[str, Any] = LRUCache(MEMO_BYTES, getsizeof=_size)
        # Single flight: threads asking for a value being built wait for it instead of all
        # building it (what happens to every open page right after a load).
        memo_cond = threading.Condition()
        self._memo = cached(self._memo_cache, key=lambda key, _build: key,
                            lock=memo_cond, condition=memo_cond)(_call)

    def init_app(self, server: Flask, settings: Settings, engine: Engine) -> None:
        """Bind to a Flask server (the cache backend) and the database (the version)."""
        self._cache.init_app(server, config=cache_config(settings))
        self._engine = engine
        self._poll_s = settings.version_poll_s

    def version(self) -> int:
        """The data version, re-read from the database at most once per poll interval."""
        now = time.monotonic()
        if now - self._version_read_at >= self._poll_s:
            assert self._engine is not None, "AggregateCache used before init_app"
            with self._engine.connect() as conn:
                self._instance, self._version = read_stamp(conn)
            self._version_read_at = now
        return self._version

    def at_least(self, version: int) -> None:
        """A client has already seen `version` (from another worker, or this one before its
        re-read): read the version again rather than serve an older one."""
        if version > self._version:
            self.expire_version()

    def expire_version(self) -> None:
        """Forget the memoised version (after an in-process load)."""
        self._version_read_at = float("-inf")

    def get_or_compute(self, name: str, params: dict[str, Any], compute: Callable[[], T]) -> T:
        """Serve from cache, or compute, store and return; any cache error falls back."""
        key = make_key(name, self.version(), params, self._instance)
        if time.monotonic() < self._down_until:
            return compute()
        try:
            hit = self._cache.get(key)
        except Exception as exc:  # cache boundary: never let the cache take a page down
            self._failed(exc)
            return compute()
        if hit is not None:
            self._recovered()
            return hit
        value = compute()
        try:
            self._cache.set(key, value)
            self._recovered()
        except Exception as exc:  # cache boundary, as above; the value is still good
            self._failed(exc)
        return value

    def memo(self, name: str, params: dict[str, Any], build: Callable[[], T]) -> T:
        """A value derived from the aggregates, built once per data version in this process.

        For what is costly to derive but too large or too specific to share (plotly figures:
        building one costs 10-50 ms, serving a kept one well under 1 ms). The key carries the
        database instance and data version like the shared cache, so a load invalidates it.
        """
        return self._memo(make_key(name, self.version(), params, self._instance), build)

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            if self._down_until == 0.0:
                log.warning("aggregate cache unavailable, serving from the database: %s", exc)
            self._down_until = time.monotonic() + RETRY_AFTER_S

    def _recovered(self) -> None:
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            log.warning("aggregate cache available again")

    def clear(self) -> None:
        """Drop every entry (tests)."""
        self._cache.clear()
        with self._memo.cache_lock:
            self._memo_cache.clear()


def _call(_key: str, build: Callable[[], T]) -> T:
    return build()


def _size(value: Any) -> int:
    """Approximate bytes a kept value holds (its pickle); unpicklable values count 1 MB."""
    try:
        return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # an object pickle cannot take still has to be counted
        return 1024 * 1024
