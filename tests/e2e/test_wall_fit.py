"""Every wall view of every page fits a 1920x1080 screen in Chromium: nothing scrolls, every
KPI number fits its card, the maps and tables follow the dark theme, the tables show no
pager or filter icons."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from callbacks.mcc import wall
from data.audit import Actor
from data.auth.roles import Role
from data.auth.users import create_user
from data.db import make_engine, unit_of_work
from data.settings import Settings
from tests.e2e.conftest import log_in
from tests.integration.test_mcc_campaign import load_campaign

WIDTH, HEIGHT = 1920, 1080
PAGES = ("/", "/allocation", "/aefi", "/facilities?province=01&as_of=2021-08-20",
         "/reports?as_of=2021-08-20")
# True once the view on screen has its content: every shown chart drawn, every shown KPI row
# filled, every shown table filled (or saying it has no rows) and no callback pending.
SETTLED = """
const shown = (e) => e.offsetParent !== null;
if (document.querySelector('[data-dash-is-loading="true"]')) return false;
const plots = [...document.querySelectorAll('.page .js-plotly-plot')].filter(shown);
if (plots.some((gd) => !(gd._fullLayout && gd.data && gd.data.length))) return false;
const rows = [...document.querySelectorAll('.page .kpi-row')].filter(shown);
const grids = [...document.querySelectorAll('.page .mcc-grid')].filter(shown);
if (grids.some((g) => !g.querySelector('.ag-row, .ag-overlay-no-rows-wrapper'))) return false;
// Every map of the page, shown or in another view, has its style: leaving the page while
// maplibre still loads one makes plotly.js read a style that is gone (a console error).
const maps = [...document.querySelectorAll('.page .js-plotly-plot')]
    .filter((gd) => gd._fullLayout && gd._fullLayout.map);
if (maps.some((gd) => !(gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map
                        && gd._fullLayout.map._subplot.map.isStyleLoaded()))) return false;
return plots.length + rows.length + grids.length > 0
       && rows.every((r) => r.children.length > 0);
"""
# What overflows (the document, a part of the page beyond the screen, a KPI beyond its card),
# and how much of the screen the view uses.
MEASURE = """
const shown = (e) => e.offsetParent !== null;
const doc = document.documentElement;
const parts = [...document.querySelectorAll('.page .panel, .page .kpi-card')].filter(shown);
return {
  scrollHeight: doc.scrollHeight, scrollWidth: doc.scrollWidth,
  innerHeight: window.innerHeight, innerWidth: window.innerWidth,
  parts: parts.length,
  bottom: Math.max(...parts.map((p) => p.getBoundingClientRect().bottom)),
  smallest: Math.min(...[...document.querySelectorAll('.page .js-plotly-plot, .page .mcc-grid')]
          .filter(shown).map((g) => g.getBoundingClientRect().height)),
  outside: parts.filter((p) => p.getBoundingClientRect().bottom > window.innerHeight + 0.5
                            || p.getBoundingClientRect().right > window.innerWidth + 0.5)
                .map((p) => p.className),
  kpis: [...document.querySelectorAll('.page .kpi-value')].filter(shown)
          .map((k) => [k.textContent, k.scrollWidth, k.clientWidth]),
  // Parts of other views are hidden, parts of this one not (but for the districts of a
  // province, hidden while no province is chosen).
  wrongView: [...document.querySelectorAll('.page [data-wall]')]
          .filter((p) => (getComputedStyle(p).display !== 'none')
                         !== p.dataset.wall.split(' ').includes(arguments[0]))
          .filter((p) => !p.classList.contains('panel-districts'))
          .map((p) => p.className),
  // A table wider than its box would have its right-hand columns cut off (no scrolling).
  gridsCut: [...document.querySelectorAll('.page .mcc-grid .ag-center-cols-viewport')]
          .filter(shown).filter((v) => v.scrollWidth > v.clientWidth + 1)
          .map((v) => v.closest('.mcc-grid').id),
  gridTools: [...document.querySelectorAll(
          '.mcc-grid .ag-paging-panel, .mcc-grid .ag-header-cell-filter-button')]
          .filter(shown).length,
};
"""
BACKGROUND = "return getComputedStyle(arguments[0]).backgroundColor;"


@pytest.fixture()
def campaign(e2e_settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(e2e_settings)
    try:
        load_campaign(e2e_settings, engine, tmp_path)
    finally:
        engine.dispose()


def screen_1920x1080(driver: webdriver.Chrome) -> None:
    """Size the window so that the page's viewport is exactly 1920x1080."""
    driver.set_window_size(WIDTH, HEIGHT)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight];")
    driver.set_window_size(2 * WIDTH - inner[0], 2 * HEIGHT - inner[1])
    assert driver.execute_script("return [window.innerWidth, window.innerHeight];") == [
        WIDTH, HEIGHT]


def channels(rgb: str) -> list[int]:
    """'rgb(13, 22, 32)' or 'rgba(...)' -> [13, 22, 32]."""
    return [int(float(c)) for c in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3]]


def open_view(driver: webdriver.Chrome, base: str, page: str, view: int) -> None:
    sep = "&" if "?" in page else "?"
    driver.get(f"{base}{page}{sep}wall=1&rotate=3600&view={view}")
    wait = WebDriverWait(driver, 30, poll_frequency=0.2)
    wait.until(lambda d: f"wall-view-{view}" in (d.execute_script(
        "const e = document.getElementById('shell-root'); return e ? e.className : '';")))
    wait.until(lambda d: d.execute_script(SETTLED), f"{page} view {view} never settled")
    # Plotly and AG Grid lay out again a frame after their data: measure once that is done.
    driver.execute_script("return new Promise((r) => setTimeout(r, 800));")


