"""A lot traced in a real browser by the district officer of Ba Đình: from the AEFI case's
detail, its lot link opens /ops/lot with the lot's stores, transfers (one in transit, its end
outside his area), session and cases; then by keyboard alone, a lot typed and Enter. Both
languages; the console stays clean.

With E2E_SHOTS=<folder> set, it saves the page in vi and en at 1366x768 and 1920x1080.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine

from callbacks.shared import ids
from data.db import make_engine
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import focused_in, keys, tab_to
from tests.integration.lot_trace_setup import LOT, Seeded, seed_lot
from tests.integration.ops_setup import PASSWORD


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def seeded(e2e_settings: Settings, engine: Engine, tmp_path: Path) -> Seeded:
    return seed_lot(e2e_settings, engine, tmp_path)


def _size(driver: webdriver.Chrome, width: int, height: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def _shots(driver: webdriver.Chrome, lang: str) -> None:
    """The page from its top at both sizes, when E2E_SHOTS names a folder."""
    folder = os.environ.get("E2E_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 768), (1920, 1080)):
        _size(driver, width, height)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(Path(folder) / f"lot-{lang}-{width}x{height}.png"))
        driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        driver.save_screenshot(str(Path(folder) / f"lot-{lang}-{width}x{height}-end.png"))
    _size(driver, 1366, 768)


def _body(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.ID, ids.OPS_LOT_BODY).text)


def test_an_investigator_follows_a_case_to_its_lot(
    live_app: str, browser: webdriver.Chrome, seeded: Seeded,
    console_errors: Callable[[], list[dict[str, Any]]],
    csp_violations: Callable[[], list[str]],
) -> None:
    _size(browser, 1366, 768)
    log_in(browser, live_app, "kho.badinh", PASSWORD)
    case = seeded.cases[0]
    # The case opened by its link (as the lot page's case column links it), among all statuses.
    browser.get(f"{live_app}/ops/aefi?case={case}")
    wait = WebDriverWait(browser, 20)
    detail = wait.until(lambda d: d.find_element(By.ID, ids.OPS_AEFI_DETAIL))
    wait.until(lambda _d: f"Ca {case}" in detail.text)
    link = wait.until(lambda d: d.find_element(By.ID, ids.OPS_AEFI_LOT_LINK))
    assert link.text == "truy vết lô"
    link.click()
    wait.until(lambda d: "Các kho đã giữ lô" in _body(d))
    assert browser.current_url.endswith(f"/ops/lot?vaccine=AZ&lot={LOT}")
    text = _body(browser)
    assert f"Lô {LOT} · AZ · hạn dùng 30/06/2022" in text
    assert ("Trong phạm vi của bạn · kho: 4 · liều đã tiêm: 12 · "
            "ca phản ứng sau tiêm: 1") in text
    assert ("Ngoài phạm vi của bạn, chỉ đếm · kho: 1 · liều đã tiêm: 5 · "
            "ca: 1") in text
    assert "Kho vắc xin quốc gia" in text and "1.000" in text  # vi thousands
    assert "Đang vận chuyển" in text and "ngoài phạm vi" in text
    assert "Kho Trạm Y tế Bến Nghé" not in text and seeded.cases[1] not in text
    assert seeded.session_id in text
    assert "B1" in text  # the council's category of the case
    _shots(browser, "vi")
    assert console_errors() == []
    assert csp_violations() == []
    # English, then another lot typed by keyboard alone: refused beside the field, then traced.
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='en']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    wait.until(lambda d: "Stores that held the lot" in _body(d))
    assert ("Within your area · stores: 4 · doses given: 12 · AEFI cases: 1") in _body(browser)
    assert "In transit" in _body(browser) and "1,000" in _body(browser)
    _shots(browser, "en")
    browser.execute_script("window.scrollTo(0, 0)")
    tab_to(browser, ids.OPS_LOT_NUMBER, limit=60)
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 12, "NO-SUCH-LOT", Keys.ENTER)
    wait.until(lambda d: _body(d) == "Nothing records lot NO-SUCH-LOT of vaccine AZ.")
    assert focused_in(browser, ids.OPS_LOT_NUMBER)
    error = browser.find_element(By.ID, ids.field_error(ids.OPS_LOT_NUMBER))
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert focused_in(browser, ids.OPS_LOT_VACCINE)
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 2, Keys.ENTER)
    wait.until(lambda _d: error.text == "Type the vaccine code (at most 8 characters) and the "
               "lot number (at most 40).")
    keys(browser, "az", Keys.TAB, Keys.END, *[Keys.BACKSPACE] * 11, LOT, Keys.TAB)
    assert focused_in(browser, ids.OPS_LOT_SUBMIT)
    keys(browser, Keys.ENTER)
    wait.until(lambda d: "Stores that held the lot" in _body(d))
    assert console_errors() == []
