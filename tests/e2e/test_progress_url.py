"""The progress page and its URL agree both ways in Chromium: ?province= picks the district
panel's province on load, a map click rewrites ?province= without reloading the page, and a
province officer starts on their own province with the selector saying so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import make_engine, unit_of_work
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.e2e.test_mcc_pages import DRAWN, campaign, click_hanoi_until, text_of

__all__ = ["campaign"]  # the fixture, imported for the tests below
DISTRICTS = ("const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
             "return gd && gd.data && gd.data[0] ? gd.data[0].meta : null;")
OFFICER = ("tinh.79", "Tinh-79-e2e-2021")


def _districts(driver: webdriver.Chrome) -> list[str]:
    return list(driver.execute_script(DISTRICTS, ids.PROGRESS_DISTRICT_CHART) or [])


def test_url_picks_the_province_and_a_map_click_rewrites_it(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/?province=79")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.execute_script(DRAWN, ids.PROGRESS_DISTRICT_CHART))
    wait.until(lambda d: _districts(d) == ["760"])
    assert "Hồ Chí Minh" in text_of(browser, ids.PROGRESS_DISTRICT_PROVINCE)
    assert browser.current_url == live_app + "/?province=79"
    # A click on Hà Nội: its districts, and the URL says so, with no page load in between.
    wait.until(lambda d: d.execute_script(DRAWN, ids.PROGRESS_MAP))
    browser.execute_script("window.__noReload = true;")
    click_hanoi_until(wait, ids.PROGRESS_MAP, lambda d: "province=01" in d.current_url)
    wait.until(lambda d: sorted(_districts(d)) == ["001", "002"])
    assert "Hà Nội" in text_of(browser, ids.PROGRESS_DISTRICT_PROVINCE)
    assert browser.current_url == live_app + "/?province=01"
    assert browser.execute_script("return window.__noReload === true;")
    # The link opens the same view.
    browser.get(browser.current_url)
    wait.until(lambda d: sorted(_districts(d)) == ["001", "002"])
    assert "Hà Nội" in text_of(browser, ids.PROGRESS_DISTRICT_PROVINCE)
    assert console_errors() == []
    assert csp_violations() == []


def test_province_officer_starts_on_their_province(
    campaign: None, live_app: str, browser: webdriver.Chrome, e2e_settings: Settings,
    console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    engine = make_engine(e2e_settings)
    try:
        with unit_of_work(engine) as conn:
            create_user(conn, Actor(None, "e2e-fixture", "test"), OFFICER[0], "Cán bộ tỉnh",
                        OFFICER[1], [(Role.PROVINCE_OFFICER, "79")], must_change_password=False)
    finally:
        engine.dispose()
    log_in(browser, live_app, *OFFICER)
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: _districts(d) == ["760"])
    wait.until(lambda d: "province=79" in d.current_url)
    selector = text_of(browser, ids.PROGRESS_DISTRICT_PROVINCE)
    assert "Hồ Chí Minh" in selector and "Toàn quốc" not in selector
    assert console_errors() == []
