"""Planning a session with the keyboard alone, in headless Chromium: the day field has the
focus, Tab walks the form, Enter picks from the dropdowns and creates the session, which
then shows in the list with its link to closing it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from callbacks.shared import ids
from data.auth.roles import Role
from data.db import make_engine
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import keys, pick
from tests.integration.ops_setup import AZ_LOT, PASSWORD, principal, seed_places, seed_stock


def _focused(browser: webdriver.Chrome) -> str:
    return str(browser.execute_script(
        "const e = document.activeElement; return e.id || e.closest('[id]')?.id || '';"))


def test_a_facility_manager_plans_a_session_with_the_keyboard_alone(
        e2e_settings: Settings, live_app: str, browser: webdriver.Chrome,
        console_errors: Callable[[], list[dict[str, Any]]]) -> None:
    engine = make_engine(e2e_settings)
    try:
        seed_places(engine)
        seed_stock(engine)
        principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    finally:
        engine.dispose()
    log_in(browser, live_app, "tram.phucxa", PASSWORD)
    browser.get(live_app + "/ops/sessions")
    # Found again at each poll: under load the page can be drawn again between a find and a
    # read (a stale element, seen once in CI).
    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_SESSION_DAY))
    wait.until(lambda d: d.switch_to.active_element.get_attribute("id") == ids.OPS_SESSION_DAY)
    # The facility is the manager's own: chosen already.
    wait.until(lambda d: "F00101" in d.find_element(By.ID, ids.OPS_SESSIONS_FACILITY).text)
    keys(browser, "15/10/2021", Keys.TAB, "07:30", Keys.TAB, "11:30", Keys.TAB, "40", Keys.TAB)
    assert _focused(browser) == ids.OPS_SESSION_VACCINES
    pick(browser, "AZ", "AZ · AstraZeneca AZD1222 / Vaxzevria / Covishield", close=True)
    assert _focused(browser) == ids.OPS_SESSION_VACCINES
    keys(browser, Keys.TAB)
    assert _focused(browser) == ids.OPS_SESSION_LOTS
    pick(browser, AZ_LOT, f"{AZ_LOT} · AZ · HSD 30/06/2022 · còn 480 liều", close=True)
    keys(browser, Keys.TAB, Keys.TAB)
    assert _focused(browser) == ids.OPS_SESSION_CREATE
    keys(browser, Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_SESSION_STATUS).text)
    status = browser.find_element(By.ID, ids.OPS_SESSION_STATUS).text
    assert status == "Đã tạo buổi tiêm ngày 15/10/2021, 07:30–11:30."
    engine = make_engine(e2e_settings)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT session_id, capacity, vaccines, lots "
                                    "FROM vax_session")).one()
    finally:
        engine.dispose()
    assert (row[1], json.loads(row[2]), json.loads(row[3])) == (40, ["AZ"], [AZ_LOT])
    # The list shows it once its range, from today on, is typed back to October 2021.
    browser.find_element(By.ID, ids.OPS_SESSIONS_FROM).send_keys(
        Keys.CONTROL, "a", Keys.NULL, "01/10/2021", Keys.TAB)
    wait.until(lambda d: "0/40" in d.find_element(By.ID, ids.OPS_SESSIONS_LIST).text)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f"#{ids.OPS_SESSIONS_LIST} a.ops-close")
               .get_attribute("href") == f"{live_app}/ops/close?session={row[0]}")
    assert console_errors() == []
