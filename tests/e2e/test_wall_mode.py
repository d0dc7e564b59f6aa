"""Wall-screen mode in Chromium: set up by link, no controls, dark theme, views and pages
rotating."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.mcc import wall
from callbacks.shared import ids

BACKGROUND = ("return getComputedStyle(document.getElementById(arguments[0]))"
              ".backgroundColor;")


# Whether a chart's drawing is as wide as its box (a chart drawn while hidden is not, until
# it is resized).
FILLS = ("const box = document.getElementById(arguments[0]);"
         "const svg = box && box.querySelector('.main-svg');"
         "return !!svg && box.clientWidth > 300"
         " && Math.abs(svg.getBoundingClientRect().width - box.getBoundingClientRect().width) < 2;")


def shell_class(driver: webdriver.Chrome) -> str:
    return str(driver.execute_script(
        "const e = document.getElementById(arguments[0]); return e ? e.className : '';",
        ids.SHELL_ROOT))


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
    # 10 s a view: the mode's class can take several seconds to arrive on a loaded machine, and
    # the first view must still be showing when it does.
    browser.get(live_app + "/?wall=1&rotate=10")
    wait = WebDriverWait(browser, 10, poll_frequency=0.1)
    wait.until(lambda d: "shell-wall" in (d.find_element(By.ID, ids.SHELL_ROOT)
                                         .get_attribute("class") or ""))
    assert path_of(browser) == "/"
    assert not browser.find_element(By.ID, ids.SHELL_NAVBAR).is_displayed()
    assert not browser.find_element(By.ID, ids.PROGRESS_TARGET).is_displayed()
    assert is_dark(browser.execute_script(BACKGROUND, ids.SHELL_ROOT))
    # Read as text content: the rotation may already have hidden the KPIs (view 2).
    wait.until(lambda d: d.execute_script(
        "const e = document.getElementById(arguments[0]); return e && e.textContent;",
        ids.PROGRESS_KPI_TODAY) == "0")
    size = browser.execute_script(
        "return parseFloat(getComputedStyle(document.getElementById(arguments[0])).fontSize);",
        ids.PROGRESS_KPI_TODAY)
    assert size >= 38  # large KPIs (2.6rem at most outside wall mode)
    # The page's next views, then the next page of the rotation, in place (no reload), with
    # the mode kept.
    browser.execute_script("window.__noReload = true;")
    for view in range(2, wall.view_count("/") + 1):
        WebDriverWait(browser, 20, poll_frequency=0.1).until(
            lambda d, v=view: f"wall-view-{v}" in shell_class(d))
        assert path_of(browser) == "/"
    # A chart drawn while its view was hidden fills its panel once shown.
    WebDriverWait(browser, 8, poll_frequency=0.1).until(
        lambda d: d.execute_script(FILLS, ids.PROGRESS_TARGET_CHART))
    WebDriverWait(browser, 20, poll_frequency=0.1).until(lambda d: path_of(d) == "/allocation")
    # The new page's view comes from the server one round trip after the path changed in the
    # browser; under load that trip can take a moment.
    wait.until(lambda d: "wall-view-1" in shell_class(d))
    wait.until(lambda d: d.find_elements(By.ID, ids.ALLOC_MAP))
    assert browser.execute_script("return window.__noReload === true;")
    assert "shell-wall" in browser.find_element(By.ID, ids.SHELL_ROOT).get_attribute("class")
    assert not browser.find_element(By.ID, ids.SHELL_NAVBAR).is_displayed()
    WebDriverWait(browser, 50, poll_frequency=0.1).until(lambda d: path_of(d) == "/aefi")
    wait.until(lambda d: d.find_elements(By.ID, ids.AEFI_RATES))
    # ?wall=0 ends the mode: the navbar is back and the tab stays put.
    browser.get(live_app + "/?wall=0")
    wait.until(lambda d: d.find_element(By.ID, ids.SHELL_NAVBAR).is_displayed())
    time.sleep(4)
    assert path_of(browser) == "/"
    assert console_errors() == []
    assert csp_violations() == []