def assert_fits(driver: webdriver.Chrome, where: str, view: int) -> str:
    """The view on screen fits the screen and uses it; returns `where`."""
    m: dict[str, Any] = driver.execute_script(MEASURE, str(view))
    assert m["innerHeight"] == HEIGHT and m["innerWidth"] == WIDTH, where
    assert m["scrollHeight"] <= m["innerHeight"], (where, m)
    assert m["scrollWidth"] <= m["innerWidth"], (where, m)
    assert m["parts"] > 0 and m["outside"] == [], (where, m)
    # ... and uses it: the panels reach the bottom, no chart or table is squashed.
    assert m["bottom"] > 0.95 * HEIGHT and m["smallest"] >= 160, (where, m)
    assert m["wrongView"] == [], (where, m)
    assert m["gridTools"] == 0 and m["gridsCut"] == [], (where, m)
    for text, scroll_width, client_width in m["kpis"]:
        assert scroll_width <= client_width, (where, text, scroll_width, client_width)
    return where


def test_every_wall_view_fits_the_screen(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,
    console_errors: Callable[[], list[dict[str, Any]]],
) -> None:
    browser = signed_in
    screen_1920x1080(browser)
    checked = []
    for page in PAGES:
        path = page.split("?")[0]
        for view in range(1, wall.view_count(path) + 1):
            open_view(browser, live_app, page, view)
            checked.append(assert_fits(browser, f"{page} view {view}", view))
    assert len(checked) == sum(wall.view_count(p.split("?")[0]) for p in PAGES)
    assert console_errors() == []


def test_kpi_numbers_of_any_width_fit_their_cards(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,
) -> None:
    browser = signed_in
    screen_1920x1080(browser)
    open_view(browser, live_app, "/", 1)
    fits = ("const k = document.getElementById(arguments[0]);"
            "return [k.scrollWidth, k.clientWidth, parseFloat(getComputedStyle(k).fontSize)];")
    _, _, full_size = browser.execute_script(fits, "progress-kpi-doses")
    wait = WebDriverWait(browser, 5, poll_frequency=0.1)
    # Far wider than the card at the wall's size: set in a smaller font until it fits.
    browser.execute_script("document.getElementById(arguments[0]).textContent = arguments[1];",
                           "progress-kpi-doses", "1.234.567.890.123")
    wait.until(lambda d: d.execute_script(fits, "progress-kpi-doses")[2] < full_size)
    scroll_width, client_width, size = browser.execute_script(fits, "progress-kpi-doses")
    assert scroll_width <= client_width and size >= 20
    # A short value again: back to the full size.
    browser.execute_script("document.getElementById(arguments[0]).textContent = '100,5%';",
                           "progress-kpi-doses")
    wait.until(lambda d: d.execute_script(fits, "progress-kpi-doses")[2] == full_size)


def test_maps_and_tables_are_dark_on_the_wall(
    campaign: None, live_app: str, signed_in: webdriver.Chrome,
) -> None:
    browser = signed_in
    screen_1920x1080(browser)
    for page in ("/", "/allocation"):
        open_view(browser, live_app, page, 1)
        box = browser.find_element("css selector", ".graph-map")
        assert max(channels(browser.execute_script(BACKGROUND, box))) < 60, page
        # The sea is the box's colour: the map's own background is transparent.
        layers = browser.execute_script(
            "return document.querySelector('.graph-map .js-plotly-plot')"
            "._fullLayout.map.style.layers;")
        assert layers[0]["paint"]["background-color"] == "rgba(0,0,0,0)"
        legend_box = browser.execute_script(
            "return getComputedStyle(document.querySelector('.graph-map .cbbg')).fill;")
        assert max(channels(legend_box)) < 60, page
        legend_text = browser.execute_script(
            "return getComputedStyle(document.querySelector('.graph-map .colorbar text')).fill;")
        assert min(channels(legend_text)) > 180, page
    open_view(browser, live_app, "/reports?as_of=2021-08-20", 1)
    cell = browser.find_element("css selector", ".mcc-grid .ag-row .ag-cell")
    assert max(channels(browser.execute_script(BACKGROUND, browser.find_element(
        "css selector", ".mcc-grid .ag-root-wrapper")))) < 60
    assert min(channels(browser.execute_script("return getComputedStyle(arguments[0]).color;",
                                               cell))) > 180


def test_a_province_officers_wall_shows_the_districts_and_fits(
    campaign: None, live_app: str, browser: webdriver.Chrome, e2e_settings: Settings,
) -> None:
    password = "e2e-" + os.urandom(9).hex()
    engine = make_engine(e2e_settings)
    try:
        with unit_of_work(engine) as conn:
            create_user(conn, Actor(None, "e2e-fixture", "test"), "e2e.tinh79", "Cán bộ tỉnh",
                        password, [(Role.PROVINCE_OFFICER, "79")], must_change_password=False)
    finally:
        engine.dispose()
    log_in(browser, live_app, "e2e.tinh79", password)
    screen_1920x1080(browser)
    open_view(browser, live_app, "/", 3)
    # Their own province's districts beside the ranking and the target, all on one screen.
    WebDriverWait(browser, 20, poll_frequency=0.2).until(lambda d: d.execute_script(
        "const p = document.querySelector('.panel-districts');"
        "return p && getComputedStyle(p).display !== 'none' && !!p.querySelector('.trace');"))
    assert_fits(browser, "/ view 3, province officer", 3)
