"""A pending facility approved by keyboard alone, in a real browser at 1366x768: the district
officer Tabs to the list of PENDING facilities, Space opens the one waiting, Tab passes the
reason field to "Approve" and Enter approves it; the list empties, the facility shows
Active, the focus is back on the status filter, and facility and dim_facility say ACTIVE. The
console stays clean.

With E2E_SHOTS=<folder> set, it also saves the page at 1366x768 and 1920x1080 in vi and en.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, text

from callbacks.shared import ids
from data.auth.roles import Role
from data.db import make_engine
from data.settings import Settings
from etl.pipeline import load_file
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import focused_in, keys, tab_to
from tests.factories import FACILITY, facility, write_csv
from tests.integration.ops_setup import PASSWORD, principal

OFFICER = "huyen.badinh"


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def pending(e2e_settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """F00101 active and F00102 pending in Ba Đình; the district officer of Ba Đình."""
    load_file(e2e_settings, engine, "facilities", write_csv(tmp_path / "f.csv", [
        FACILITY, facility("F00102", status="PENDING", name="Phòng khám Đội Cấn",
                           kind="PRIVATE_CLINIC", daily_capacity="120",
                           address="35 Đội Cấn")]))
    principal(engine, OFFICER, Role.DISTRICT_OFFICER, "001")


def _size(driver: webdriver.Chrome, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def _shots(driver: webdriver.Chrome, lang: str) -> None:
    """The page at both sizes, from the top, saved when E2E_SHOTS names a folder."""
    folder = os.environ.get("E2E_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 768), (1920, 1080)):
        _size(driver, width, height)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(Path(folder) / f"facilities-{lang}-{width}x{height}.png"))
        driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()",
                              ids.OPS_FAC_NEW_CODE)
        driver.execute_script("window.scrollBy(0, -160)")
        driver.save_screenshot(str(Path(folder) / f"facilities-{lang}-{width}x{height}-2.png"))
    _size(driver, 1366, 768)
    driver.execute_script("window.scrollTo(0, 0)")


def test_a_district_officer_approves_a_pending_facility_by_keyboard(
    live_app: str, browser: webdriver.Chrome, pending: None, engine: Engine,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    _size(browser, 1366, 768)
    log_in(browser, live_app, OFFICER, PASSWORD)
    browser.get(live_app + "/ops/facilities")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, f"#{ids.OPS_FAC_LIST} input"))
               == 1)
    assert browser.find_element(By.ID, ids.OPS_FAC_LIST_INFO).text == "Số cơ sở: 1"
    # Tab into the list: the pending facility has the focus; Space opens it.
    tab_to(browser, ids.OPS_FAC_LIST)
    assert browser.switch_to.active_element.get_attribute("value") == "F00102"
    keys(browser, Keys.SPACE)
    detail = browser.find_element(By.ID, ids.OPS_FAC_DETAIL)
    wait.until(lambda _d: "F00102 · Phòng khám Đội Cấn" in detail.text)
    assert "35 Đội Cấn" in detail.text and "Chờ hoạt động" in detail.text
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_FAC_APPROVE).is_displayed())
    assert not browser.find_element(By.ID, ids.OPS_FAC_SUSPEND).is_displayed()
    _shots(browser, "vi")
    # Tab: the reason (not needed to approve), then "Approve"; Enter approves.
    keys(browser, Keys.TAB)
    assert focused_in(browser, ids.OPS_FAC_REASON)
    keys(browser, Keys.TAB)
    assert focused_in(browser, ids.OPS_FAC_APPROVE)
    keys(browser, Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_FAC_STEP_STATUS).text
               == "Đã phê duyệt cơ sở F00102.")
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_FAC_LIST_INFO).text
               == "Không có cơ sở nào ở trạng thái này.")
    wait.until(lambda _d: "Đang hoạt động" in detail.text)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_FAC_SUSPEND).is_displayed())
    assert not browser.find_element(By.ID, ids.OPS_FAC_APPROVE).is_displayed()
    # The pressed button is gone and so is the list's last line: the focus is on the
    # status filter, whose arrows lead to the other statuses.
    wait.until(lambda d: focused_in(d, ids.OPS_FAC_FILTER))
    assert browser.switch_to.active_element.get_attribute("value") == "PENDING"
    with engine.connect() as conn:
        assert conn.execute(text(
            "SELECT f.status, d.status FROM facility f JOIN dim_facility d "
            "ON d.facility_code = f.code WHERE f.code = 'F00102'")).one() == ("ACTIVE", "ACTIVE")
    assert console_errors() == []
    assert csp_violations() == []
    # English, all statuses (by mouse: the keyboard part is done), for the screenshots.
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='en']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    browser.find_element(By.CSS_SELECTOR, f"#{ids.OPS_FAC_FILTER} input[value='ALL']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_FAC_LIST_INFO).text == "Facilities: 2")
    wait.until(lambda _d: "Active" in detail.text)
    # Both forms carry the same labels: each is translated (unique ids).
    for form in (ids.OPS_FAC_EDIT_NAME, ids.OPS_FAC_NEW_NAME):
        assert browser.find_element(By.CSS_SELECTOR, f"label[for='{form}']").text == (
            "Facility name")
    _shots(browser, "en")
    assert console_errors() == []
