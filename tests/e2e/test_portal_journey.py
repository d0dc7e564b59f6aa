"""A citizen's whole journey on a phone (390 x 844), with operations in between: registers on
the portal, is invited by the facility (the operations commands the planning page calls),
sees the invitation, is vaccinated at the desk (check-in, screening, injection commands),
sees "vaccinated", looks up the certificate and verifies its QR code on the verifier page.
The console stays clean and no CSP rule is broken."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine

from callbacks.shared import ids_portal as pid
from callbacks.shared.i18n import t
from data.auth.roles import Role
from data.db import make_engine
from data.ops.commands.give_dose import give_dose
from data.ops.commands.invitations import Invitee, invite
from data.settings import Settings
from tests.e2e.keyboard import keys, pick, tab_to
from tests.integration.injection_setup import (
    ITEMS_5785,
    choice,
    open_session,
    screened,
    seed_current_lots,
    seed_stock,
)
from tests.integration.ops_setup import PERSON, SOURCE, principal
from tests.integration.portal_cert_setup import keyed

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
NAME, BORN = "Nguyễn Văn An", "02/01/1990"
WAIT_S = 20


@pytest.fixture()
def e2e_settings(e2e_settings: Settings, tmp_path: Path) -> Settings:
    """The e2e database with F00101's stock (lots valid today) and a signing key."""
    signing = keyed(e2e_settings, tmp_path)
    engine = make_engine(signing)
    try:
        seed_stock(signing, engine, tmp_path)
        seed_current_lots(signing, engine, tmp_path)
    finally:
        engine.dispose()
    return signing


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


def _wait(browser: webdriver.Chrome) -> WebDriverWait:
    return WebDriverWait(browser, WAIT_S, ignored_exceptions=(StaleElementReferenceException,))


def _text(browser: webdriver.Chrome, element_id: str, contains: str = "") -> str:
    """The element's text once it holds `contains` (any text when empty)."""
    def read(d: webdriver.Chrome) -> str | bool:
        found = d.find_elements(By.ID, element_id)
        text = (found[0].get_attribute("textContent") or "") if found else ""
        return text if text and contains in text else False
    return str(_wait(browser).until(read))


def _register(browser: webdriver.Chrome, live_app: str) -> str:
    browser.get(live_app + "/portal/register")
    _wait(browser).until(lambda d: d.find_element(By.ID, pid.REG_CHALLENGE_QUESTION).text)
    tab_to(browser, pid.REG_PERSON_ID)
    keys(browser, PERSON, Keys.TAB, NAME, Keys.TAB, BORN, Keys.TAB, Keys.SPACE)  # Nam
    tab_to(browser, pid.REG_PHONE)
    keys(browser, "0912345678")
    tab_to(browser, pid.REG_PROVINCE)
    pick(browser, "Hà Nội", "Hà Nội")
    _wait(browser).until(lambda d: d.find_elements(By.ID, pid.REG_DISTRICT))
    tab_to(browser, pid.REG_DISTRICT)
    pick(browser, "Ba Đình", "Ba Đình")
    question = browser.find_element(By.ID, pid.REG_CHALLENGE_QUESTION).text
    a, b = (int(x) for x in re.findall(r"(\d+) \+ (\d+)", question)[0])
    tab_to(browser, pid.REG_CHALLENGE_ANSWER)
    keys(browser, str(a + b), Keys.ENTER)
    code = _text(browser, f"{pid.REG_RESULT}-code")
    assert re.fullmatch(r"DK[0-9A-Z]{8}", code)
    return code


def _state(browser: webdriver.Chrome, live_app: str, code: str, expected: str) -> str:
    """The registration look-up's answer, once it says `expected`."""
    browser.get(live_app + "/portal/registration")
    _wait(browser).until(lambda d: d.find_elements(By.ID, pid.REGST_KEY))
    browser.find_element(By.ID, pid.REGST_KEY).send_keys(code)
    browser.find_element(By.ID, pid.REGST_BIRTH_DATE).send_keys(BORN, Keys.ENTER)
    return _text(browser, pid.REGST_RESULT, expected)


def test_register_invited_vaccinated_certificate_verified(
    live_app: str, browser: webdriver.Chrome, engine: Engine, e2e_settings: Settings,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    code = _register(browser, live_app)
    assert _state(browser, live_app, code, t("portal.regst.state.WAITING", "vi"))

    # The facility plans today's session and invites the person from its list.
    staff = principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")
    today = dt.datetime.now(ZoneInfo(e2e_settings.timezone)).date()
    session_id = open_session(engine, staff, day=today, vaccines=["AZ"])
    invite(engine, staff, SOURCE, session_id, [Invitee(PERSON, "CCCD", code)])
    invited = _state(browser, live_app, code, t("portal.regst.state.INVITED", "vi"))
    assert "Trạm Y tế Phường Phúc Xá ngày" in invited  # no empty "()" without an address

    # At the desk: checked in, screened, given a first AZ dose from today's stock.
    checkin_id = screened(engine, staff, session_id, items=ITEMS_5785)
    given_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    give_dose(engine, staff, choice(checkin_id, record_id="JOURNEY-1", lot_number="AZ2611E",
                                    dose_kind="PRIMARY", dose_number=1,
                                    administered_at=given_at), "vi", source=SOURCE)
    assert _state(browser, live_app, code, t("portal.regst.state.VACCINATED", "vi"))

    browser.get(live_app + "/portal/certificate")
    _wait(browser).until(lambda d: d.find_elements(By.ID, pid.CERT_PERSON_ID))
    browser.find_element(By.ID, pid.CERT_PERSON_ID).send_keys(PERSON)
    browser.find_element(By.ID, pid.CERT_NAME).send_keys(NAME)
    browser.find_element(By.ID, pid.CERT_BIRTH).send_keys(BORN)
    browser.find_element(By.ID, pid.CERT_SUBMIT).click()
    hc1 = _text(browser, pid.CERT_HC1, "HC1:")
    assert "Mũi 1" in _text(browser, pid.CERT_RESULT)

    browser.get(live_app + "/portal/verify")
    _wait(browser).until(lambda d: d.find_elements(By.ID, pid.VERIFY_INPUT))
    browser.find_element(By.ID, pid.VERIFY_INPUT).send_keys(hc1.strip(), Keys.ENTER)
    _wait(browser).until(lambda d: d.find_elements(By.ID, pid.VERIFY_STATUS))
    assert browser.find_element(By.ID, pid.VERIFY_STATUS).get_attribute("data-status") \
        == "valid"
    assert "NGUYEN" in _text(browser, pid.VERIFY_RESULT)
    assert console_errors() == []
    assert csp_violations() == []
