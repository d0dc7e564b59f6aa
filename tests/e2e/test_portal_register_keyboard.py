"""Self-registration on the public portal in a real browser at a phone's 390x844, with the
keyboard alone and no sign-in: type the person, pick province and district from the
dropdowns, work out the sum, press Enter, and read the registration code; the registry holds
the row. The console stays clean and no CSP rule is broken."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, text

from callbacks.shared import ids_portal as pid
from data.db import make_engine
from data.settings import Settings
from tests.e2e.keyboard import keys, pick, tab_to


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


def test_a_person_registers_on_a_phone_with_the_keyboard(
        live_app: str, browser: webdriver.Chrome, engine: Engine,
        console_errors: Callable[[], list[dict[str, Any]]],
        csp_violations: Callable[[], list[str]]) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    browser.get(live_app + "/portal/register")
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: d.find_element(By.ID, pid.REG_CHALLENGE_QUESTION).text)
    assert browser.execute_script("return window.innerWidth") == 390
    # Nothing sticks out sideways on the phone.
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")
    tab_to(browser, pid.REG_PERSON_ID)
    keys(browser, "001090012345", Keys.TAB, "Nguyễn Văn An", Keys.TAB, "02/01/1990", Keys.TAB)
    keys(browser, Keys.SPACE)  # the first sex: Nam
    tab_to(browser, pid.REG_PHONE)
    keys(browser, "0912345678")
    tab_to(browser, pid.REG_PROVINCE)
    pick(browser, "Hà Nội", "Hà Nội")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{pid.REG_DISTRICT}"))
    tab_to(browser, pid.REG_DISTRICT)
    pick(browser, "Ba Đình", "Ba Đình")
    question = browser.find_element(By.ID, pid.REG_CHALLENGE_QUESTION).text
    a, b = (int(x) for x in re.findall(r"(\d+) \+ (\d+)", question)[0])
    tab_to(browser, pid.REG_CHALLENGE_ANSWER)
    keys(browser, str(a + b), Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, f"{pid.REG_RESULT}-code").text)
    code = browser.find_element(By.ID, f"{pid.REG_RESULT}-code").text
    assert re.fullmatch(r"DK[0-9A-Z]{8}", code)
    assert browser.find_element(By.ID, pid.REG_PRINT).is_displayed()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT person_id, full_name, birth_date, sex, district_code "
                                "FROM registration WHERE registration_id = :c"),
                           {"c": code}).one()
    assert (row[0], row[1], str(row[2])[:10], row[3], row[4]) == (
        "001090012345", "Nguyễn Văn An", "1990-01-02", "M", "001")
    assert console_errors() == []
    assert csp_violations() == []
