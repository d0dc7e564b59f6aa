"""Keyboard-only driving of a page in the browser tests: keys to whatever has the focus, Tab
until the focus lands inside an element, and a pick in a Dash dropdown by typing."""

from __future__ import annotations

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


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


def _searching(driver: webdriver.Chrome) -> bool:
    return "dash-dropdown-search" in (driver.switch_to.active_element.get_attribute("class")
                                      or "")


def pick(driver: webdriver.Chrome, typed: str, option: str, close: bool = False) -> None:
    """In a focused dropdown: the first key opens its search, the rest filter, Enter takes
    the first option left (`option`) and the focus comes back; `close` presses Escape after
    (a multi-select stays open)."""
    # Stale: the dropdown's search input is drawn again as its options arrive; the options
    # are read in the page for the same reason.
    wait = WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,))
    keys(driver, typed[0])
    wait.until(_searching)
    keys(driver, typed[1:])
    wait.until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('.dash-dropdown-content [role=option]')]"
        ".map(e => e.innerText.trim()).slice(0, 1);") == [option])
    keys(driver, Keys.ENTER, *([Keys.ESCAPE] if close else []))
    if _searching(driver):
        keys(driver, Keys.ESCAPE)
    wait.until(lambda d: not _searching(d))
