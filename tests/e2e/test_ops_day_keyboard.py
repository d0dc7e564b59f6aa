"""The vaccination day end to end in a real browser, by keyboard only, as a facility's staff
live it: a registered person and a walk-in are checked in, screened, given their dose and
released from observation; both doses then count in the command center's "doses today"."""

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
from tests.e2e.keyboard import focused_in, keys, tab_to
from tests.factories import injection, write_csv
from tests.integration.injection_setup import (
    ITEMS_5785,
    open_session,
    seed_current_lots,
    seed_stock,
)
from tests.integration.ops_setup import PASSWORD, PERSON, WOMAN, principal, registration

WAIT_S = 30


@pytest.fixture()
def site(e2e_settings: Settings, tmp_path: Path) -> Iterator[Engine]:
    """F00101 with lots in date, today's AZ session, Nguyễn Văn An registered with his first
    AZ dose (his second is due); Trần Thị Bình is known to nobody."""
    engine = make_engine(e2e_settings)
    try:
        seed_stock(e2e_settings, engine, tmp_path)
        seed_current_lots(e2e_settings, engine, tmp_path)
        registration(engine, "REG000000001")
        load_file(e2e_settings, engine, "injections",
                  write_csv(tmp_path / "first.csv", [injection("FILE-1")]))
        staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
        today = dt.datetime.now(ZoneInfo(e2e_settings.timezone)).date()
        open_session(engine, staff, day=today, vaccines=["AZ"])
        yield engine
    finally:
        engine.dispose()


def _text(driver: webdriver.Chrome, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def _check_in(browser: webdriver.Chrome, wait: WebDriverWait, base: str) -> None:
    browser.get(base + "/ops/checkin")
    wait.until(lambda d: "F00101" in _text(d, ids.OPS_CHECKIN_SESSION))
    wait.until(lambda d: focused_in(d, ids.OPS_CHECKIN_SEARCH))
    # The registered person: the scanner types his number and Enter; Enter checks him in.
    keys(browser, PERSON, Keys.ENTER)
    wait.until(lambda d: "ops-checkin-arrive" in (
        d.switch_to.active_element.get_attribute("id") or ""))
    keys(browser, Keys.ENTER)
    wait.until(lambda d: _text(d, ids.OPS_CHECKIN_STATUS).startswith(
        f"Đã đón tiếp Nguyễn Văn An ({PERSON})"))
    # The walk-in: nobody has her number; the short form opens at the name.
    wait.until(lambda d: focused_in(d, ids.OPS_CHECKIN_SEARCH))
    keys(browser, WOMAN, Keys.ENTER)
    wait.until(lambda d: focused_in(d, ids.OPS_WALKIN_NAME))
    keys(browser, "Trần Thị Bình", Keys.TAB, "06/05/2001", Keys.TAB)
    wait.until(lambda d: focused_in(d, ids.OPS_WALKIN_SEX))
    keys(browser, Keys.ARROW_RIGHT, Keys.TAB, "0903123456", Keys.ENTER)
    wait.until(lambda d: _text(d, ids.OPS_CHECKIN_STATUS).startswith(
        f"Đã đăng ký và đón tiếp Trần Thị Bình ({WOMAN})"))


def _screen(browser: webdriver.Chrome, wait: WebDriverWait, name: str) -> None:
    # The queue's first person holds the focus; Enter opens the checklist at its first item.
    wait.until(lambda d: name in _text(d, ids.OPS_SCREENING_QUEUE)
               and focused_in(d, ids.OPS_SCREENING_QUEUE))
    keys(browser, Keys.ENTER)
    wait.until(lambda d: name in _text(d, ids.OPS_SCREENING_FORM)
               and focused_in(d, ids.OPS_SCREENING_FORM))
    keys(browser, *["k"] * len(ITEMS_5785))  # Không to every question, then the fever
    keys(browser, "36,6", Keys.ENTER)
    wait.until(lambda d: _text(d, ids.OPS_SCREENING_STATUS).startswith(f"Đã lưu: {name}"))


def _inject(browser: webdriver.Chrome, wait: WebDriverWait, name: str) -> None:
    wait.until(lambda d: name in _text(d, ids.OPS_INJECTION_PEOPLE))
    tab_to(browser, ids.OPS_INJECTION_PEOPLE)
    keys(browser, Keys.SPACE)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_INJECTION_FORM).is_displayed()
               and name in _text(d, ids.OPS_INJECTION_FORM))
    tab_to(browser, ids.OPS_INJECTION_FORM)
    keys(browser, Keys.ENTER)
    wait.until(lambda d: _text(d, ids.OPS_INJECTION_STATUS).startswith("Đã ghi"))
    wait.until(lambda d: name not in _text(d, ids.OPS_INJECTION_PEOPLE))


def test_a_registered_person_and_a_walk_in_through_the_day_by_keyboard_only(
    live_app: str, browser: webdriver.Chrome, site: Engine,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    log_in(browser, live_app, "tram.phucxa", PASSWORD)
    wait = WebDriverWait(browser, WAIT_S, poll_frequency=0.2)
    _check_in(browser, wait, live_app)

    browser.get(live_app + "/ops/screening")
    _screen(browser, wait, "Nguyễn Văn An")
    _screen(browser, wait, "Trần Thị Bình")

    browser.get(live_app + "/ops/injection")
    _inject(browser, wait, "Nguyễn Văn An")
    _inject(browser, wait, "Trần Thị Bình")
    with site.connect() as conn:
        given = conn.execute(text(
            "SELECT i.person_id, i.dose_kind, i.dose_number, i.lot_number FROM injection i "
            "JOIN vax_injection v ON v.record_id = i.record_id ORDER BY i.person_id")).all()
    # First to expire first: AZ2611E; An's second dose, Bình's first.
    assert given == [(PERSON, "PRIMARY", 2, "AZ2611E"), (WOMAN, "PRIMARY", 1, "AZ2611E")]

    # Observation: both on the board, within their 30 minutes; An leaves early, with a reason
    # typed in his row and Enter.
    browser.get(live_app + "/ops/observation")
    wait.until(lambda d: "Nguyễn Văn An" in _text(d, ids.OPS_OBS_BOARD)
               and "Trần Thị Bình" in _text(d, ids.OPS_OBS_BOARD))
    reason = browser.find_element(
        By.XPATH, "//tr[contains(., 'Nguyễn Văn An')]//input[contains(@id, 'ops-obs-reason')]")
    for _ in range(80):
        if browser.switch_to.active_element == reason:
            break
        keys(browser, Keys.TAB)
    else:
        pytest.fail("Tab never reached An's reason field")
    keys(browser, "Có việc gấp, đã dặn dò", Keys.ENTER)
    wait.until(lambda d: _text(d, ids.OPS_OBS_STATUS).startswith("Đã cho về: Nguyễn Văn An"))
    wait.until(lambda d: "Nguyễn Văn An" not in _text(d, ids.OPS_OBS_BOARD))
    assert "Trần Thị Bình" in _text(browser, ids.OPS_OBS_BOARD)

    # The command center counts both doses today.
    browser.get(live_app + "/")
    wait.until(lambda d: _text(d, ids.PROGRESS_KPI_TODAY) == "2")
    assert console_errors() == []
    assert csp_violations() == []
