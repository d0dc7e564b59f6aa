"""Wall-screen mode in Chromium: set up by link, no controls, dark theme, pages rotating."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks import ids

BACKGROUND = ("return getComputedStyle(document.getElementById(arguments[0]))"
              ".backgroundColor;")


def path_of(driver: webdriver.Chrome) -> str:
    return urlparse(driver.current_url).path


def is_dark(rgb: str) -> bool:
    """'rgb(13, 22, 32)' -> whether every channel is dark."""
    channels = [int(c) for c in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3]]
    return max(channels) < 60


def test_wall_mode_hides_the_controls_and_rotates(
    live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/?wall=1&rotate=3")
    wait = WebDriverWait(browser, 10, poll_frequency=0.1)
    wait.until(lambda d: "shell-wall" in (d.find_element(By.ID, ids.SHELL_ROOT)
                                         .get_attribute("class") or ""))
    shown_at = time.monotonic()
    assert path_of(browser) == "/"
    assert not browser.find_element(By.ID, ids.SHELL_NAVBAR).is_displayed()
    assert not browser.find_element(By.ID, ids.PROGRESS_TARGET).is_displayed()
    assert is_dark(browser.execute_script(BACKGROUND, ids.SHELL_ROOT))
    wait.until(lambda d: d.find_element(By.ID, ids.PROGRESS_KPI_TODAY).text == "0")
    size = browser.execute_script(
        "return parseFloat(getComputedStyle(document.getElementById(arguments[0])).fontSize);",
        ids.PROGRESS_KPI_TODAY)
    assert size >= 38  # large KPIs (2.6rem at most outside wall mode)
    # The next page of the rotation, in place (no reload), with the mode kept.
    browser.execute_script("window.__noReload = true;")
    WebDriverWait(browser, 8, poll_frequency=0.1).until(lambda d: path_of(d) == "/allocation")
    assert time.monotonic() - shown_at < 8
    wait.until(lambda d: d.find_elements(By.ID, ids.ALLOC_MAP))
    assert browser.execute_script("return window.__noReload === true;")
    assert "shell-wall" in browser.find_element(By.ID, ids.SHELL_ROOT).get_attribute("class")
    assert not browser.find_element(By.ID, ids.SHELL_NAVBAR).is_displayed()
    WebDriverWait(browser, 8, poll_frequency=0.1).until(lambda d: path_of(d) == "/aefi")
    wait.until(lambda d: d.find_elements(By.ID, ids.AEFI_RATES))
    # ?wall=0 ends the mode: the navbar is back and the tab stays put.
    browser.get(live_app + "/?wall=0")
    wait.until(lambda d: d.find_element(By.ID, ids.SHELL_NAVBAR).is_displayed())
    time.sleep(4)
    assert path_of(browser) == "/"
    assert console_errors() == []
    assert csp_violations() == []
