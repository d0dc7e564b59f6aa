"""A serious AEFI case from the observation board to the provincial council's classification,
in a real browser, each step by the user of its role: the station's staff record a reaction
on the board (an AEFI report pre-filled with the dose), the district officer of Ba Đình
signs the investigation on /ops/aefi (his list starts on the reported cases; there is no
classification form for him), and Hà Nội's provincial officer, whose list starts on the
investigated cases, signs the WHO causality category. At the end the case is CLASSIFIED as
A1, and the report carries the contract's class A. The console stays clean throughout."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, text

from callbacks.shared import ids
from data.auth.roles import SYSTEM, Role
from data.db import make_engine
from data.ops.commands.injection import record_injection
from data.settings import Settings
from etl.pipeline import load_file
from tests.e2e.conftest import log_in
from tests.factories import FACILITY, injection, write_csv
from tests.integration.ops_setup import PASSWORD, principal

STAFF, DISTRICT, PROVINCE = "tram.phucxa", "huyen.badinh", "tinh.hanoi"
DOSE = "OBS-1"


@pytest.fixture()
def engine(e2e_settings: Settings) -> Iterator[Engine]:
    e = make_engine(e2e_settings)
    yield e
    e.dispose()


@pytest.fixture()
def dose(e2e_settings: Settings, engine: Engine, tmp_path: Path) -> str:
    """F00101 (Ba Đình, Hà Nội), a dose given there 10 minutes ago, and one account per
    step: the station's staff, Ba Đình's district officer, Hà Nội's provincial officer."""
    load_file(e2e_settings, engine, "facilities", write_csv(tmp_path / "f.csv", [FACILITY]))
    given = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).replace(microsecond=0)
    record_injection(engine, SYSTEM, injection(DOSE, person_id="001090012340",
                                               administered_at=given.isoformat()), "vi")
    principal(engine, STAFF, Role.FACILITY_STAFF, "F00101")
    principal(engine, DISTRICT, Role.DISTRICT_OFFICER, "001")
    principal(engine, PROVINCE, Role.PROVINCE_OFFICER, "01")
    return DOSE


def _choice(driver: webdriver.Chrome, field_id: str, value: str) -> WebElement:
    """The label of a radio or checkbox of `field_id` with `value` (clicked as a person does)."""
    return driver.find_element(By.CSS_SELECTOR, f"#{field_id} input[value='{value}']"
                               ).find_element(By.XPATH, "ancestor::label")


def _as(driver: webdriver.Chrome, base: str, username: str) -> None:
    driver.delete_all_cookies()
    log_in(driver, base, username, PASSWORD)


def _case(engine: Engine) -> tuple[Any, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(text("""
            SELECT r.report_id, r.severity, r.classification, c.status, c.causality,
                   c.investigated_by_name, c.classified_by_name
            FROM aefi_report r LEFT JOIN vax_aefi_case c ON c.report_id = r.report_id
            WHERE r.record_id = :d"""), {"d": DOSE}).one())


def test_a_reaction_on_the_board_is_investigated_then_classified(
    live_app: str, browser: webdriver.Chrome, dose: str, engine: Engine,
    console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    wait = WebDriverWait(browser, 20)
    # 1. The station's staff: "Reaction" on the dose's row opens the report, pre-filled.
    _as(browser, live_app, STAFF)
    browser.get(live_app + "/ops/observation")
    react = json.dumps({"record": dose, "type": ids.OPS_OBS_REACT}, separators=(",", ":"))
    wait.until(lambda d: d.find_element(By.XPATH, f"//*[@id='{react}']")).click()
    symptoms = wait.until(lambda d: d.find_element(By.ID, ids.OPS_OBS_SYMPTOMS))
    assert "AZ" in browser.find_element(By.CSS_SELECTOR, ".ops-obs-form-dose").text
    symptoms.send_keys("Khó thở, tụt huyết áp")
    _choice(browser, ids.OPS_OBS_SEVERITY, "SERIOUS").click()
    _choice(browser, ids.OPS_OBS_SERIOUSNESS, "HOSPITALISATION").click()
    browser.find_element(By.ID, ids.OPS_OBS_SUBMIT).click()
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_OBS_STATUS).text
               == "Đã ghi nhận phản ứng và mở báo cáo AEFI.")
    report_id, severity, cls, status, *_ = _case(engine)
    assert (severity, cls, status) == ("SERIOUS", None, None)  # REPORTED: no case row yet
    # The staff see the case but sign no step.
    browser.get(live_app + "/ops/aefi")
    option = f"#{ids.OPS_AEFI_LIST} input[value='{report_id}']"
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, option))
    _choice(browser, ids.OPS_AEFI_LIST, report_id).click()
    detail = browser.find_element(By.ID, ids.OPS_AEFI_DETAIL)
    wait.until(lambda _d: f"Ca {report_id}" in detail.text)
    assert browser.find_element(By.ID, ids.OPS_AEFI_STEP).text == ""
    assert console_errors() == []

    # 2. Ba Đình's district officer: the list starts on REPORTED; he signs the investigation.
    _as(browser, live_app, DISTRICT)
    browser.get(live_app + "/ops/aefi")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, option))
    assert browser.find_element(
        By.CSS_SELECTOR, f"#{ids.OPS_AEFI_FILTER} input[value='REPORTED']").is_selected()
    _choice(browser, ids.OPS_AEFI_LIST, report_id).click()
    findings = wait.until(lambda d: d.find_element(By.ID, ids.OPS_AEFI_INV_FINDINGS))
    assert not browser.find_elements(By.ID, ids.OPS_AEFI_CLS_CAUSALITY)
    findings.send_keys("Phản vệ độ II, đã xử trí theo phác đồ")
    browser.find_element(By.ID, ids.OPS_AEFI_INV_SUBMIT).click()
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_AEFI_STEP_STATUS).text
               == f"Đã ký phiếu điều tra ca {report_id}.")
    assert _case(engine)[3:6] == ("INVESTIGATED", None, DISTRICT)
    assert console_errors() == []

    # 3. Hà Nội's provincial officer (the council): the list starts on INVESTIGATED.
    _as(browser, live_app, PROVINCE)
    browser.get(live_app + "/ops/aefi")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, option))
    assert browser.find_element(
        By.CSS_SELECTOR, f"#{ids.OPS_AEFI_FILTER} input[value='INVESTIGATED']").is_selected()
    _choice(browser, ids.OPS_AEFI_LIST, report_id).click()
    wait.until(lambda d: d.find_elements(By.ID, ids.OPS_AEFI_CLS_CAUSALITY))
    assert not browser.find_elements(By.ID, ids.OPS_AEFI_INV_FINDINGS)
    _choice(browser, ids.OPS_AEFI_CLS_CAUSALITY, "A1").click()
    browser.find_element(By.ID, ids.OPS_AEFI_CLS_NOTE).send_keys("Hội đồng AEFI tỉnh kết luận")
    browser.find_element(By.ID, ids.OPS_AEFI_CLS_SUBMIT).click()
    wait.until(lambda d: d.find_element(By.ID, ids.OPS_AEFI_STEP_STATUS).text
               == f"Đã ký phân loại ca {report_id}: "
                  "A1. Phản ứng liên quan đến sản phẩm vắc xin.")
    detail = browser.find_element(By.ID, ids.OPS_AEFI_DETAIL)
    wait.until(lambda _d: "Đã phân loại" in detail.text and f"Ký bởi {PROVINCE}" in detail.text)
    assert _case(engine) == (report_id, "SERIOUS", "A", "CLASSIFIED", "A1", DISTRICT, PROVINCE)
    assert console_errors() == []
