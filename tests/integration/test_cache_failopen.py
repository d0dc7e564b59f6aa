"""The aggregate cache: fail-open on a dead Redis, cached reads, versioned invalidation."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from data import cache
from data.mcc import aggregates
from data.services import Services, build_services
from data.settings import Settings
from etl.pipeline import load_file
from tests.conftest import redis_url
from tests.factories import FACILITY, injection, population, write_csv

DEAD_REDIS = "redis://127.0.0.1:6390/0"  # nothing listens there
DAY = dt.date(2021, 8, 1)
EXPECTED = {"doses": 3, "dose1": 2, "fully": 1, "booster": 0, "additional": 0, "today": 2,
            "last_date_key": 20210901, "last_day_doses": 1, "population": 1000,
            "pct_dose1": 0.2, "pct_fully": 0.1}


@pytest.fixture
def loaded(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """Three doses in Hà Nội (two first doses on 1 August, one second dose), population 1,000."""
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    load_file(settings, engine, "population", write_csv(tmp_path / "p.csv",
                                                        [population("01", 1000)]))
    result = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", [
        injection("R1"), injection("R2", person_id="001090099999"),
        injection("R3", dose_number=2, administered_at="2021-09-01T08:00:00+07:00")]))
    assert result.loaded == 3


class SqlCounter:
    """Counts statements reading the rollups (what compute() runs; the version read is not)."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.n = engine, 0
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "agg_doses" in statement or "dim_geography" in statement:
            self.n += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)


@pytest.fixture
def services(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Services]:
    """Services on the test database with the cache backend named by the test's param."""
    url = request.param
    prefix = f"vxtest-{uuid.uuid4().hex[:12]}"  # Redis is shared by every test and backend
    svc = build_services(settings.with_(redis_url=url, cache_prefix=prefix,
                                        version_poll_s=0.0))
    yield svc
    if url and url != DEAD_REDIS:
        svc.cache.clear()
    svc.engine.dispose()


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("services", [DEAD_REDIS], indirect=True)
def test_dead_redis_serves_from_database_and_warns_once(
    services: Services, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.WARNING, logger="data.cache")
    counter = SqlCounter(services.engine)
    try:
        assert aggregates.national_kpis(services, today=DAY) == EXPECTED
        per_call = counter.n
        assert per_call > 0
        for _ in range(2):
            assert aggregates.national_kpis(services, today=DAY) == EXPECTED
        # Retry Redis on every call from now on: it keeps failing, still one warning.
        monkeypatch.setattr(cache, "RETRY_AFTER_S", 0.0)
        for _ in range(3):
            assert aggregates.national_kpis(services, today=DAY) == EXPECTED
    finally:
        counter.close()
    warnings = [r for r in caplog.records
                if r.name == "data.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "unavailable" in warnings[0].getMessage()
    # Every call computed from the database, once (nothing could be cached).
    assert counter.n == 6 * per_call


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("services", [None], indirect=True)
def test_failed_cache_write_computes_once(
    services: Services, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis answers the read (a miss) then fails the write: the database is asked once."""
    calls = {"n": 0}
    real = aggregates.queries.kpi_totals

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        return real(*args, **kwargs)

    def broken_set(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Redis went away between the read and the write")

    monkeypatch.setattr(aggregates.queries, "kpi_totals", counting)
    monkeypatch.setattr(services.cache._cache, "set", broken_set)
    caplog.set_level(logging.WARNING, logger="data.cache")
    assert aggregates.national_kpis(services, today=DAY) == EXPECTED
    assert len([r for r in caplog.records if r.name == "data.cache"]) == 1
    assert calls["n"] == 1


BACKENDS = [redis_url()]  # None -> SimpleCache (in-process) when no Redis is configured


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("services", BACKENDS, indirect=True)
def test_second_call_is_cached_and_a_load_invalidates(
    services: Services, settings: Settings, engine: Engine, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="data.cache")
    counter = SqlCounter(services.engine)
    try:
        assert aggregates.national_kpis(services, today=DAY) == EXPECTED
        computed = counter.n
        assert computed > 0
        assert aggregates.national_kpis(services, today=DAY) == EXPECTED
        assert counter.n == computed  # served from the cache
        if services.settings.redis_url:
            import redis

            client = redis.Redis.from_url(services.settings.redis_url)
            try:
                assert client.keys(f"{services.settings.cache_prefix}:*")
            finally:
                client.close()

        result = load_file(settings, engine, "injections", write_csv(
            tmp_path / "more.csv", [injection("R4", person_id="001090088888")]))
        assert result.loaded == 1
        after = aggregates.national_kpis(services, today=DAY)
        assert counter.n > computed  # a new data version: recomputed
        assert (after["doses"], after["dose1"], after["today"], after["pct_dose1"]) == (
            4, 3, 3, 0.3)
        recomputed = counter.n
        assert aggregates.national_kpis(services, today=DAY) == after
        assert counter.n == recomputed
        # Other parameters are other entries.
        other = aggregates.national_kpis(services, today=dt.date(2021, 9, 1))
        assert other["today"] == 1
    finally:
        counter.close()
    assert not [r for r in caplog.records if r.name == "data.cache"]
