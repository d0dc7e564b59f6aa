"""Keyboard-only driving of a page in the browser tests: keys to whatever has the focus, and
Tab until the focus lands inside an element."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys


def keys(driver: webdriver.Chrome, *typed: str) -> None:
    """Type to the focused element, as a person does."""
    ActionChains(driver).send_keys(*typed).perform()


def focused_in(driver: webdriver.Chrome, element_id: str) -> bool:
    """Whether the focus lies inside the element with this id."""
    return bool(driver.execute_script(
        "return !!(document.activeElement && document.activeElement.closest('#' + arguments[0]))",
        element_id))


def tab_to(driver: webdriver.Chrome, element_id: str, limit: int = 80) -> None:
    """Press Tab until the focus is inside the element; fail after `limit` presses."""
    for _ in range(limit):
        if focused_in(driver, element_id):
            return
        keys(driver, Keys.TAB)
    raise AssertionError(f"Tab never reached #{element_id}")
