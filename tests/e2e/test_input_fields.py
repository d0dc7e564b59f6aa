"""Every text and number field shows its whole line: Dash 4 wraps each dcc.Input in a
fixed-height box that our field classes pad, which once left the input 4-18 px high and cut
the marks above Vietnamese letters ("Nguyễn" read "Nguyên"). A focused field shows an outline.
"""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.conftest import log_in

# id, font size, height of the input's content box, whether the page shows a focus outline.
MEASURE = """
return Array.from(document.querySelectorAll('.dash-input-element'))
  .filter(e => e.offsetParent && e.type !== 'hidden')
  .map(e => { const cs = getComputedStyle(e);
    return [e.id, parseFloat(cs.fontSize),
            e.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)]; });
"""
PORTAL_PAGES = ("/portal/certificate", "/portal/register", "/portal/verify",
                "/portal/facility", "/portal/self-report")


def _fields(driver: webdriver.Chrome, url: str,
            ready: str = ".dash-input-element") -> list[list[object]]:
    """The page's fields once `ready` (a CSS selector) is on it: the page's own field, not only
    the shell's, which a busy machine draws first."""
    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready))
    return list(driver.execute_script(MEASURE))


def test_every_field_is_tall_enough_for_a_line_of_vietnamese(
    live_app: str, browser: webdriver.Chrome, e2e_user: tuple[str, str]
) -> None:
    browser.set_window_size(1366, 768)
    seen = {}
    for page in PORTAL_PAGES:
        seen |= {f"{page} {i}": (size, content) for i, size, content in _fields(
            browser, live_app + page)}
    log_in(browser, live_app, *e2e_user)
    seen |= {f"/ {i}": (size, content) for i, size, content in _fields(
        browser, live_app, '.dash-input-element[id^="progress-target"]')}
    assert len(seen) >= 15 and any(k.startswith("/ progress-target") for k in seen)
    # A line of text needs about 1.2 em (DejaVu Sans: 1.16); marks stacked on a capital more.
    short = {k: v for k, v in seen.items() if v[1] < 1.3 * v[0]}
    assert short == {}


def test_a_focused_field_is_outlined(live_app: str, browser: webdriver.Chrome) -> None:
    browser.get(live_app + "/portal/register")
    field = WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".form-input .dash-input-element"))
    box = field.find_element(By.XPATH, "..")
    assert box.value_of_css_property("outline-style") == "none"
    field.click()
    assert box.value_of_css_property("outline-style") == "solid"
    assert box.value_of_css_property("outline-width") == "2px"
