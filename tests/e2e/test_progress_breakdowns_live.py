"""The progress page's breakdowns, ranking and target draw in Chromium with a clean console."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from data.db import make_engine
from data.settings import Settings
from tests.integration.test_mcc_campaign import load_campaign

TRACES = ("const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
          "return gd && gd.data ? gd.data.length : 0;")


@pytest.fixture()
def small_campaign(e2e_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(e2e_settings)
    try:
        load_campaign(e2e_settings, engine, tmp_path)
    finally:
        engine.dispose()


def test_breakdowns_ranking_and_target(
    small_campaign: None, live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/")
    wait = WebDriverWait(browser, 20)
    for graph in (ids.PROGRESS_BY_GROUP, ids.PROGRESS_BY_AGE, ids.PROGRESS_BY_SEX,
                  ids.PROGRESS_BY_VACCINE, ids.PROGRESS_DROPOUT, ids.PROGRESS_TARGET_CHART):
        wait.until(lambda d, g=graph: d.execute_script(TRACES, g) > 0)
    wait.until(lambda d: "Hà Nội" in d.find_element(By.ID, ids.PROGRESS_RANKING).text)
    kpis = browser.find_element(By.ID, ids.PROGRESS_TARGET_KPIS)
    wait.until(lambda d: "70%" in kpis.text)
    before = kpis.text
    field = browser.find_element(By.ID, ids.PROGRESS_TARGET)
    field.clear()
    field.send_keys("90", Keys.ENTER)
    wait.until(lambda d: "90%" in kpis.text and kpis.text != before)
    assert console_errors() == []
    assert csp_violations() == []
