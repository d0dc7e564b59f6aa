"""A citizen on a phone (390 x 844): looks up their certificate, opens the code as text,
pastes it into the verifier and reads "valid"; no console error, no CSP violation."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zxingcpp
from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared.ids_portal import (
    CERT_BIRTH,
    CERT_HC1,
    CERT_NAME,
    CERT_PERSON_ID,
    CERT_RESULT,
    CERT_SUBMIT,
    VERIFY_INPUT,
    VERIFY_RESULT,
    VERIFY_STATUS,
)
from data.settings import Settings
from tests.integration.portal_cert_setup import BORN, NAME, PERSON_ID, keyed_with_person

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


@pytest.fixture()
def e2e_settings(e2e_settings: Settings, tmp_path: Path) -> Settings:
    """The e2e database with a signing key and a vaccinated person."""
    return keyed_with_person(e2e_settings, tmp_path)


def _read_symbol(src: str) -> zxingcpp.Barcode:
    """The QR code in an image's data: URI."""
    head, data = src.split(",", 1)
    assert head.startswith("data:image/") and head.endswith(";base64")
    picture = Image.open(io.BytesIO(base64.b64decode(data))).convert("L")
    found = zxingcpp.read_barcodes(np.asarray(picture), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    return found[0]


def _text_of(driver: webdriver.Chrome, element_id: str) -> str:
    def read(d: webdriver.Chrome) -> str | bool:
        try:
            found = d.find_elements(By.ID, element_id)
            return (found[0].get_attribute("textContent") or False) if found else False
        except StaleElementReferenceException:
            return False
    return str(WebDriverWait(driver, 20).until(read))


def test_look_up_then_verify_on_a_phone(
    live_app: str, browser: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    browser.get(live_app + "/portal/certificate")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: d.find_elements(By.ID, CERT_PERSON_ID))
    browser.find_element(By.ID, CERT_PERSON_ID).send_keys(PERSON_ID)
    browser.find_element(By.ID, CERT_NAME).send_keys(NAME)
    browser.find_element(By.ID, CERT_BIRTH).send_keys(BORN)
    browser.find_element(By.ID, CERT_SUBMIT).click()
    code = _text_of(browser, CERT_HC1)
    assert code.startswith("HC1:")
    result = _text_of(browser, CERT_RESULT)
    assert "Mũi 2" in result and "•••••••••345" in result and PERSON_ID not in result
    qr = browser.find_element(By.CSS_SELECTOR, ".cert-qr img")
    assert qr.is_displayed() and qr.size["width"] >= 250  # large enough to scan off a phone
    # The browser drew the symbol: it reads back as the signed text, at error level Q, and
    # fills its square.
    src = wait.until(lambda d: qr.get_attribute("src") or None)
    symbol = _read_symbol(src)
    assert (symbol.text, symbol.ec_level) == (code, "Q")
    assert qr.size["height"] == qr.size["width"]
    # Nothing wider than the phone's screen.
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1")

    browser.get(live_app + "/portal/verify")
    wait.until(lambda d: d.find_elements(By.ID, VERIFY_INPUT))
    field = browser.find_element(By.ID, VERIFY_INPUT)
    field.send_keys(code, Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.ID, VERIFY_STATUS))
    status = browser.find_element(By.ID, VERIFY_STATUS)
    assert status.get_attribute("data-status") == "valid"
    assert status.text == "Hợp lệ"
    assert "NGUYEN" in _text_of(browser, VERIFY_RESULT)
    assert console_errors() == []
    assert csp_violations() == []
