"""The public figures page on a phone (390x844), anonymously: the national doses figure is the
JSON's, and it follows a load without a reload (the page re-reads when the data version moves).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared.ids_portal import FIG_NATIONAL_DOSES
from callbacks.shared.portal_paths import FIGURES, PUBLIC_FIGURES_JSON
from data.settings import Settings
from tests.e2e.conftest import EtlRunner
from tests.e2e.test_progress_live import FACILITY, write_csv

PEOPLE = 12  # over the small-cell threshold, so the figure is shown


def _people(now: dt.datetime) -> list[dict[str, str]]:
    return [{
        "record_id": f"PF-{i}", "status": "COMPLETED", "person_id": f"0010900{i:05d}",
        "id_type": "CCCD", "full_name": f"Người {i}", "birth_date": "1990-01-01", "sex": "F",
        "phone": "", "priority_group": "0", "province_code": "01", "district_code": "001",
        "ward_code": "00001", "facility_code": FACILITY["facility_code"], "vaccine_code": "PFZ",
        "lot_number": "FK1234", "dose_kind": "PRIMARY", "dose_number": "1",
        "administered_at": now.isoformat(timespec="seconds"), "vaccinator": ""}
        for i in range(PEOPLE)]


def _doses_text(driver: webdriver.Chrome) -> str:
    try:
        return driver.find_element(By.ID, FIG_NATIONAL_DOSES).text
    except Exception:  # not rendered yet, or replaced while read (the refresh)
        return ""


def _json_doses(base: str) -> int | None:
    with urllib.request.urlopen(base + PUBLIC_FIGURES_JSON, timeout=10) as answer:
        return json.load(answer)["national"]["doses"]


def test_phone_sees_the_national_doses_of_the_json(
    live_app: str, browser: webdriver.Chrome, run_etl: EtlRunner, e2e_settings: Settings,
    tmp_path: Path,
) -> None:
    browser.set_window_size(390, 844)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    browser.get(live_app + FIGURES)  # nobody signed in
    assert "/login" not in browser.current_url
    # An empty campaign: fewer than 10 doses, so the figure is suppressed on page and in JSON.
    WebDriverWait(browser, 20).until(lambda d: _doses_text(d) == "< 10")
    assert _json_doses(live_app) is None

    run_etl("load", "facilities", str(write_csv(tmp_path / "f.csv", [FACILITY])))
    now = dt.datetime.now(ZoneInfo(e2e_settings.timezone)) - dt.timedelta(minutes=1)
    out = run_etl("load", "injections", str(write_csv(tmp_path / "i.csv", _people(now))))
    assert f"loaded {PEOPLE}" in out
    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: _doses_text(d) == str(PEOPLE))
    assert _json_doses(live_app) == PEOPLE
    # Nothing wider than the phone.
    assert browser.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth;") <= 0
