"""Closing a session with the keyboard alone in headless Chromium: the vials field of the first
lot has the focus, typing shows the wastage, Enter closes the session; the console stays
clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from callbacks.shared import ids
from data.db import make_engine
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.integration.close_setup import WAREHOUSE, open_session, seed_close, staff
from tests.integration.ops_setup import PASSWORD


def test_a_session_is_closed_with_the_keyboard(
        e2e_settings: Settings, live_app: str, browser: webdriver.Chrome, tmp_path: Path,
        console_errors: Callable[[], list[dict[str, Any]]]) -> None:
    engine = make_engine(e2e_settings)
    try:
        seed_close(e2e_settings, engine, tmp_path)
        sid = open_session(engine, staff(engine))
    finally:
        engine.dispose()
    log_in(browser, live_app, "tram.phucxa", PASSWORD)
    wait = WebDriverWait(browser, 15)
    # The landing page's shell stores its language once it has started: choose English only
    # after that, or its write may come last and the next page opens in Vietnamese.
    checked = f"#{ids.SHELL_LANG_SWITCH} input:checked"
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, checked))
    browser.execute_script("localStorage.setItem('shell-lang', '\"en\"');")
    browser.get(f"{live_app}/ops/close?session={sid}")
    wait.until(lambda d: [e.get_attribute("value") for e in d.find_elements(
        By.CSS_SELECTOR, checked)] == ["en"])
    # The first lot's field has the focus (its id is the pattern id, as JSON).
    wait.until(lambda d: ids.OPS_CLOSE_VIALS in (
        d.switch_to.active_element.get_attribute("id") or ""))
    browser.switch_to.active_element.send_keys("2")
    wasted = f'[id*="{ids.OPS_CLOSE_WASTED}"]'
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, wasted).text == "7")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    result = wait.until(lambda d: d.find_element(By.ID, ids.OPS_CLOSE_RESULT).text or None)
    assert result == ("Session closed: 13 doses given, 7 doses of open-vial wastage, written "
                      f"to warehouse {WAREHOUSE}.")
    engine = make_engine(e2e_settings)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM vax_session")).scalar_one() == "CLOSED"
    finally:
        engine.dispose()
    assert console_errors() == []
