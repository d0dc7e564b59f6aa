"""The progress page follows new data live: ETL load -> KPI changes without a reload."""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from data.settings import Settings

FACILITY = {
    "facility_code": "E2E-HN-001", "name": "Trạm Y tế phường Phúc Xá", "kind": "HEALTH_STATION",
    "province_code": "01", "district_code": "001", "ward_code": "00001", "address": "Phúc Xá",
    "latitude": "21.046", "longitude": "105.847", "daily_capacity": "500", "status": "ACTIVE",
}
PEOPLE = (
    ("001090000101", "Nguyễn Văn An", "1990-01-01", "M"),
    ("001085000102", "Trần Thị Bình", "1985-05-05", "F"),
    ("001075000103", "Lê Văn Cường", "1975-03-03", "M"),
)


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def injections(now: dt.datetime) -> list[dict[str, str]]:
    """Three first doses given just now (local time, +07:00) in Hà Nội."""
    return [
        {
            "record_id": f"E2E-{i}", "status": "COMPLETED", "person_id": pid, "id_type": "CCCD",
            "full_name": name, "birth_date": born, "sex": sex, "phone": "", "priority_group": "0",
            "province_code": "01", "district_code": "001", "ward_code": "00001",
            "facility_code": FACILITY["facility_code"], "vaccine_code": "PFZ",
            "lot_number": "FK1234", "dose_kind": "PRIMARY", "dose_number": "1",
            "administered_at": now.isoformat(timespec="seconds"), "vaccinator": "",
        }
        for i, (pid, name, born, sex) in enumerate(PEOPLE, start=1)
    ]


def kpi(driver: webdriver.Chrome, component_id: str) -> str:
    return driver.find_element(By.ID, component_id).text


def map_hover(driver: webdriver.Chrome, code: str) -> list[str]:
    """The hover lines the live map holds for one province."""
    return driver.execute_script(
        "const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');"
        "const i = gd.data[0].locations.indexOf(arguments[1]);"
        "return gd.data[0].customdata[i];",
        f"#{ids.PROGRESS_MAP}", code,
    )


def test_doses_today_follow_an_etl_load_without_reload(
    live_app: str, signed_in: webdriver.Chrome, e2e_settings: Settings, tmp_path: Path,
    run_etl: Callable[..., str], console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    browser = signed_in
    run_etl("load", "facilities", str(write_csv(tmp_path / "f.csv", [FACILITY])))
    browser.get(live_app + "/")
    WebDriverWait(browser, 20).until(lambda d: kpi(d, ids.PROGRESS_KPI_TODAY) == "0")
    WebDriverWait(browser, 20).until(lambda d: map_hover(d, "01") is not None)
    assert kpi(browser, ids.PROGRESS_KPI_DOSES) == "0"
    # Marker on the page object: a reload would drop it.
    browser.execute_script("window.__noReload = true;")

    # A minute ago, so that "not in the future" holds whatever the clocks' rounding.
    now = dt.datetime.now(ZoneInfo(e2e_settings.timezone)) - dt.timedelta(minutes=1)
    out = run_etl("load", "injections",
                  str(write_csv(tmp_path / "i.csv", injections(now))))
    assert "loaded 3" in out
    loaded_at = time.monotonic()
    WebDriverWait(browser, 5, poll_frequency=0.1).until(
        lambda d: kpi(d, ids.PROGRESS_KPI_TODAY) == "3"
    )
    assert time.monotonic() - loaded_at < 5
    assert kpi(browser, ids.PROGRESS_KPI_DOSES) == "3"
    assert kpi(browser, ids.PROGRESS_KPI_DOSE1) == "3"
    assert browser.execute_script("return window.__noReload === true;")
    # The map was patched in place (values only): Hà Nội's hover now counts the doses.
    WebDriverWait(browser, 5).until(lambda d: map_hover(d, "01")[3].endswith(": 3"))
    assert console_errors() == []


def test_language_switch_persists_across_reloads(
    live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    browser = signed_in
    browser.get(live_app + "/")
    label = (By.CSS_SELECTOR, f"#{ids.PROGRESS_KPI_TODAY}")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(*label).text == "0")
    assert "Số mũi tiêm hôm nay" in browser.page_source
    browser.find_element(
        By.CSS_SELECTOR, f"#{ids.SHELL_LANG_SWITCH} input[value='en']"
    ).find_element(By.XPATH, "ancestor::label").click()
    WebDriverWait(browser, 5).until(lambda d: "Doses today" in d.page_source)
    browser.refresh()
    WebDriverWait(browser, 20).until(lambda d: "Doses today" in d.page_source)
    WebDriverWait(browser, 5).until(
        lambda d: "of the population" in d.page_source or "population not" in d.page_source
    )
    assert console_errors() == []
