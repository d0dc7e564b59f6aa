"""Entry point: the app factory, the WSGI factory and `python app.py`."""

from __future__ import annotations

import contextvars
import logging
import os
from pathlib import Path

import dash
from dash import _get_app, dcc, html
from flask import Flask

import callbacks
import callbacks.api
import callbacks.portal
from callbacks.shared import ids, security
from callbacks.shared.grid_locale import grid_texts
from callbacks.shared.portal_paths import PORTAL_PREFIX
from data.db import make_engine
from data.migrate import upgrade
from data.services import Services, build_services
from data.settings import Settings, load_settings
from pages._components.navbar import navbar
from pages.portal.shell import portal_layout

HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE / "pages"
ASSETS_DIR = HERE / "assets"
# assets/ folders Dash does not add to every page: served only when a page asks (the QR
# reader of /portal/verify is 370 KB, loaded by assets/portal_verify.js when the camera starts).
ASSETS_ON_DEMAND = ["^vendor$"]
# The portal's pages load only the portal's own scripts: the staff scripts (grids, the
# session-expiry redirect to the staff sign-in, the desks' keyboard helpers) have no use there.
PORTAL_ASSETS_IGNORE = r"^(?!portal).*\.js$"


def shell_layout(
    settings: Settings, display_name: str | None = None, csrf_token: str | None = None
) -> html.Div:
    """The frame around every page: top bar, page container, the timer and shared stores."""
    return html.Div(
        [
            navbar(display_name, csrf_token),
            # The pages of the operations area the user is in (callbacks.ops.nav).
            html.Nav(id=ids.SHELL_OPS_TABS, className="ops-tabs"),
            dash.page_container,
            # The one live-refresh timer; pages listen to the version store, not to it.
            dcc.Interval(id=ids.SHELL_REFRESH, interval=settings.refresh_ms),
            dcc.Store(id=ids.SHELL_VERSION, storage_type="memory"),
            dcc.Store(id=ids.SHELL_LANG, storage_type="local"),
            dcc.Store(id=ids.SHELL_GRID_TEXT, data=grid_texts()),
            # Wall-screen mode (callbacks.mcc.wall): ?wall=1&rotate=60 read from the URL, kept for
            # the tab's session; its timer moves to the next view or page.
            dcc.Location(id=ids.SHELL_URL, refresh="callback-nav"),
            dcc.Store(id=ids.SHELL_WALL, storage_type="session"),
            # Which view of the page a wall shows ({"path", "view"}; callbacks.mcc.wall).
            dcc.Store(id=ids.SHELL_WALL_VIEW, storage_type="memory"),
            dcc.Interval(id=ids.SHELL_WALL_TIMER, interval=60_000, disabled=True),
        ],
        id=ids.SHELL_ROOT,
        className="shell",
    )


def create_app(settings: Settings | None = None) -> dash.Dash:
    """Build the Flask server and the Dash app, bind the services, register the callbacks.

    Every route but the sign-in page, static files, /healthz and the public portal (/portal/)
    needs a signed-in user (callbacks.shared.security); the JSON API under /api/v1 a bearer
    token (callbacks.api).
    """
    return contextvars.copy_context().run(_build_app, settings or load_settings())


def _build_app(settings: Settings) -> dash.Dash:
    # Dash's layout and dependency views leave their app in a context variable of the thread
    # that served them, and dash.get_app() prefers it to the newest app: this app's pages would
    # register their redirects on an app that already served requests (tests do that). Forget
    # it for this build (a copied context, so the caller's is untouched).
    _get_app.app_context.set(None)
    server = Flask(__name__)
    security.configure_server(server, settings)
    services = build_services(settings, server)
    server.extensions["vx_services"] = services
    # No external stylesheets: the machine may have no internet; assets/ holds all the CSS.
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        # Vendored browser libraries (the QR reader) load on demand, not on every page.
        assets_path_ignore=ASSETS_ON_DEMAND,
        suppress_callback_exceptions=True,
        serve_locally=True,
        title="Tiêm chủng COVID-19 · COVID-19 vaccination",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # A function: the navbar names the signed-in user of each visit.
    app.layout = lambda: shell_layout(settings, *security.navbar_identity())
    callbacks.register_all(app, services)
    portal = _build_portal(server, settings, services)
    security.init_app(app, services, portal)
    callbacks.api.init_app(app)
    return app


def _build_portal(server: Flask, settings: Settings, services: Services) -> dash.Dash:
    """The public portal: its own Dash app on the same server, at /portal/.

    Its own callback graph is the security boundary: an anonymous visitor can call the
    portal's callbacks (the gate lets /portal/ through without a session) and no staff one.
    """
    portal = dash.Dash(
        __name__,
        server=server,
        url_base_pathname=PORTAL_PREFIX,
        assets_folder=str(ASSETS_DIR),
        # Vendored browser libraries (the QR reader) load on demand, not on every page.
        assets_path_ignore=ASSETS_ON_DEMAND,
        assets_ignore=PORTAL_ASSETS_IGNORE,
        suppress_callback_exceptions=True,
        serve_locally=True,
        title="Cổng tiêm chủng COVID-19 · COVID-19 vaccination portal",
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    portal.layout = lambda: portal_layout(settings.refresh_ms)
    callbacks.portal.register_all(portal, services)
    server.extensions["vx_portal"] = portal
    return portal


def wsgi() -> Flask:
    """WSGI application for gunicorn: `gunicorn 'app:wsgi()'`."""
    return create_app().server


def main() -> None:
    """Migrate the database, then serve the app (`python app.py`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = load_settings()
    engine = make_engine(settings)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    app = create_app(settings)
    if os.environ.get("VX_SIMULATE"):
        from etl.simulate import start_in_background

        start_in_background(settings, float(os.environ["VX_SIMULATE"]))
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT") or 8050),
        debug=False,
    )


if __name__ == "__main__":
    main()
