"""The injection desk in a real browser, by keyboard only: sign in, Tab to the person waiting,
Space to choose them, Tab into the form (the first lot to expire and the proposed dose are
already chosen), Enter records the dose; the list moves on; the console and CSP stay clean."""

from __future__ import annotations

import datetime as dt
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
from data.auth.roles import Role
from data.db import make_engine
from data.settings import Settings
from etl.pipeline import load_file
from tests.e2e.conftest import log_in
from tests.e2e.keyboard import keys, tab_to
from tests.factories import injection, write_csv
from tests.integration.injection_setup import (
    ITEMS_5785,
    open_session,
    screened,
    seed_current_lots,
    seed_stock,
)
from tests.integration.ops_setup import PASSWORD, principal, registration

WAIT_S = 20


@pytest.fixture()
def desk(e2e_settings: Settings, tmp_path: Path) -> Iterator[Engine]:
    """Stock, An registered with a first AZ dose, checked in and screened today at F00101."""
    engine = make_engine(e2e_settings)
    try:
        seed_stock(e2e_settings, engine, tmp_path)
        seed_current_lots(e2e_settings, engine, tmp_path)
        registration(engine, "REG000000001")
        load_file(e2e_settings, engine, "injections",
                  write_csv(tmp_path / "first.csv", [injection("FILE-1")]))
        staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
        today = dt.datetime.now(ZoneInfo(e2e_settings.timezone)).date()
        screened(engine, staff, open_session(engine, staff, day=today, vaccines=["AZ"]),
                 items=ITEMS_5785)
        yield engine
    finally:
        engine.dispose()


def test_a_dose_recorded_by_keyboard_only(
    live_app: str, browser: webdriver.Chrome, desk: Engine,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    log_in(browser, live_app, "tram.phucxa", PASSWORD)
    browser.get(live_app + "/ops/injection")
    wait = WebDriverWait(browser, WAIT_S)
    wait.until(lambda d: "Nguyễn Văn An" in d.find_element(By.ID, ids.OPS_INJECTION_PEOPLE).text)
    assert not browser.find_element(By.ID, ids.OPS_INJECTION_FORM).is_displayed()

    tab_to(browser, ids.OPS_INJECTION_PEOPLE)
    keys(browser, Keys.SPACE)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_INJECTION_FORM).is_displayed()
               and "AZ2611E" in d.find_element(By.ID, ids.OPS_INJECTION_LOT).text)
    checked = browser.find_elements(By.CSS_SELECTOR, "#ops-injection-form input:checked")
    assert [c.get_attribute("value") for c in checked] == ["AZ|AZ2611E", "PRIMARY:2",
                                                           "LEFT_ARM"]

    tab_to(browser, ids.OPS_INJECTION_FORM)
    keys(browser, Keys.ENTER)
    wait.until(lambda d: "Đã ghi Cơ bản 2" in d.find_element(By.ID, ids.OPS_INJECTION_STATUS)
               .text)
    assert "AZ lô AZ2611E, Cánh tay trái" in browser.find_element(
        By.ID, ids.OPS_INJECTION_STATUS).text
    wait.until(lambda d: "Nguyễn Văn An" not in d.find_element(
        By.ID, ids.OPS_INJECTION_PEOPLE).text)
    with desk.connect() as conn:
        assert conn.execute(text("SELECT lot_number, dose_kind, dose_number FROM injection "
                                 "WHERE record_id <> 'FILE-1'")).all() == [
            ("AZ2611E", "PRIMARY", 2)]
        assert conn.execute(text("SELECT injection_site FROM vax_injection")).all() == [
            ("LEFT_ARM",)]
    assert console_errors() == []
    assert csp_violations() == []
