"""An administrator creates an account through the form in a real browser."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import make_engine, unit_of_work
from data.settings import Settings
from tests.e2e.conftest import log_in

ADMIN = ("quan.tri", "Quan-tri-2021-e2e")


@pytest.fixture()
def e2e_admin(e2e_settings: Settings) -> tuple[str, str]:
    """A system administrator who needs no password change: (username, password)."""
    engine = make_engine(e2e_settings)
    try:
        with unit_of_work(engine) as conn:
            create_user(conn, Actor(None, "e2e-fixture", "test"), ADMIN[0], "Quản trị viên",
                        ADMIN[1], [(Role.SYSTEM_ADMIN, None)], must_change_password=False)
    finally:
        engine.dispose()
    return ADMIN


def _text(driver: webdriver.Chrome, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def test_admin_creates_a_user_with_errors_beside_the_field(
    live_app: str, browser: webdriver.Chrome, e2e_admin: tuple[str, str],
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    log_in(browser, live_app, *e2e_admin)
    # The navbar offers the administrators' pages to an administrator.
    link = WebDriverWait(browser, 20).until(lambda d: d.find_element(
        By.CSS_SELECTOR, f"#{ids.SHELL_ADMIN_NAV} a[href='/admin/users']"))
    link.click()
    WebDriverWait(browser, 20).until(lambda d: ADMIN[0] in _text(d, ids.ADMIN_USERS_TABLE))
    assert not browser.find_elements(By.ID, ids.ADMIN_DENIED)

    # Fill in the form by keyboard; the label names each field.
    label = browser.find_element(By.CSS_SELECTOR, f"label[for={ids.ADMIN_CREATE_USERNAME}]")
    assert label.text == "Tên đăng nhập"
    browser.find_element(By.ID, ids.ADMIN_CREATE_USERNAME).send_keys("can.bo.tinh79")
    browser.find_element(By.ID, ids.ADMIN_CREATE_NAME).send_keys("Trần Văn Tỉnh")
    browser.find_element(By.ID, ids.ADMIN_CREATE_PASSWORD).send_keys("ngan-1")
    browser.find_element(
        By.CSS_SELECTOR, f"#{ids.ADMIN_CREATE_ROLE} input[value='PROVINCE_OFFICER']").click()
    browser.find_element(By.ID, ids.ADMIN_CREATE_SCOPE).send_keys("79", Keys.ENTER)

    # A weak password: the error sits right under the password field, nothing else is red.
    error_id = ids.field_error(ids.ADMIN_CREATE_PASSWORD)
    WebDriverWait(browser, 10).until(lambda d: _text(d, error_id) != "")
    assert _text(browser, error_id) == "Mật khẩu cần ít nhất 12 ký tự"
    field = browser.find_element(By.ID, ids.ADMIN_CREATE_PASSWORD)
    error = browser.find_element(By.ID, error_id)
    box = "ancestor::div[contains(@class, 'form-field')][1]"
    assert field.find_element(By.XPATH, box) == error.find_element(By.XPATH, box)
    assert _text(browser, ids.field_error(ids.ADMIN_CREATE_USERNAME)) == ""
    assert "can.bo.tinh79" not in _text(browser, ids.ADMIN_USERS_TABLE)

    # A good password, submitted with Enter: created, listed, the error gone.
    field.clear()
    field.send_keys("Tam-thoi-2021", Keys.ENTER)
    WebDriverWait(browser, 10).until(
        lambda d: _text(d, ids.ADMIN_CREATE_STATUS).startswith("Đã tạo tài khoản can.bo.tinh79"))
    WebDriverWait(browser, 10).until(
        lambda d: "can.bo.tinh79" in _text(d, ids.ADMIN_USERS_TABLE))
    assert "Cán bộ tỉnh · Hồ Chí Minh (79)" in _text(browser, ids.ADMIN_USERS_TABLE)
    assert _text(browser, error_id) == ""
    assert field.get_attribute("value") == ""
    assert console_errors() == []
    assert csp_violations() == []

    # The audit page shows the creation first, in words, on the first page of a paged grid.
    browser.find_element(By.CSS_SELECTOR,
                         f"#{ids.SHELL_ADMIN_NAV} a[href='/admin/audit']").click()
    WebDriverWait(browser, 20).until(lambda d: "can.bo.tinh79" in _text(d, ids.ADMIN_AUDIT_RESULTS))
    first = browser.find_element(By.CSS_SELECTOR,
                                 f"#{ids.ADMIN_AUDIT_RESULTS} .ag-center-cols-container "
                                 ".ag-row[row-index='0']")
    assert "Tạo tài khoản" in first.text and "Vai trò: Cán bộ tỉnh · Hồ Chí Minh (79)" in first.text
    assert "CREATE" not in first.text and "{" not in first.text
    assert browser.find_elements(By.CSS_SELECTOR, f"#{ids.ADMIN_AUDIT_RESULTS} .ag-paging-panel")
    assert console_errors() == []
    assert csp_violations() == []


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
def test_non_admin_sees_the_refusal_alone_and_a_clean_console(
    live_app: str, signed_in: webdriver.Chrome, path: str,
    console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    browser = signed_in  # a ministry leader
    browser.get(live_app + path)
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, ids.ADMIN_DENIED))
    assert _text(browser, ids.ADMIN_DENIED) == "Bạn không có quyền truy cập trang này."
    for form in (ids.ADMIN_CREATE_USERNAME, ids.ADMIN_USERS_TABLE, ids.ADMIN_AUDIT_RESULTS,
                 ids.ADMIN_AUDIT_USER):
        assert not browser.find_elements(By.ID, form)
    # Let the page's remaining callbacks (navbar, language, live refresh) run: none is refused.
    time.sleep(2)
    assert console_errors() == []
