"""An organisation's list uploaded on the registrations page in a real browser at 1366x768:
the district officer of Ba Đình picks a CSV with bad rows, the page loads the valid row and
shows the reject report line by line in Vietnamese, the report downloads as CSV with the
same lines; in English the next upload's reasons are English. The grid lists the loaded
row; the console stays clean and no CSP rule is broken.

With E2E_SHOTS=<folder> set, it also saves the page with its report in vi and in en there.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, text

from callbacks.shared import ids
from data.auth.roles import Role
from data.db import make_engine
from data.interchange.messages import message
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.integration.ops_setup import PASSWORD, principal, registration, seed_places

OFFICER = "huyen.badinh"
HEADER = ("registration_id,person_id,id_type,full_name,birth_date,sex,phone,priority_group,"
          "province_code,district_code,ward_code,address,organisation,registered_at")
ROWS = [
    "ORG-1,001090099999,CCCD,Đỗ Văn Em,1990-05-06,M,0912000000,7,01,001,,,Điện lực Ba Đình,"
    "2021-07-10T08:00:00+07:00",
    "ORG-2,001090099998,CCCD,Hà Thị Gấm,1990-05-06,F,12345,7,01,001,,,Điện lực Ba Đình,"
    "2021-07-10T08:00:00+07:00",
    "ORG-3,001090099997,CCCD,Vũ Văn Hải,1990-05-06,M,0912000001,7,01,002,,,Điện lực Ba Đình,"
    "2021-07-10T08:00:00+07:00",
    "ORG-4,001090099996,CCCD,Lý Văn Khoa,31/02/1990,M,0912000002,7,01,001,,,Điện lực Ba Đình,"
    "2021-07-10T08:00:00+07:00",
]


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def officer(engine: Engine) -> str:
    seed_places(engine)
    registration(engine, "R1")
    principal(engine, OFFICER, Role.DISTRICT_OFFICER, "001")
    return OFFICER


def _shot(driver: webdriver.Chrome, name: str) -> None:
    folder = os.environ.get("E2E_SHOTS")
    if not folder:
        return
    driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()",
                          ids.OPS_REG_UPLOAD)
    driver.execute_script("window.scrollBy(0, -160)")  # below the sticky bar
    Path(folder).mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(Path(folder) / name))


def _report(driver: webdriver.Chrome) -> list[list[str]]:
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, f"#{ids.OPS_REG_REJECTS} tbody tr")]


def _pick(driver: webdriver.Chrome, path: Path) -> None:
    driver.find_element(By.CSS_SELECTOR, f"#{ids.OPS_REG_UPLOAD} input[type=file]"
                        ).send_keys(str(path))


def test_an_organisation_list_with_bad_rows_shows_and_downloads_its_report(
    live_app: str, browser: webdriver.Chrome, officer: str, engine: Engine, tmp_path: Path,
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(folder)})
    log_in(browser, live_app, officer, PASSWORD)
    browser.get(live_app + "/ops/registrations")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_REG_COUNT).text == "1 đăng ký.")
    upload = tmp_path / "cong-ty-dien-luc.csv"
    upload.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    _pick(browser, upload)
    status = browser.find_element(By.ID, ids.OPS_REG_UPLOAD_STATUS)
    wait.until(lambda _d: "lỗi 3" in status.text)
    assert status.text == ("cong-ty-dien-luc.csv: đọc 4 dòng, nạp mới 1, cập nhật 0, "
                           "không đổi 0, lỗi 3.")
    assert _report(browser) == [
        ["3", "phone", "12345", message("bad_phone", "vi")],
        ["4", "district_code", "002", message("outside_scope", "vi")],
        ["5", "birth_date", "31/02/1990", message("bad_date", "vi")],
    ]
    # The grid asks again: the loaded row is listed.
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_REG_COUNT).text == "2 đăng ký.")
    wait.until(lambda d: "Đỗ Văn Em" in d.find_element(By.ID, ids.OPS_REG_GRID).text)
    _shot(browser, "registrations-upload-vi.png")
    browser.find_element(By.ID, ids.OPS_REG_REJECTS_DOWNLOAD).click()
    wait.until(lambda _d: [p for p in folder.iterdir() if p.suffix == ".csv"])
    saved = next(p for p in folder.iterdir() if p.suffix == ".csv")
    assert saved.name == "cong-ty-dien-luc.csv.rejects.csv"
    with saved.open(encoding="utf-8-sig", newline="") as fh:
        lines = [[r["line"], r["field"], r["value"], r["reason"]] for r in csv.DictReader(fh)]
    assert lines == _report(browser)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT registration_id FROM registration WHERE "
                                 "registration_id LIKE 'ORG-%'")).scalars().all() == ["ORG-1"]
    assert console_errors() == []
    assert csp_violations() == []
    # English: the same file again; ORG-1 is now unchanged, the reasons are English.
    browser.find_element(By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='en']"
                         ).find_element(By.XPATH, "ancestor::label").click()
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_REG_COUNT).text == "2 registrations.")
    # The grid is rebuilt in English (its own texts too) and asks the server again.
    wait.until(lambda d: "Đỗ Văn Em" in d.find_element(By.ID, ids.OPS_REG_GRID).text
               and "ID document" in d.find_element(By.ID, ids.OPS_REG_GRID).text)
    again = tmp_path / "again" / "cong-ty-dien-luc.csv"
    again.parent.mkdir()
    again.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    _pick(browser, again)
    wait.until(lambda _d: "unchanged 1" in status.text)
    assert _report(browser)[0] == ["3", "phone", "12345", message("bad_phone", "en")]
    _shot(browser, "registrations-upload-en.png")
    assert console_errors() == []
    assert csp_violations() == []
