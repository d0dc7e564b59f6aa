"""Screenshots of the running app per page, role, language and screen size (headless Chromium).

"Look at what you build": this signs in as one account per role (made in the database the app
runs on, with a password given here), sets the UI language, opens each page at each size and
saves `<out>/<role>-<lang>-<WxH>-<page>.png` once the page has stopped loading.

    DATABASE_URL=sqlite:///var/demo.db python -m bench.screens --make-accounts --password PW
    python -m bench.screens --url http://127.0.0.1:8050 --password PW --roles leader,province \
        --langs vi,en --sizes 1920x1080,1366x768 --pages /,/allocation --out var/shots
    python -m bench.screens ... --pages "/?wall=1" --viewport   # what a wall screen shows
    python -m bench.screens --roles public --sizes 390x844 --pages /portal/   # the portal

Without --viewport, a page taller than the screen also gives `-2.png`, `-3.png`... one per
screenful as a person scrolls it.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

CHROME_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-dev-shm-usage",
               "--hide-scrollbars")
# role name on the command line -> (username, display name, role, scope code)
ACCOUNTS: dict[str, tuple[str, str, str, str | None]] = {
    "admin": ("shot.admin", "Quản trị (ảnh chụp)", "SYSTEM_ADMIN", None),
    "leader": ("shot.leader", "Lãnh đạo Bộ (ảnh chụp)", "MINISTRY_LEADER", None),
    "province": ("shot.tinh79", "Sở Y tế TP.HCM (ảnh chụp)", "PROVINCE_OFFICER", "79"),
    "district": ("shot.huyen760", "TTYT Quận 1 (ảnh chụp)", "DISTRICT_OFFICER", "760"),
    "facility": ("shot.coso760002", "Trạm Y tế Phường Nguyễn Cư Trinh (ảnh chụp)",
                 "FACILITY_STAFF", "F760002"),
}
MAX_SCREENS = 6  # a page longer than this many screens is a finding in itself
PAGES = ("/", "/allocation", "/aefi", "/facilities", "/reports", "/admin/users", "/admin/audit")


# The anonymous visitor of the public portal (/portal/...): no account, no sign-in.
PUBLIC = "public"


def make_accounts(password: str) -> None:
    """Create the screenshot accounts in the database of DATABASE_URL (existing ones stay)."""
    from data.audit import Actor
    from data.auth.roles import Role
    from data.auth.users import AccountError, create_user
    from data.db import make_engine, unit_of_work
    from data.settings import load_settings

    engine = make_engine(load_settings())
    try:
        for username, name, role, scope in ACCOUNTS.values():
            try:
                with unit_of_work(engine) as conn:
                    create_user(conn, Actor(None, "bench.screens", "cli"), username, name,
                                password, [(Role(role), scope)], must_change_password=False)
            except AccountError as exc:
                print(f"{username}: {exc}")
    finally:
        engine.dispose()


def browser() -> webdriver.Chrome:
    """Headless Chromium from Debian's packages."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def sign_in(driver: webdriver.Chrome, url: str, username: str, password: str) -> None:
    """Through the real form, as a person does."""
    driver.delete_all_cookies()
    driver.get(url + "/login")
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "username"))
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password, Keys.ENTER)
    WebDriverWait(driver, 15).until(lambda d: "/login" not in d.current_url)


def settle(driver: webdriver.Chrome, wait_s: float) -> None:
    """Wait until Dash has no request in flight for a moment, then `wait_s` for drawing."""
    deadline = time.monotonic() + 30
    quiet_since = None
    while time.monotonic() < deadline:
        busy = driver.execute_script(
            "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length"
            " + (document.title.startsWith('Updating') ? 1 : 0);")
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.0:
            break
        time.sleep(0.2)
    time.sleep(wait_s)


def shoot(driver: webdriver.Chrome, url: str, path: str, size: tuple[int, int], lang: str,
          target: Path, viewport: bool, wait_s: float) -> None:
    """One page at one size and language, saved to `target`."""
    width, height = size
    driver.set_window_size(width, height)
    # The window's outer size includes no chrome in headless mode, but make the viewport exact.
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight];")
    driver.set_window_size(width + width - inner[0], height + height - inner[1])
    # Same origin, to set the language before the page loads (the portal keeps its own).
    driver.get(url + ("/portal/" if path.startswith("/portal") else "/login"))
    driver.execute_script(f"localStorage.setItem('shell-lang', '\"{lang}\"');")
    driver.get(url + path)
    settle(driver, wait_s)
    driver.save_screenshot(str(target))
    if viewport:
        return
    # The rest of the page screen by screen, as a person scrolls it (growing the window instead
    # would grow every chart sized by the viewport and show a page nobody sees).
    total = driver.execute_script("return document.documentElement.scrollHeight;")
    for screen in range(1, min(MAX_SCREENS, -(-total // height))):
        driver.execute_script(f"window.scrollTo(0, {screen * height});")
        time.sleep(0.4)
        driver.save_screenshot(str(target.with_name(f"{target.stem}-{screen + 1}.png")))


def main() -> None:
    """Parse the command line and take every screenshot asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--password", default="",
                        help="the accounts' password (not needed for --roles public)")
    parser.add_argument("--make-accounts", action="store_true",
                        help="create the accounts in DATABASE_URL's database and stop")
    parser.add_argument("--roles", default="leader",
                        help=",".join([*ACCOUNTS, PUBLIC]) + f" ({PUBLIC}: no sign-in, the portal)")
    parser.add_argument("--langs", default="vi,en")
    parser.add_argument("--sizes", default="1920x1080,1366x768")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--out", default="var/shots")
    parser.add_argument("--viewport", action="store_true", help="the screen only, no scrolling")
    parser.add_argument("--wait", type=float, default=1.5, help="seconds after loading ends")
    args = parser.parse_args()
    if args.make_accounts:
        make_accounts(args.password)
        return
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    driver = browser()
    try:
        for role in args.roles.split(","):
            if role == PUBLIC:
                driver.delete_all_cookies()
            else:
                sign_in(driver, args.url.rstrip("/"), ACCOUNTS[role][0], args.password)
            for lang in args.langs.split(","):
                for size_text in args.sizes.split(","):
                    w, h = (int(v) for v in size_text.lower().split("x"))
                    for page in args.pages.split(","):
                        name = re.sub(r"[^A-Za-z0-9=]+", "_", page.strip("/")) or "progress"
                        target = out / f"{role}-{lang}-{w}x{h}-{name}.png"
                        shoot(driver, args.url.rstrip("/"), page, (w, h), lang, target,
                              args.viewport, args.wait)
                        print(target)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
