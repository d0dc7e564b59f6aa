"""The stock ledger through its pages in a real browser at 1366x768: Hà Nội's province officer
receives a lot and sends part of it to the Phúc Xá station (keyboard: Tab, type, Enter; the
first-expiry-first-out lot is preselected); the station's staff confirm a shortfall at their
warehouse, then count the lot on the count sheet (an edit undone, then the real count saved);
the balances shown follow each step and the stock card ends on the counted quantity. The
console stays clean and no content-security rule is broken."""

from __future__ import annotations

import datetime as dt
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
from data.db import make_engine
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import focused_in, keys, tab_to
from tests.integration.ops_setup import PASSWORD
from tests.integration.stock_ledger_setup import PROVINCE, STATION, accounts, seed_warehouses

LOT = "E2E2112A"
EXPIRY = dt.date.today() + dt.timedelta(days=180)


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def places(e2e_settings: Settings, engine: Engine, tmp_path: Path) -> None:
    seed_warehouses(e2e_settings, engine, tmp_path)
    accounts(engine)


def _lot_row(driver: webdriver.Chrome) -> list[str]:
    """The cells of the lot's row in the lots table ([] while it is not shown)."""
    for row in driver.find_elements(By.CSS_SELECTOR, f"#{ids.OPS_STOCK_LOTS} tbody tr"):
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        if len(cells) > 1 and cells[1] == LOT:
            return cells
    return []


def _searching(driver: webdriver.Chrome) -> bool:
    return "dash-dropdown-search" in (driver.switch_to.active_element.get_attribute("class")
                                      or "")


def _pick(driver: webdriver.Chrome, field_id: str, typed: str, option: str) -> None:
    """Tab to a dropdown: the first key opens its search, the rest filter, Enter takes the
    first option left (`option`), and the focus comes back to the dropdown."""
    wait = WebDriverWait(driver, 10)
    tab_to(driver, field_id, limit=30)
    keys(driver, typed[0])
    wait.until(_searching)
    keys(driver, typed[1:])
    # Read in the page: the options are redrawn while the search filters them.
    wait.until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('.dash-dropdown-content [role=option]')]"
        ".map(e => e.innerText.trim()).slice(0, 1);") == [option])
    keys(driver, Keys.ENTER)
    if _searching(driver):
        keys(driver, Keys.ESCAPE)
    wait.until(lambda d: not _searching(d))
    assert focused_in(driver, field_id)


