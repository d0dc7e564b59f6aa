"""Redis killed and started again under dashboard requests (issue 10, fault tests).

A redis-server of the test's own serves the aggregate cache and the sign-in rate limit of a
real app (Flask test client, a signed-in user). Killed while callbacks are answered from
another thread, the app keeps answering every request with the database's numbers, and the
sign-in limit still counts (in memory); started again on the same port, the app stores and
reads the cache in it and counts sign-ins in it again, with no app restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, event

from app import create_app
from callbacks.shared import ids
from data import cache
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import unit_of_work
from data.services import Services
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, injection, population, write_csv
from tests.redis_process import RedisProcess
from tests.webcalls import log_in, overview_call, post

PASSWORD = "Mat-khau-2021"
USER = "lanh.dao"
OPEN_LIMIT = "1000 per minute"  # this test signs in often; the limit's own test sets it low
RECOVERY_WITHIN_S = 120.0  # flask-limiter re-checks a dead storage after 1, 2, 4 ... 32 s


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path / "redis")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def app(settings: Settings, engine: Engine, tmp_path: Path, redis_server: RedisProcess,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """Three doses in Hà Nội (two of them first doses); the app's cache and limit in Redis."""
    load_file(settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    load_file(settings, engine, "population",
              write_csv(tmp_path / "p.csv", [population("01", 1000)]))
    load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", [
        injection("R1"), injection("R2", person_id="001090099999"),
        injection("R3", dose_number=2, administered_at="2021-09-01T08:00:00+07:00")]))
    # Ask Redis again on every request instead of after 5 s, so its return shows at once.
    monkeypatch.setattr(cache, "RETRY_AFTER_S", 0.0)
    application = create_app(settings.with_(redis_url=redis_server.url, version_poll_s=0.0))
    application.server.config["VX_LOGIN_RATE_LIMIT"] = OPEN_LIMIT
    services: Services = application.server.extensions["vx_services"]
    with unit_of_work(services.engine) as conn:
        create_user(conn, Actor(None, "fixture", "test"), USER, "Lãnh đạo", PASSWORD,
                    [(Role.MINISTRY_LEADER, None)], must_change_password=False)
    yield application
    services.engine.dispose()


class RollupReads:
    """Counts the rollup reads that this thread's requests send to the database."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.n, self.thread = engine, 0, threading.get_ident()
        event.listen(engine, "before_cursor_execute", self._before)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "agg_doses" in statement and threading.get_ident() == self.thread:
            self.n += 1

    def during(self, client: FlaskClient, token: str) -> int:
        """Rollup reads of one overview request (which must show the numbers)."""
        before = self.n
        doses(client, token)
        return self.n - before

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)


def doses(client: FlaskClient, token: str) -> tuple[str, str]:
    """(doses, first doses) as the progress page's headline callback shows them."""
    response = post(client, overview_call(), token)
    assert response.status_code == 200, response.get_data(as_text=True)
    out = response.get_json()["response"]
    return out[ids.PROGRESS_KPI_DOSES]["children"], out[ids.PROGRESS_KPI_DOSE1]["children"]


def login_attempt(client: FlaskClient, token: str) -> int:
    """An empty sign-in form: refused at once, but counted by the rate limit."""
    return client.post("/login", data={"csrf_token": token}).status_code


def login_form_token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


class Poller(threading.Thread):
    """Another signed-in user whose page polls the headline numbers until told to stop."""

    def __init__(self, app: dash.Dash) -> None:
        super().__init__(daemon=True)
        self.client = app.server.test_client()
        self.token = log_in(self.client, USER, PASSWORD)
        self.phase = "up"
        self.seen: list[tuple[str, int, Any]] = []
        self.answered = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            phase = self.phase
            response = post(self.client, overview_call(), self.token)
            shown = (response.get_json()["response"][ids.PROGRESS_KPI_DOSES]["children"]
                     if response.status_code == 200 else response.get_data(as_text=True)[:200])
            self.seen.append((phase, response.status_code, shown))
            if phase == self.phase:
                self.answered.set()

    def enter(self, phase: str) -> None:
        """Mark the requests started from now on; `answered` waits for one of them."""
        self.answered.clear()
        self.phase = phase


def test_redis_killed_and_restarted_under_requests(
    app: dash.Dash, redis_server: RedisProcess, settings: Settings, engine: Engine,
    tmp_path: Path,
) -> None:
    services: Services = app.server.extensions["vx_services"]
    client, anonymous = app.server.test_client(), app.server.test_client()
    token = log_in(client, USER, PASSWORD)
    assert doses(client, token) == ("3", "2")
    keys = redis_server.stored_keys()
    assert any(":agg:" in k for k in keys), keys  # the aggregate cache
    assert any(":limits:" in k for k in keys), keys  # the sign-in rate limit

    poller = Poller(app)
    poller.start()
    reads = RollupReads(services.engine)
    try:
        assert poller.answered.wait(60)
        poller.enter("down")
        redis_server.kill()
        for _ in range(3):
            assert doses(client, token) == ("3", "2")
            assert login_attempt(anonymous, login_form_token(anonymous)) == 200
            log_in(app.server.test_client(), USER, PASSWORD)  # asserts the 302 and the page
        # Nothing is cached: each request reads the rollups.
        assert reads.during(client, token) > 0 and reads.during(client, token) > 0
        # The sign-in limit still holds, counted in this process meanwhile.
        app.server.config["VX_LOGIN_RATE_LIMIT"] = "5 per minute"
        form = login_form_token(anonymous)
        assert [login_attempt(anonymous, form) for _ in range(6)] == [200] * 5 + [429]
        app.server.config["VX_LOGIN_RATE_LIMIT"] = OPEN_LIMIT
        # A load while Redis is down: the next request shows it, from the database.
        result = load_file(settings, engine, "injections", write_csv(
            tmp_path / "more.csv", [injection("R4", person_id="001090088888")]))
        assert result.loaded == 1
        assert doses(client, token) == ("4", "3")
        assert poller.answered.wait(60)  # the other user's page polled during the outage

        redis_server.start()  # empty, same port
        poller.enter("restarted")
        assert doses(client, token) == ("4", "3")
        assert any(":agg:" in k for k in redis_server.stored_keys()), redis_server.stored_keys()
        # Served from the new Redis now: the headline read sends no rollup query.
        assert reads.during(client, token) == 0
        assert doses(client, token) == ("4", "3")
        # flask-limiter probes a dead storage on its own back-off; it comes back unaided.
        deadline = time.monotonic() + RECOVERY_WITHIN_S
        form = login_form_token(anonymous)
        while not any(":limits:" in k for k in redis_server.stored_keys()):
            assert time.monotonic() < deadline, "the sign-in limit never used Redis again"
            assert login_attempt(anonymous, form) == 200
            time.sleep(0.5)
        log_in(app.server.test_client(), USER, PASSWORD)
        assert poller.answered.wait(60)
    finally:
        reads.close()
        poller.stop.set()
        poller.join(60)
    phases = {phase for phase, _, _ in poller.seen}
    assert phases == {"up", "down", "restarted"}, phases
    wrong = [s for s in poller.seen if s[1] != 200 or s[2] not in ("3", "4")]
    assert wrong == []
