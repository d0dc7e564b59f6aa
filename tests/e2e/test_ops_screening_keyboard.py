"""The screening desk by keyboard alone, in a real browser: the queue holds the focus, the
arrival number picks a person, Enter opens the checklist, C/K answer each question, the
temperature is typed, Enter saves; the queue moves on and takes the focus back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, insert, select

from callbacks.shared import ids
from data.auth.roles import Role
from data.db import make_engine
from data.models.operational import StockMovement
from data.models.ops import VaxScreening
from data.ops.commands import checkin, sessions
from data.ops.commands.checkin import PersonForm
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.integration.ops_setup import (
    PASSWORD,
    PERSON,
    SOURCE,
    WOMAN,
    plan,
    principal,
    registration,
    seed_places,
)

FRESH_LOT = "AZ3012E"  # a lot that has not expired on today's date
ITEMS_5785 = ["anaphylaxis_covid_vaccine", "acute_illness", "pregnant_under_13_weeks",
              "pregnant_13_weeks_or_more", "anaphylaxis_grade3_history",
              "severe_immunodeficiency", "allergy_history", "clotting_disorder",
              "impaired_consciousness", "manufacturer_contraindication"]


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def desk(e2e_settings: Settings, engine: Engine) -> str:
    """Two people checked in today at F00101, An first; the desk's username."""
    seed_places(engine)
    with engine.begin() as conn:
        conn.execute(insert(StockMovement.__table__).values(
            movement_id="M-fresh", occurred_at=dt.datetime(2021, 9, 1, tzinfo=dt.UTC),
            warehouse_code="W1", movement_type="RECEIPT", counterparty_code=None,
            vaccine_code="AZ", lot_number=FRESH_LOT, expiry_date=dt.date(2030, 12, 31),
            doses=500, reason=None, row_hash=99))
    registration(engine, "REG000000001")
    registration(engine, "REG000000002", person_id=WOMAN, full_name="Trần Thị Bình",
                 birth_date=dt.date(2001, 5, 6), sex="F", phone="0903123456")
    user = principal(engine, "bac.si.e2e", Role.FACILITY_STAFF, "F00101")
    today = dt.datetime.now(ZoneInfo(e2e_settings.timezone)).date()  # as data.clock
    sid = sessions.create_session(engine, user, SOURCE,
                                  plan(day=today, lots=[FRESH_LOT], capacity=9))
    checkin.record_checkin(engine, user, SOURCE, sid,
                           PersonForm("CCCD", PERSON, dt.date(1990, 1, 2), "M"))
    checkin.record_checkin(engine, user, SOURCE, sid,
                           PersonForm("CCCD", WOMAN, dt.date(2001, 5, 6), "F"))
    return user.username


def _active(driver: webdriver.Chrome) -> WebElement:
    return driver.switch_to.active_element


def _checked_number(driver: webdriver.Chrome) -> str | None:
    """The arrival number of the queue's selected radio, when it holds the focus."""
    active = _active(driver)
    if active.get_attribute("type") != "radio" or not active.is_selected():
        return None
    label = active.find_element(By.XPATH, "ancestor::label")
    if not label.find_elements(By.CSS_SELECTOR, "[data-number]"):
        return None
    return label.find_element(By.CSS_SELECTOR, "[data-number]").get_attribute("data-number")


def test_a_clinician_screens_from_the_queue_by_keyboard_only(
    live_app: str, browser: webdriver.Chrome, desk: str, engine: Engine,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    log_in(browser, live_app, desk, PASSWORD)
    browser.get(live_app + "/ops/screening")
    wait = WebDriverWait(browser, 20)
    # The first arrival is selected and holds the focus.
    wait.until(lambda d: _checked_number(d) == "1")
    assert "2 người đang chờ tại F00101" in browser.find_element(
        By.ID, ids.OPS_SCREENING_QUEUE_INFO).text
    # Typing the arrival number picks it; the arrows move within the queue.
    _active(browser).send_keys("2")
    wait.until(lambda d: _checked_number(d) == "2")
    _active(browser).send_keys(Keys.ARROW_UP)
    wait.until(lambda d: _checked_number(d) == "1")
    _active(browser).send_keys(Keys.ARROW_DOWN)
    wait.until(lambda d: _checked_number(d) == "2")
    _active(browser).send_keys(Keys.ENTER)
    # The checklist of 5785 opens with the focus on its first question.
    wait.until(lambda d: "Trần Thị Bình" in d.find_element(By.ID, ids.OPS_SCREENING_FORM).text)
    wait.until(lambda d: _active(d).find_elements(
        By.XPATH, "ancestor::div[@data-item='anaphylaxis_covid_vaccine']"))
    assert "5785/QĐ-BYT" in browser.find_element(By.ID, ids.OPS_SCREENING_FORM).text
    for item in ITEMS_5785:  # each key answers and moves on to the next question
        assert _active(browser).find_elements(By.XPATH, f"ancestor::div[@data-item='{item}']")
        _active(browser).send_keys("c" if item == "allergy_history" else "k")
    # After the last question the temperature field has the focus.
    temperature = wait.until(lambda d: d.find_element(
        By.XPATH, """//input[@id='{"type":"ops-screening-vital","vital":"temperature_c"}']"""))
    assert _active(browser) == temperature
    _active(browser).send_keys("36,8")
    outcome = browser.find_element(By.ID, ids.OPS_SCREENING_OUTCOME)
    wait.until(lambda _d: "Tiêm, theo dõi thận trọng" in outcome.text
               and "chưa" not in outcome.text)
    _active(browser).send_keys(Keys.ENTER)
    # Saved: the status says so, the queue moves on and has the focus again.
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_SCREENING_STATUS).text
               == "Đã lưu: Trần Thị Bình — Tiêm, theo dõi thận trọng.")
    wait.until(lambda d: _checked_number(d) == "1")
    assert "1 người đang chờ tại F00101" in browser.find_element(
        By.ID, ids.OPS_SCREENING_QUEUE_INFO).text
    with engine.connect() as conn:
        rows = conn.execute(select(VaxScreening.__table__)).mappings().all()
    assert [(r["rule_set_id"], r["computed_outcome"], r["final_decision"], r["vitals"])
            for r in rows] == [("screening-5785-adult", "CAUTION", "CAUTION",
                                {"temperature_c": 36.8})]
    assert rows[0]["answers"] == {i: i == "allergy_history" for i in ITEMS_5785}
    assert console_errors() == []
    assert csp_violations() == []
