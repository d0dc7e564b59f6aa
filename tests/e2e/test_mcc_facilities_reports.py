"""The facilities and daily report pages in Chromium: both render after sign-in with a clean
console and no CSP violation; the Excel button's download callback saves the workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from data.db import make_engine
from data.settings import Settings
from tests.integration.test_mcc_campaign import load_campaign

DRAWN = ("const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
         "return !!(gd && gd.data && gd.data.length && gd.querySelector('.bars'));")


@pytest.fixture()
def campaign(e2e_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(e2e_settings)
    try:
        load_campaign(e2e_settings, engine, tmp_path)
    finally:
        engine.dispose()


def test_facilities_and_report_pages(
    campaign: None, live_app: str, signed_in: webdriver.Chrome, tmp_path: Path,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    wait = WebDriverWait(browser, 20)
    browser.get(live_app + "/facilities?province=01&as_of=2021-08-20&from=2021-08-01")
    wait.until(lambda d: d.execute_script(DRAWN, ids.FAC_DAILY))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.FAC_UTIL} .ag-row"))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.FAC_SILENT} .ag-row"))
    assert "province=01" in browser.current_url and "from=2021-08-01" in browser.current_url
    # The window follows the range (20 days), kinds and statuses read as words, not codes.
    wait.until(lambda d: "20 ngày" in d.find_element(By.ID, ids.FAC_KPIS).text)
    grid = browser.find_element(By.ID, ids.FAC_UTIL).text
    assert "Trạm y tế" in grid and "HEALTH_STATION" not in grid and "ACTIVE" not in grid
    assert console_errors() == []
    assert csp_violations() == []
    browser.find_element(By.LINK_TEXT, "Báo cáo").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{ids.REPORT_DOSES} .ag-row"))
    wait.until(lambda d: "lũy kế" in d.find_element(By.ID, ids.REPORT_KPIS).text.lower())
    # Headless Chromium saves downloads only where it is told to.
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(folder)})
    browser.find_element(By.ID, ids.REPORT_XLSX).click()
    wait.until(lambda _d: [p for p in folder.iterdir() if p.suffix == ".xlsx"])
    saved = next(p for p in folder.iterdir() if p.suffix == ".xlsx")
    assert saved.name == "bao-cao-ngay_VN_2021-08-20.xlsx"
    assert load_workbook(saved).sheetnames == ["summary", "doses", "stock", "aefi"]
    assert console_errors() == []
    assert csp_violations() == []
