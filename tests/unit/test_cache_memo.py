"""The per-worker memo of built views: one build per data version, even under concurrency."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from data.cache import AggregateCache


class Versioned(AggregateCache):
    """An AggregateCache whose data version the test sets (no database)."""

    def __init__(self) -> None:
        super().__init__()
        self._cache.init_app(Flask("memo-test"), config={"CACHE_TYPE": "SimpleCache"})
        self.v = 1

    def version(self) -> int:
        return self.v


def test_concurrent_requests_share_one_build() -> None:
    cache, builds = Versioned(), []

    def build() -> str:
        builds.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while it runs
        return "figure"

    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(cache.memo("fig", {"lang": "vi"},
                                                                      build)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["figure"] * 8 and len(builds) == 1


def test_new_version_or_params_build_again_and_clear_forgets() -> None:
    cache, n = Versioned(), iter(range(100))
    first = cache.memo("fig", {"lang": "vi"}, lambda: next(n))
    assert cache.memo("fig", {"lang": "vi"}, lambda: next(n)) == first == 0
    assert cache.memo("fig", {"lang": "en"}, lambda: next(n)) == 1
    assert cache.memo("other", {"lang": "vi"}, lambda: next(n)) == 2
    cache.v = 2  # a load committed
    assert cache.memo("fig", {"lang": "vi"}, lambda: next(n)) == 3
    cache.clear()
    assert cache.memo("fig", {"lang": "vi"}, lambda: next(n)) == 4


def test_a_failed_build_is_not_kept() -> None:
    cache = Versioned()

    def broken() -> int:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        cache.memo("fig", {}, broken)
    assert cache.memo("fig", {}, lambda: 7) == 7


def test_the_memo_is_bounded_by_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    import data.cache as cache_module

    monkeypatch.setattr(cache_module, "MEMO_BYTES", 3_000_000)
    cache = Versioned()  # built after the patch: a 3 MB memo
    for i in range(10):
        cache.memo("big", {"i": i}, lambda: b"x" * 1_000_000)
    kept = cache._memo_cache
    assert 1 <= len(kept) <= 2 and kept.currsize <= 3_000_000
    assert cache.memo("big", {"i": 9}, lambda: b"rebuilt") == b"x" * 1_000_000  # newest kept
