"""The observation board in a real browser, keyboard only: the countdown ticks in the page,
the person past their 30 minutes is highlighted, Tab reaches their "Release" and Enter
releases them; the console stays clean."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from data.audit import Actor
from data.auth.roles import SYSTEM, Role
from data.auth.users import create_user
from data.db import make_engine, unit_of_work
from data.ops.commands.injection import record_injection
from data.settings import Settings
from etl.pipeline import load_file
from tests.e2e.conftest import log_in
from tests.factories import FACILITY, injection, write_csv

STAFF = ("tram.phucxa", "Tram-phuc-xa-2021")


def _ago(minutes: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)).replace(
        microsecond=0).isoformat()


@pytest.fixture()
def desk(e2e_settings: Settings, tmp_path: Path) -> tuple[str, str]:
    """Facility F00101, its staff account, two people given a dose: 40 and 3 minutes ago."""
    engine = make_engine(e2e_settings)
    try:
        load_file(e2e_settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
        record_injection(engine, SYSTEM, injection("LONG", person_id="001090012340",
                                                   administered_at=_ago(40)), "vi")
        record_injection(engine, SYSTEM, injection("NEW", person_id="001090012341",
                                                   full_name="Trần Thị Bình",
                                                   administered_at=_ago(3)), "vi")
        with unit_of_work(engine) as conn:
            create_user(conn, Actor(None, "e2e-fixture", "test"), STAFF[0], "Trạm Phúc Xá",
                        STAFF[1], [(Role.FACILITY_STAFF, "F00101")],
                        must_change_password=False)
    finally:
        engine.dispose()
    return STAFF


def _dom_id(kind: str, record_id: str) -> str:
    # Dash writes a pattern-matching id into the DOM as its JSON, keys sorted.
    return json.dumps({"record": record_id, "type": kind}, separators=(",", ":"))


def _by_id(kind: str, record_id: str) -> tuple[str, str]:
    # By.ID becomes a CSS selector, which a JSON id breaks; XPath takes it as it is.
    return By.XPATH, f"//*[@id='{_dom_id(kind, record_id)}']"


def _left(driver: webdriver.Chrome, record_id: str) -> str:
    row = driver.find_element(*_by_id(ids.OPS_OBS_RELEASE, record_id)).find_element(
        By.XPATH, "ancestor::tr")
    return str(row.find_element(By.CSS_SELECTOR, ".ops-obs-left").text)


def test_release_a_person_with_the_keyboard_only(
        live_app: str, browser: webdriver.Chrome, desk: tuple[str, str],
        console_errors: Callable[[], list[dict[str, Any]]]) -> None:
    log_in(browser, live_app, *desk)
    browser.get(live_app + "/ops/observation")
    wait = WebDriverWait(browser, 15)
    release = wait.until(lambda d: d.find_element(*_by_id(ids.OPS_OBS_RELEASE, "LONG")))
    # The countdown is drawn in the browser: mm:ss for the one still waiting, "done" for the
    # one past 30 minutes, whose row is highlighted.
    wait.until(lambda d: re.fullmatch(r"2\d:\d\d", _left(d, "NEW")))
    assert _left(browser, "LONG").startswith("Đủ 30 phút · quá 10:")
    row = release.find_element(By.XPATH, "ancestor::tr")
    assert row.get_attribute("data-overdue") == "1"
    first = _left(browser, "NEW")
    wait.until(lambda d: _left(d, "NEW") != first)  # it ticks with no request each second
    # Keyboard only: Tab from the top of the page until "Release" of the first person.
    target = release.get_attribute("id")
    for _ in range(80):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.get_attribute("id") == target:
            break
    else:
        pytest.fail("Tab never reached the Release button")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_OBS_STATUS).text.startswith(
        "Đã cho về: Nguyễn Văn An"))
    wait.until(lambda d: not d.find_elements(*_by_id(ids.OPS_OBS_RELEASE, "LONG")))
    assert browser.find_elements(*_by_id(ids.OPS_OBS_RELEASE, "NEW"))
    assert console_errors() == []
