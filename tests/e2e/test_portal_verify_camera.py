"""The verifier's camera path: a phone's camera (Chromium's fake capture device, playing a video
of a real certificate's QR code) is started with the page's button; the vendored reader decodes
the code, fills the field and presses Verify, and the page says "valid".

Chromium plays a Y4M file as the camera (--use-file-for-fake-video-capture) and grants the
permission without a prompt (--use-fake-ui-for-media-stream).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared.ids_portal import VERIFY_INPUT, VERIFY_SCAN, VERIFY_STATUS
from data.certificates.issue import issue_with
from data.certificates.keys import KeyStore
from data.certificates.qr import qr_matrix
from data.db import make_engine
from data.settings import Settings
from tests.e2e.conftest import chromium
from tests.integration.portal_cert_setup import PERSON_ID, keyed_with_person

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
WIDTH, HEIGHT, MODULE_PX = 800, 600, 4


def write_y4m(path: Path, dark: np.ndarray, frames: int = 4) -> None:
    """A grey-scale I420 video of the symbol (4 modules of quiet zone), centred on white."""
    symbol = np.pad(dark, 4, constant_values=False)
    pixels = np.kron(symbol, np.ones((MODULE_PX, MODULE_PX), dtype=bool))
    luma = np.full((HEIGHT, WIDTH), 235, dtype=np.uint8)
    top, left = (HEIGHT - pixels.shape[0]) // 2, (WIDTH - pixels.shape[1]) // 2
    luma[top:top + pixels.shape[0], left:left + pixels.shape[1]] = np.where(pixels, 16, 235)
    chroma = np.full(WIDTH * HEIGHT // 2, 128, dtype=np.uint8).tobytes()  # U then V: grey
    frame = b"FRAME\n" + luma.tobytes() + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * frames)


@pytest.fixture()
def e2e_settings(e2e_settings: Settings, tmp_path: Path) -> Settings:
    """The e2e database with a signing key and a vaccinated person."""
    return keyed_with_person(e2e_settings, tmp_path)


@pytest.fixture()
def hc1(e2e_settings: Settings) -> str:
    """The person's certificate, issued by the data layer as the look-up page issues it."""
    engine = make_engine(e2e_settings)
    try:
        return issue_with(engine, KeyStore(e2e_settings.certificate_key_dir), PERSON_ID).hc1
    finally:
        engine.dispose()


@pytest.fixture()
def browser(hc1: str, tmp_path: Path) -> Iterator[webdriver.Chrome]:
    """Headless Chromium whose camera films the certificate's QR code."""
    video = tmp_path / "qr.y4m"
    write_y4m(video, qr_matrix(hc1))
    driver = chromium("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                      f"--use-file-for-fake-video-capture={video}")
    try:
        yield driver
    finally:
        driver.quit()


def test_the_camera_reads_a_certificate_and_the_page_verifies_it(
    live_app: str, browser: webdriver.Chrome, hc1: str,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    browser.get(live_app + "/portal/verify")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: d.find_elements(By.ID, VERIFY_SCAN))
    assert browser.find_element(By.ID, VERIFY_INPUT).get_attribute("value") == ""
    browser.find_element(By.ID, VERIFY_SCAN).click()
    # The reader filled the field with exactly the certificate's text and pressed Verify.
    wait.until(lambda d: d.find_element(By.ID, VERIFY_INPUT).get_attribute("value"))
    assert browser.find_element(By.ID, VERIFY_INPUT).get_attribute("value") == hc1
    status = wait.until(lambda d: d.find_element(By.ID, VERIFY_STATUS))
    assert status.get_attribute("data-status") == "valid"
    assert status.text == "Hợp lệ"
    # The camera is stopped once a code is read (no video left playing).
    assert browser.execute_script("return document.querySelectorAll('video').length") == 0
    assert console_errors() == []
    assert csp_violations() == []
