"""The reconciliation page by keyboard alone, in a real browser at 1366x768: the district
officer Tabs to the period, types both days, Enter runs it; the list holds the seeded
facility-day and warehouse, Tab reaches a row's disclosure and Enter opens the records behind
it. A reversed period is told beside the end field. The console stays clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine

from callbacks.shared import ids
from data.auth.roles import Role
from data.db import make_engine
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import focused_in, keys, tab_to
from tests.integration.close_setup import DAY, WAREHOUSE
from tests.integration.ops_setup import AZ_LOT, PASSWORD, principal
from tests.integration.reconcile_setup import NEXT, seed_discrepancies

OFFICER = "huyen.badinh"


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def seeded(e2e_settings: Settings, engine: Engine, tmp_path: Path) -> None:
    seed_discrepancies(e2e_settings, engine, tmp_path)
    principal(engine, OFFICER, Role.DISTRICT_OFFICER, "001")


def _field(driver: webdriver.Chrome, field_id: str) -> Any:
    return driver.find_element(By.ID, field_id)


def test_a_district_officer_reconciles_a_period_by_keyboard_only(
    live_app: str, browser: webdriver.Chrome, seeded: None,
    console_errors: Callable[[], list[dict[str, Any]]],
    csp_violations: Callable[[], list[str]],
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    log_in(browser, live_app, OFFICER, PASSWORD)
    browser.get(live_app + "/ops/reconciliation")
    wait = WebDriverWait(browser, 20)
    # The default period (the last 7 days) is filled in and run: nothing of 2021 in it.
    wait.until(lambda d: _field(d, ids.OPS_RECON_START).get_attribute("value"))
    wait.until(lambda d: "0 sai lệch" in d.find_element(By.ID, ids.OPS_RECON_SUMMARY).text)
    tab_to(browser, ids.OPS_RECON_START)
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 10, f"{NEXT:%d/%m/%Y}", Keys.TAB)
    assert focused_in(browser, ids.OPS_RECON_END)
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 10, f"{DAY:%d/%m/%Y}", Keys.ENTER)
    error = browser.find_element(By.ID, ids.field_error(ids.OPS_RECON_END))
    wait.until(lambda _d: error.text == "Ngày kết thúc nằm trước ngày bắt đầu.")
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 10, f"{NEXT:%d/%m/%Y}")
    tab_to(browser, ids.OPS_RECON_START)
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 10, f"{DAY:%d/%m/%Y}", Keys.ENTER)
    summary = browser.find_element(By.ID, ids.OPS_RECON_SUMMARY)
    wait.until(lambda _d: summary.text.startswith("Từ 15/10/2021 đến 16/10/2021"))
    assert error.text == ""
    rows = browser.find_elements(By.CSS_SELECTOR, ".ops-recon-row")
    assert [r.get_attribute("data-key") for r in rows] == [
        f"F00101@{NEXT.isoformat()}", WAREHOUSE]
    # Tab to the first row's disclosure, Enter opens the records behind it.
    for _ in range(20):
        keys(browser, Keys.TAB)
        if browser.switch_to.active_element.tag_name == "summary":
            break
    keys(browser, Keys.ENTER)
    lots = browser.find_element(By.CSS_SELECTOR, ".ops-recon-detail details[open] table")
    assert f"AZ · {AZ_LOT}" in lots.text and "Buổi tiêm" in lots.text
    assert console_errors() == []
    assert csp_violations() == []
