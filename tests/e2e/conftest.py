"""End-to-end fixtures: the real app on a free local port, headless Chromium, the ETL CLI.

Every page needs a signed-in user: `e2e_user` creates one through the data layer and
`signed_in` logs it in through the real sign-in form.
"""

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
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from app import create_app
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import make_engine, unit_of_work
from data.migrate import upgrade
from data.settings import PROJECT_ROOT, Settings, load_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Records every Content-Security-Policy violation of the page into window.__cspViolations
# (injected before any page script runs, so it sees the earliest ones too).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
E2E_USERNAME = "e2e.tester"
E2E_DISPLAY_NAME = "Người kiểm thử E2E"
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


def chromium(*extra_args: str) -> webdriver.Chrome:
    """Headless Chromium (CHROME_ARGS and `extra_args`) that records the browser console and
    every CSP violation."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (*CHROME_ARGS, *extra_args):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
    return driver


@pytest.fixture()
def browser() -> Iterator[webdriver.Chrome]:
    """Headless Chromium that records the browser console."""
    driver = chromium()
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


@pytest.fixture()
def e2e_user(e2e_settings: Settings) -> tuple[str, str]:
    """A ministry leader who needs no password change: (username, password)."""
    password = "e2e-" + os.urandom(9).hex()
    engine = make_engine(e2e_settings)
    try:
        with unit_of_work(engine) as conn:
            create_user(conn, Actor(None, "e2e-fixture", "test"), E2E_USERNAME, E2E_DISPLAY_NAME,
                        password, [(Role.MINISTRY_LEADER, None)], must_change_password=False)
    finally:
        engine.dispose()
    return E2E_USERNAME, password


def log_in(driver: webdriver.Chrome, base_url: str, username: str, password: str) -> None:
    """Sign in through the form the way a person does: type, then Enter."""
    driver.get(base_url + "/login")
    # 20 s, as the pages' own waits: the password hash and the first page's reads share the
    # 2 cores with the rest of the suite (a 10-s wait once ran out under load).
    field = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "username"))
    # Autofocus lands once the page has loaded, a moment after the field exists.
    WebDriverWait(driver, 5).until(lambda d: d.switch_to.active_element == field)
    field.send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password, Keys.ENTER)
    # On the progress page; its query may already name the officer's province (?province=79).
    WebDriverWait(driver, 20).until(
        lambda d: d.current_url.split("?")[0].rstrip("/") == base_url)


@pytest.fixture()
def signed_in(
    live_app: str, browser: webdriver.Chrome, e2e_user: tuple[str, str]
) -> webdriver.Chrome:
    """The browser, signed in as the e2e user and on the progress page."""
    log_in(browser, live_app, *e2e_user)
    return browser


@pytest.fixture()
def csp_violations(browser: webdriver.Chrome) -> Callable[[], list[str]]:
    """A call that returns the CSP violations the current page recorded."""
    return lambda: browser.execute_script("return window.__cspViolations || [];")
