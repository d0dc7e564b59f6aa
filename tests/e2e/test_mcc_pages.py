"""The command-center pages in Chromium: clean console, map drill-down and back, filters in the
URL, the language switch."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from data.db import make_engine
from data.settings import Settings
from tests.integration.test_mcc_campaign import load_campaign

DRAWN = ("const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
         "return !!(gd && gd.data && gd.data.length && gd.querySelector('canvas, .bars'));")
# What dash-renderer receives when a person clicks Hà Nội on the map.
CLICK_HANOI = ("const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
               "const i = gd.data[0].locations.indexOf('01');"
               "gd.emit('plotly_click', {points: [{curveNumber: 0, pointNumber: i,"
               " pointIndex: i, location: '01', data: gd.data[0], fullData: gd._fullData[0]}]});")


def click_hanoi_until(wait: WebDriverWait, map_id: str,
                      done: Callable[[webdriver.Chrome], bool]) -> None:
    """Click Hà Nội on a map until `done`. A click can land before dcc.Graph has bound its
    handler (the map draws first); like a person, click again after 2 s."""
    clicked_at = [float("-inf")]

    def check(d: webdriver.Chrome) -> bool:
        if done(d):
            return True
        if time.monotonic() - clicked_at[0] > 2:
            d.execute_script(CLICK_HANOI, map_id)
            clicked_at[0] = time.monotonic()
        return False

    wait.until(check)


@pytest.fixture()
def campaign(e2e_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(e2e_settings)
    try:
        load_campaign(e2e_settings, engine, tmp_path)
    finally:
        engine.dispose()


def text_of(driver: webdriver.Chrome, cid: str) -> str:
    return driver.find_element(By.ID, cid).text


def heading(driver: webdriver.Chrome) -> str:
    """The page title, read in one step (the router may swap the page meanwhile)."""
    return str(driver.execute_script("const h = document.querySelector('h1');"
                                     "return h ? h.textContent : '';"))


def test_allocation_drills_down_and_back(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/allocation?as_of=2021-08-20&vaccine=AZ")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.execute_script(DRAWN, ids.ALLOC_MAP))
    wait.until(lambda d: "tỉnh" in text_of(d, ids.ALLOC_RANK_TITLE))
    assert browser.find_element(By.ID, ids.ALLOC_BACK).get_attribute("hidden") is not None
    click_hanoi_until(wait, ids.ALLOC_MAP,
                      lambda d: "Hà Nội" in text_of(d, ids.ALLOC_RANK_TITLE))
    wait.until(lambda d: "province=01" in d.current_url)
    assert "as_of=2021-08-20" in browser.current_url and "vaccine=AZ" in browser.current_url
    # The facilities of Hà Nội are on the map, the geometry stayed where it was.
    wait.until(lambda d: d.execute_script(
        "const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return gd.data[2].lon.length;", ids.ALLOC_MAP) >= 1)
    browser.find_element(By.ID, ids.ALLOC_BACK).click()
    wait.until(lambda d: "province" not in d.current_url)
    wait.until(lambda d: "tỉnh" in text_of(d, ids.ALLOC_RANK_TITLE))
    # A reload keeps the filters.
    browser.get(live_app + "/allocation?as_of=2021-08-20&province=79")
    wait.until(lambda d: "Hồ Chí Minh" in text_of(d, ids.ALLOC_RANK_TITLE))
    assert console_errors() == []
    assert csp_violations() == []


def test_aefi_page_and_language_switch(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/aefi?province=01")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.execute_script(DRAWN, ids.AEFI_RATES))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.AEFI_SIGNALS} .ag-row"))
    assert heading(browser) == "Phản ứng sau tiêm"
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='en']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    wait.until(lambda d: heading(d) == "Adverse events following immunisation")
    wait.until(lambda d: "reports" in text_of(d, ids.AEFI_KPIS).lower())
    assert "province=01" in browser.current_url
    browser.find_element(By.LINK_TEXT, "Allocation and stock").click()
    wait.until(lambda d: heading(d) == "Allocation and stock")
    wait.until(lambda d: d.execute_script(DRAWN, ids.ALLOC_MAP))
    assert console_errors() == []
    assert csp_violations() == []


def test_progress_map_click_shows_the_districts(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.execute_script(DRAWN, ids.PROGRESS_MAP))
    wait.until(lambda d: "Chọn một tỉnh" in text_of(d, ids.PROGRESS_DISTRICT_CHART))
    click_hanoi_until(wait, ids.PROGRESS_MAP,
                      lambda d: d.execute_script(DRAWN, ids.PROGRESS_DISTRICT_CHART))
    codes = browser.execute_script(
        "return document.querySelector('#' + arguments[0] + ' .js-plotly-plot').data[0].meta;",
        ids.PROGRESS_DISTRICT_CHART)
    assert codes and all(len(c) == 3 for c in codes)
    assert "Hà Nội" in text_of(browser, ids.PROGRESS_DISTRICT_PROVINCE)
    assert console_errors() == []
