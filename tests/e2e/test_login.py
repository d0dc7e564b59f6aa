"""Signing in and out in a real browser: the form, the dashboard behind it, a clean console."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.shared import ids
from tests.e2e.conftest import E2E_DISPLAY_NAME, log_in


def test_sign_in_dashboard_and_sign_out(
    live_app: str, browser: webdriver.Chrome, e2e_user: tuple[str, str],
    console_errors: Callable[[], list[dict[str, Any]]], csp_violations: Callable[[], list[str]],
) -> None:
    # Anonymous: the dashboard sends the browser to the sign-in form, in Vietnamese.
    browser.get(live_app + "/")
    WebDriverWait(browser, 10).until(lambda d: "/login" in d.current_url)
    assert "Đăng nhập" in browser.title
    assert browser.find_element(By.CSS_SELECTOR, "label[for=username]").text == "Tên đăng nhập"
    assert csp_violations() == []

    # A wrong password: the error sits beside the password field, which gets the focus.
    username, password = e2e_user
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys("not-the-password-1", Keys.ENTER)
    error = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "password-error"))
    assert error.text.startswith("Sai tên đăng nhập hoặc mật khẩu.")
    WebDriverWait(browser, 5).until(
        lambda d: d.switch_to.active_element.get_attribute("id") == "password")
    assert browser.find_element(By.ID, "username").get_attribute("value") == username

    # The right one, typed and submitted with Enter, lands on the progress page.
    log_in(browser, live_app, username, password)
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, ids.PROGRESS_KPI_TODAY)
                                     .text == "0")
    assert browser.find_element(By.ID, ids.PROGRESS_KPI_DOSES).text == "0"
    assert browser.find_element(By.ID, ids.SHELL_USER).text == E2E_DISPLAY_NAME
    # The map drew (MapLibre runs under the CSP: blob: worker, data:/blob: images).
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return !!(gd && gd.data && gd.data.length && gd.querySelector('canvas'));",
        ids.PROGRESS_MAP))
    # Callbacks carry the CSRF cookie as X-CSRFToken: a second round still succeeds.
    browser.execute_script("window.__noReload = true;")
    browser.find_element(
        By.CSS_SELECTOR, f"#{ids.PROGRESS_MAP_METRIC} input[value='pct_fully']"
    ).find_element(By.XPATH, "ancestor::label").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
        "return gd.data[0].colorbar.title.text;", ids.PROGRESS_MAP).startswith("Tiêm đủ liều"))
    assert console_errors() == []
    assert csp_violations() == []

    # Sign out: back on the form; the dashboard is closed again.
    browser.find_element(By.ID, ids.SHELL_LOGOUT).click()
    WebDriverWait(browser, 10).until(lambda d: "/login" in d.current_url)
    assert "Bạn đã đăng xuất." in browser.page_source
    browser.get(live_app + "/")
    WebDriverWait(browser, 10).until(lambda d: "/login" in d.current_url)
    assert console_errors() == []
    assert csp_violations() == []


def test_sign_in_page_in_english(
    live_app: str, browser: webdriver.Chrome, e2e_user: tuple[str, str],
    console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    browser.get(live_app + "/login")
    browser.find_element(By.CSS_SELECTOR, "a[lang=en]").click()
    WebDriverWait(browser, 10).until(lambda d: "lang=en" in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "label[for=password]").text == "Password"
    browser.find_element(By.ID, "password").send_keys("x", Keys.ENTER)
    error = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "username-error"))
    assert error.text == "Please fill in this field"
    assert console_errors() == []
