"""The portal's shell callbacks: the page for the URL, the language switch, the labels."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx
from dash.development.base_component import Component

from callbacks.portal.routes import ROUTES
from callbacks.shared import ids
from callbacks.shared.i18n import t
from callbacks.shared.ids_portal import PORTAL_LINK, PORTAL_PAGE, PORTAL_URL
from callbacks.shared.portal_paths import PORTAL_PREFIX
from callbacks.shared.shell import sync_lang, translate
from data.services import Services
from pages.portal import not_found

# A path longer than any page's is not one (and is not worth normalising).
MAX_PATH = 200


def normal_path(pathname: Any) -> str:
    """`pathname` as the routes spell it ("/portal/" for the front page, no trailing slash)."""
    path = pathname if isinstance(pathname, str) and len(pathname) <= MAX_PATH else ""
    if path == PORTAL_PREFIX.rstrip("/"):
        return PORTAL_PREFIX
    return path.rstrip("/") if len(path) > len(PORTAL_PREFIX) else path


def link_classes(pathname: Any, links: list[dict[str, str]]) -> list[str]:
    """The header's service links, the current page's marked."""
    path = normal_path(pathname)
    return ["portal-link portal-link-current" if link.get("path") == path else "portal-link"
            for link in links]


def page_for(pathname: Any, lang: str | None) -> list[Component]:
    """The layout of the page at `pathname`, its labels already in `lang` (not found else)."""
    build = ROUTES.get(normal_path(pathname), not_found.layout)
    layout = build()
    _translate_tree(layout, lang)
    return [layout]


def _translate_tree(node: Any, lang: str | None) -> None:
    # Labels are built in Vietnamese; a page opened in English must not flash Vietnamese
    # until the label callback runs, so they are set here in the page's language.
    if isinstance(node, (list, tuple)):
        for child in node:
            _translate_tree(child, lang)
        return
    if not isinstance(node, Component):
        return
    ident = getattr(node, "id", None)
    if isinstance(ident, dict) and ident.get("type") == ids.I18N:
        node.children = t(ident["key"], lang)
        return
    _translate_tree(getattr(node, "children", None), lang)


def register(app: dash.Dash, services: Services) -> None:
    """Attach the portal's shell callbacks to the portal app."""

    @app.callback(
        Output(PORTAL_PAGE, "children"),
        Input(PORTAL_URL, "pathname"),
        State(ids.SHELL_LANG, "data"),
    )
    def _route(pathname: Any, lang: Any) -> list[Component]:
        return page_for(pathname, lang if isinstance(lang, str) else None)

    @app.callback(
        Output({"type": PORTAL_LINK, "path": ALL}, "className"),
        Input(PORTAL_URL, "pathname"),
        State({"type": PORTAL_LINK, "path": ALL}, "id"),
    )
    def _current(pathname: Any, links: list[dict[str, str]]) -> list[str]:
        return link_classes(pathname, links)

    @app.callback(
        Output(ids.SHELL_LANG, "data"),
        Output(ids.SHELL_LANG_SWITCH, "value"),
        Input(ids.SHELL_LANG_SWITCH, "value"),
        Input(ids.SHELL_LANG, "data"),
    )
    def _lang(switch: Any, stored: Any) -> tuple[Any, Any]:
        switch = switch if isinstance(switch, str) else None
        stored = stored if isinstance(stored, str) else None
        return sync_lang(ctx.triggered_id, switch, stored, services.settings.default_lang)

    @app.callback(
        Output({"type": ids.I18N, "key": ALL, "at": ALL}, "children"),
        Input(ids.SHELL_LANG, "data"),
        State({"type": ids.I18N, "key": ALL, "at": ALL}, "id"),
    )
    def _translate(lang: Any, label_ids: list[dict[str, str]]) -> list[str]:
        return translate(lang if isinstance(lang, str) else None, label_ids)
