"""End-to-end fixtures: the real app on a free local port, headless Chromium, the ETL CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

from app import create_app
from data.db import make_engine
from data.migrate import upgrade
from data.settings import PROJECT_ROOT, Settings, load_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROME_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-dev-shm-usage", "--window-size=1600,1000",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is marked e2e (Chromium missing makes them fail, not skip)."""
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture()
def e2e_settings(tmp_path: Path) -> Settings:
    """A fresh migrated SQLite database and a fast live-refresh timer."""
    settings = load_settings(database_url=f"sqlite:///{tmp_path}/e2e.db", refresh_ms=500)
    engine = make_engine(settings)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return settings


@pytest.fixture()
def live_app(e2e_settings: Settings) -> Iterator[str]:
    """The real app served by werkzeug in a background thread; yields its base URL."""
    app = create_app(e2e_settings)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.server.extensions["vx_services"].engine.dispose()


@pytest.fixture()
def browser() -> Iterator[webdriver.Chrome]:
    """Headless Chromium that records the browser console."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


EtlRunner = Callable[..., str]


@pytest.fixture()
def run_etl(e2e_settings: Settings) -> EtlRunner:
    """Run `python -m etl ARGS` against the test database; the call returns its stdout."""

    def run(*args: str) -> str:
        env = os.environ | {"DATABASE_URL": e2e_settings.database_url}
        done = subprocess.run(
            [sys.executable, "-m", "etl", *args], cwd=PROJECT_ROOT, env=env,
            capture_output=True, text=True, timeout=180, check=False,
        )
        assert done.returncode == 0, f"etl {args} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    return run


@pytest.fixture()
def console_errors(browser: webdriver.Chrome) -> Callable[[], list[dict[str, Any]]]:
    """A call that returns the browser console's SEVERE entries since the last call."""
    return lambda: [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
