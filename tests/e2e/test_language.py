"""Only a browser shows these (issue 9, language): AG Grid's pager in the page's language before
and after the switch, every download button translated, Vietnamese date ticks on the
allocation decisions, the not-found page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from tests.e2e.test_mcc_pages import campaign, heading  # noqa: F401 - fixture

PAGERS = ("return Array.from(document.querySelectorAll('.ag-paging-panel'))"
          ".map(e => e.innerText.replace(/\\s+/g, ' '));")
ROWS = ("return Array.from(document.querySelectorAll('.mcc-grid'))"
        ".map(g => g.querySelectorAll('.ag-center-cols-container .ag-row').length);")
TICKS = ("return Array.from(document.querySelectorAll('#' + arguments[0] + ' .xtick text'))"
         ".map(e => e.textContent);")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _switch(browser: webdriver.Chrome, lang: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='{lang}']"
                         ).find_element(By.XPATH, "ancestor::label").click()


def _downloads(browser: webdriver.Chrome) -> list[str]:
    return [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".download-button")]


def test_grids_buttons_and_dates_follow_the_language(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,  # noqa: F811
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/allocation")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: sum(d.execute_script(ROWS)) > 0)
    wait.until(lambda d: d.execute_script(TICKS, ids.ALLOC_DECISIONS))
    rows = browser.execute_script(ROWS)
    pagers = browser.execute_script(PAGERS)
    # Lots nearing expiry, stock-out risk and the allocations carried out.
    assert len(pagers) == 3 and all("Số dòng mỗi trang" in p and "Trang " in p and " trên " in p
                                    for p in pagers), pagers
    assert _downloads(browser) == ["Tải CSV"] * 6
    ticks = browser.execute_script(TICKS, ids.ALLOC_DECISIONS)
    assert ticks and not any(m in t for t in ticks for m in MONTHS), ticks

    _switch(browser, "en")
    wait.until(lambda d: all("Page Size" in p for p in d.execute_script(PAGERS)))
    pagers = browser.execute_script(PAGERS)
    assert all("Page " in p and " of " in p and "Số dòng" not in p for p in pagers), pagers
    # The rebuilt grids kept their rows.
    wait.until(lambda d: d.execute_script(ROWS) == rows)
    wait.until(lambda d: _downloads(d) == ["Download CSV"] * 6)

    # A page opened in English builds its grids in English from the start.
    browser.get(live_app + "/reports?as_of=2021-10-31")
    wait.until(lambda d: heading(d) == "Daily report")
    wait.until(lambda d: sum(d.execute_script(ROWS)) > 0)
    pagers = browser.execute_script(PAGERS)
    assert pagers and all("Page Size" in p for p in pagers), pagers
    assert console_errors() == []
    assert csp_violations() == []


def test_an_unknown_address_shows_the_not_found_page(
    live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/no-such-page?x=1")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: heading(d) == "Không tìm thấy trang")
    card = browser.find_element(By.CSS_SELECTOR, ".not-found")
    assert "404" in card.text and "Địa chỉ này không có" in card.text
    assert card.value_of_css_property("background-color") == "rgba(255, 255, 255, 1)"
    _switch(browser, "en")
    wait.until(lambda d: heading(d) == "Page not found")
    link = browser.find_element(By.CSS_SELECTOR, ".not-found-link")
    assert link.text == "← Back to vaccination progress"
    link.click()
    wait.until(lambda d: heading(d) == "Vaccination progress")
    assert browser.current_url.rstrip("/") == live_app
    assert console_errors() == []
    assert csp_violations() == []
