"""An allocation decision recorded by keyboard alone, in a real browser at 1366x768: Hà Nội's
province officer Tabs through the form (decision, date, product and recipient picked by typing,
doses in Vietnamese digit groups, the round), Enter records it; the row appears in the table
with all of it owed, and the arrow keys and Space open an earlier decision's deliveries (sent,
received with a shortfall). The console stays clean.

With E2E_SHOTS=<folder> set, it also saves the page in vi and in en there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, text

from callbacks.shared import ids
from data.db import make_engine
from data.ops.commands import transfers
from data.ops.commands.allocations import allocate
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import focused_in, keys, pick, tab_to
from tests.integration.allocations_setup import accounts, seed
from tests.integration.ops_setup import PASSWORD
from tests.integration.stock_ledger_setup import DISTRICT, LOT, PROVINCE, at

OFFICER = "kho.hanoi"


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def earlier(e2e_settings: Settings, engine: Engine, tmp_path: Path) -> str:
    """An earlier decision of 2 000 doses to Ba Đình: 1 500 sent, 1 480 received."""
    seed(e2e_settings, engine, tmp_path)
    who = accounts(engine)
    aid = allocate(engine, who["province"], {
        "decision_no": "98/QĐ-UBND", "decided_on": "2021-09-20", "vaccine_code": "AZ",
        "recipient_code": "001", "doses": "2000"}, allocation_id="ALC-EARLIER")
    sent = transfers.send(engine, who["province"], PROVINCE, DISTRICT, "AZ", LOT, 1500, at(1),
                          allocation_id=aid)
    transfers.confirm(engine, who["district"], sent, 1480, at(5))
    return aid


def _shot(driver: webdriver.Chrome, name: str) -> None:
    folder = os.environ.get("E2E_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / name))


def _grid_rows(driver: webdriver.Chrome) -> list[str]:
    return [r.text for r in driver.find_elements(
        By.CSS_SELECTOR, f"#{ids.OPS_ALLOC_GRID} .ag-center-cols-container .ag-row")]


def test_a_province_officer_allocates_by_keyboard_only(
    live_app: str, browser: webdriver.Chrome, earlier: str, engine: Engine,
    console_errors: Callable[[], list[dict[str, Any]]],
    csp_violations: Callable[[], list[str]],
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    log_in(browser, live_app, OFFICER, PASSWORD)
    browser.get(live_app + "/ops/allocations")
    # The page's parts are found again at each poll: under load the page can be drawn again
    # between a find and a read (a stale element, seen once in CI).
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))

    def text_of(element_id: str) -> str:
        return str(browser.find_element(By.ID, element_id).text)

    wait.until(lambda d: d.find_elements(By.ID, ids.OPS_ALLOC_INFO))
    wait.until(lambda _d: text_of(ids.OPS_ALLOC_INFO) == "1 dòng phân bổ, còn thiếu 520 liều.")
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_ALLOC_DATE).get_attribute("value"))
    tab_to(browser, ids.OPS_ALLOC_DECISION)
    keys(browser, "125/QĐ-UBND", Keys.TAB)
    assert focused_in(browser, ids.OPS_ALLOC_DATE)  # today's date, kept
    keys(browser, Keys.TAB)
    assert focused_in(browser, ids.OPS_ALLOC_VACCINE)
    pick(browser, "AZ ·", "AZ · AstraZeneca AZD1222 / Vaxzevria / Covishield")
    keys(browser, Keys.TAB)
    assert focused_in(browser, ids.OPS_ALLOC_RECIPIENT)
    pick(browser, "Ba Đình", "Quận Ba Đình (001)")
    keys(browser, Keys.TAB)
    assert focused_in(browser, ids.OPS_ALLOC_DOSES)
    keys(browser, "3.000", Keys.TAB, "Đợt 12", Keys.ENTER)
    wait.until(lambda _d: text_of(ids.OPS_ALLOC_STATUS).startswith("Đã ghi phân bổ ALC-"))
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(text(
            "SELECT decision_no, vaccine_code, recipient_code, doses, batch FROM allocation "
            "WHERE allocation_id <> 'ALC-EARLIER'"))] == [
            ("125/QĐ-UBND", "AZ", "001", 3000, "Đợt 12")]
    wait.until(lambda _d: text_of(ids.OPS_ALLOC_INFO) == "2 dòng phân bổ, còn thiếu 3.520 liều.")
    assert browser.find_element(By.ID, ids.OPS_ALLOC_DOSES).get_attribute("value") == ""
    # The table: the new decision first; down to the earlier one, Space shows its deliveries.
    wait.until(lambda d: len(_grid_rows(d)) == 2)
    tab_to(browser, ids.OPS_ALLOC_GRID, limit=40)
    keys(browser, Keys.DOWN, Keys.DOWN, Keys.SPACE)
    wait.until(lambda _d: "Giao hàng của ALC-EARLIER" in text_of(ids.OPS_ALLOC_DELIVERIES))
    shown = text_of(ids.OPS_ALLOC_DELIVERIES)
    assert "1.500" in shown and "1.480" in shown, shown
    assert f"{PROVINCE} → {DISTRICT}" in shown
    _shot(browser, "ops-allocations-keyboard-vi.png")
    assert console_errors() == []
    assert csp_violations() == []
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='en']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    wait.until(lambda _d: text_of(ids.OPS_ALLOC_INFO)
               == "Allocation lines: 2; doses still owed: 3,520.")
    wait.until(lambda _d: text_of(ids.OPS_ALLOC_STATUS) == "")
    wait.until(lambda _d: "Deliveries of ALC-EARLIER" in text_of(ids.OPS_ALLOC_DELIVERIES))
    browser.execute_script("arguments[0].scrollIntoView(false)",
                           browser.find_element(By.ID, ids.OPS_ALLOC_DELIVERIES))
    _shot(browser, "ops-allocations-keyboard-en.png")
    assert console_errors() == []
