"""An AEFI case investigated by keyboard alone, in a real browser at 1366x768: the district
officer Tabs to the case list, Space opens the serious case, Tab reaches the investigation
form, the date and findings are typed and Enter on the button signs it; the detail shows
it signed. The operations links stay on one row; the console stays clean.

With E2E_SHOTS=<folder> set, it also saves the case with its form in vi and in en there.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, text

from callbacks.shared import ids
from data.auth.roles import SYSTEM, Role
from data.db import make_engine
from data.ops.commands.aefi_staff import StaffReport, report
from data.ops.commands.injection import record_injection
from data.settings import Settings
from etl.pipeline import load_file
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import focused_in, keys, tab_to
from tests.factories import FACILITY, injection, write_csv
from tests.integration.ops_setup import PASSWORD, principal

OFFICER = "huyen.badinh"


def _ago(minutes: int) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).replace(microsecond=0)


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def cases(e2e_settings: Settings, engine: Engine, tmp_path: Path) -> list[str]:
    """Two serious cases of F00101 (Ba Đình) reported by its staff, the newer first; the
    district officer of Ba Đình."""
    load_file(e2e_settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    principal(engine, OFFICER, Role.DISTRICT_OFFICER, "001")
    found = []
    for n, (rid, given, onset) in enumerate((("A", 120, 100), ("B", 90, 60))):
        record_injection(engine, SYSTEM, injection(rid, person_id=f"00109001234{n}",
                                                   administered_at=_ago(given).isoformat()),
                         "vi")
        found.append(report(engine, staff, None, StaffReport(
            rid, _ago(onset), ("ANAPHYLAXIS", "DYSPNOEA"), "tụt huyết áp",
            ("HOSPITALISATION",), reporter_title="Điều dưỡng", reporter_phone="0912345678"),
            "vi", e2e_settings.timezone))
    return found[::-1]


def _one_row(driver: webdriver.Chrome) -> bool:
    tops = driver.execute_script(
        "return [...document.querySelectorAll('.nav-links .nav-link')]"
        ".map(a => Math.round(a.getBoundingClientRect().top));")
    return len(tops) > 6 and len(set(tops)) == 1


def _shot(driver: webdriver.Chrome, name: str, at: str = ids.OPS_AEFI_DETAIL) -> None:
    """The element `at` in view, saved when E2E_SHOTS names a folder."""
    folder = os.environ.get("E2E_SHOTS")
    if not folder:
        return
    driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", at)
    driver.execute_script("window.scrollBy(0, -120)")  # below the sticky bar
    Path(folder).mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(Path(folder) / name))


def test_a_district_officer_investigates_a_case_by_keyboard_only(
    live_app: str, browser: webdriver.Chrome, cases: list[str], engine: Engine,
    e2e_settings: Settings, console_errors: Callable[[], list[dict[str, Any]]],
    csp_violations: Callable[[], list[str]],
) -> None:
    # A 1366x768 viewport, whatever the window's frame takes.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    log_in(browser, live_app, OFFICER, PASSWORD)
    browser.get(live_app + "/ops/aefi")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, f"#{ids.OPS_AEFI_LIST} input"))
               == 2)
    assert browser.find_element(By.ID, ids.OPS_AEFI_LIST_INFO).text == "Số ca: 2"
    assert _one_row(browser)  # eleven links and the tools at 1366 px, in Vietnamese
    # Tab into the list: the newest case has the focus; Space opens it.
    tab_to(browser, ids.OPS_AEFI_LIST)
    case = browser.switch_to.active_element.get_attribute("value")
    assert case == cases[0]
    keys(browser, Keys.SPACE)
    detail = browser.find_element(By.ID, ids.OPS_AEFI_DETAIL)
    wait.until(lambda _d: f"Ca {case}" in detail.text and "Chưa ký." in detail.text)
    assert "AZ2108A" in detail.text and "sốc phản vệ; khó thở; tụt huyết áp" in detail.text
    wait.until(lambda d: d.find_elements(By.ID, ids.OPS_AEFI_INV_DATE))
    _shot(browser, "aefi-case-investigation-vi.png")
    # Tab to the date (today's, pre-filled), type it anew, then the findings, then sign.
    tab_to(browser, ids.OPS_AEFI_INV_DATE, limit=10)
    today = dt.datetime.now(ZoneInfo(e2e_settings.timezone)).date()
    keys(browser, Keys.END, *[Keys.BACKSPACE] * 10, f"{today:%d/%m/%Y}", Keys.TAB)
    assert focused_in(browser, ids.OPS_AEFI_INV_FINDINGS)
    keys(browser, "Phản vệ độ II, xử trí theo phác đồ", Keys.TAB)
    assert focused_in(browser, ids.OPS_AEFI_INV_SUBMIT)
    keys(browser, Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_AEFI_STEP_STATUS).text
               == f"Đã ký phiếu điều tra ca {case}.")
    wait.until(lambda _d: f"Ký bởi {OFFICER} lúc {today:%d/%m/%Y}" in detail.text)
    assert "Phản vệ độ II, xử trí theo phác đồ" in detail.text
    wait.until(lambda d: not d.find_elements(By.ID, ids.OPS_AEFI_INV_DATE))
    with engine.connect() as conn:
        assert tuple(conn.execute(text(
            "SELECT report_id, status, findings, investigated_by_name FROM vax_aefi_case"
        )).one()) == (case, "INVESTIGATED", "Phản vệ độ II, xử trí theo phác đồ", OFFICER)
    assert console_errors() == []
    assert csp_violations() == []
    # English: the other case, still to investigate (by mouse: the keyboard part is done).
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='en']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_AEFI_LIST_INFO).text == "Cases: 1")
    assert _one_row(browser)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.find_element(By.CSS_SELECTOR, f"#{ids.OPS_AEFI_LIST} input[value='{cases[1]}']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    wait.until(lambda _d: f"Case {cases[1]}" in detail.text)
    wait.until(lambda d: "Sign the investigation" in d.find_element(
        By.ID, ids.OPS_AEFI_STEP).text)
    _shot(browser, "aefi-case-investigation-en.png")
    _shot(browser, "aefi-new-report-en.png", ids.OPS_AEFI_NEW_RECORD)
    assert console_errors() == []