def test_receive_transfer_confirm_and_count(
    live_app: str, browser: webdriver.Chrome, places: None,
    console_errors: Callable[[], list[dict[str, Any]]],
    csp_violations: Callable[[], list[str]],
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    wait = WebDriverWait(browser, 20)
    log_in(browser, live_app, "kho.hanoi", PASSWORD)
    browser.get(live_app + "/ops/stock")
    wait.until(lambda d: PROVINCE in d.find_element(By.ID, ids.OPS_STOCK_WAREHOUSE).text)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_STOCK_LOTS_INFO).text
               == "Kho chưa có lô nào.")
    # Receive from the supplier, by keyboard: Tab through the fields, Enter records.
    tab_to(browser, ids.OPS_STOCK_RCV_LOT)
    keys(browser, LOT)
    _pick(browser, ids.OPS_STOCK_RCV_VACCINE, "AZ",
          "AZ · AstraZeneca AZD1222 / Vaxzevria / Covishield")
    tab_to(browser, ids.OPS_STOCK_RCV_EXPIRY, limit=3)
    keys(browser, f"{EXPIRY:%d/%m/%Y}", Keys.TAB)
    assert focused_in(browser, ids.OPS_STOCK_RCV_DOSES)
    keys(browser, "1.000")
    _pick(browser, ids.OPS_STOCK_RCV_VVM, "1", "Giai đoạn 1")
    tab_to(browser, ids.OPS_STOCK_RCV_AT, limit=3)
    keys(browser, Keys.ENTER)  # empty: now
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_STOCK_RCV_STATUS).text
               == f"Đã nhập 1.000 liều lô {LOT}.")
    # Emptied once recorded: a second Enter cannot record the receipt twice.
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_STOCK_RCV_DOSES).get_attribute("value")
               == "")
    wait.until(lambda d: _lot_row(d)[:6] == ["AZ", LOT, f"{EXPIRY:%d/%m/%Y}", "1.000", "—",
                                             "1"])
    # Transfer to the station: the FEFO lot is preselected; type the doses, Enter sends.
    wait.until(lambda d: LOT in d.find_element(By.ID, ids.OPS_STOCK_TRF_HINT).text)
    assert LOT in browser.find_element(By.ID, ids.OPS_STOCK_TRF_LOT).text
    _pick(browser, ids.OPS_STOCK_TRF_TO, STATION, f"{STATION} · Kho Trạm Y tế Phúc Xá")
    tab_to(browser, ids.OPS_STOCK_TRF_DOSES, limit=5)
    keys(browser, "120", Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_STOCK_TRF_STATUS).text.startswith(
        f"Đã gửi 120 liều lô {LOT} đến {STATION}"))
    wait.until(lambda d: _lot_row(d)[3] == "880")
    assert console_errors() == []
    assert csp_violations() == []

    # The station's staff: the transfer is in transit to them; 110 arrived of 120.
    browser.delete_all_cookies()
    log_in(browser, live_app, "tram.phucxa", PASSWORD)
    browser.get(live_app + "/ops/stock")
    wait.until(lambda d: STATION in d.find_element(By.ID, ids.OPS_STOCK_WAREHOUSE).text)
    wait.until(lambda d: _lot_row(d)[3:5] == ["0", "120"])
    incoming = browser.find_element(By.ID, ids.OPS_STOCK_INCOMING)
    wait.until(lambda _d: f"120 liều AZ lô {LOT}" in incoming.text)
    field = incoming.find_element(By.CSS_SELECTOR, "input")
    tab_to(browser, ids.OPS_STOCK_INCOMING)
    assert browser.switch_to.active_element == field
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 3, "110", Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_STOCK_CONFIRM_STATUS).text
               == "Đã xác nhận nhận 110 liều; chênh lệch: thiếu 10 liều.")
    wait.until(lambda d: _lot_row(d)[3:5] == ["110", "—"])
    wait.until(lambda _d: f"{PROVINCE} AZ · {LOT} 120 110 10" in incoming.text)

    # The count sheet: 100 typed then undone, then the 108 counted saved.
    browser.get(live_app + "/ops/stock/count")
    cell = f".ag-row[row-id='AZ|{LOT}'] .ag-cell[col-id='{{}}']"
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, cell.format("balance")))
    assert browser.find_element(By.CSS_SELECTOR, cell.format("balance")).text == "110"
    browser.find_element(By.CSS_SELECTOR, cell.format("counted")).click()
    keys(browser, "100", Keys.ENTER)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, cell.format("counted")).text == "100")
    browser.find_element(By.ID, ids.OPS_STOCK_COUNT_UNDO).click()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, cell.format("counted")).text == "")
    browser.find_element(By.CSS_SELECTOR, cell.format("counted")).click()
    keys(browser, "108", Keys.ENTER)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, cell.format("counted")).text == "108")
    tab_to(browser, ids.OPS_STOCK_COUNT_SAVE, limit=40)
    keys(browser, Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_STOCK_COUNT_STATUS).text
               == "Đã lưu kiểm kê 1 lô; 1 lô có chênh lệch được điều chỉnh.")
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, cell.format("balance")).text == "108")
    # The station's stock card: received 110, counted down to 108.
    browser.get(f"{live_app}/ops/stock/card?warehouse={STATION}&vaccine=AZ&lot={LOT}")
    card = wait.until(lambda d: d.find_element(By.ID, ids.OPS_STOCK_CARD))
    wait.until(lambda _d: len(card.find_elements(By.CSS_SELECTOR, "tbody tr")) == 2)
    rows = [[c.text for c in r.find_elements(By.TAG_NAME, "td")][1:]
            for r in card.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert rows == [["Nhận chuyển kho", "+110", "110", "—", PROVINCE, "—", "tram.phucxa"],
                    ["Điều chỉnh", "-2", "108", "Kiểm kê", "—", "—", "tram.phucxa"]]
    assert console_errors() == []
    assert csp_violations() == []
