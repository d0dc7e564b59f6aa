"""Wall-screen mode: `?wall=1&rotate=60` in any page's URL turns the tab into a wall screen.

Large KPIs, dark theme and no controls (a class on the shell), and the pages rotate on a
timer. The mode lives in a session-scoped store, so it survives the pages rewriting their own
query string (the command-center filters) and reloads of the tab; `?wall=0` ends it.

A page too full for one 1920x1080 screen is shown as several views, one screen each: its
parts carry `data-wall="N"` (pages/) and the shell's class `wall-view-N` shows view N only
(assets/wall.css). The timer steps through a page's views before it moves to the next page;
`&view=N` opens view N of the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
from dash import Input, Output, State

from callbacks.shared import ids
from data.services import Services

# The pages a wall screen cycles through, in order.
ROTATION: tuple[str, ...] = ("/", "/allocation", "/aefi")
# How many one-screen views each page has in wall mode (pages not listed have one). Each view
# N must be named by a data-wall attribute of the page's layout (tests check both agree).
VIEWS: dict[str, int] = {"/": 3, "/allocation": 3, "/aefi": 3, "/facilities": 2,
                         "/reports": 3}
DEFAULT_ROTATE_S = 60
MIN_ROTATE_S, MAX_ROTATE_S = 3, 3600
SHELL_CLASS, WALL_CLASS = "shell", "shell shell-wall"


def wall_config(search: str | None) -> dict[str, int] | None | Any:
    """The mode a URL query asks for: {'rotate': seconds}, None to leave it, no_update when the
    query says nothing (the mode in the store stands)."""
    query = parse_qs((search or "").lstrip("?"))
    wall = (query.get("wall") or [None])[-1]
    if wall is None:
        return dash.no_update
    if wall not in ("1", "true", "on"):
        return None
    try:
        seconds = int((query.get("rotate") or [DEFAULT_ROTATE_S])[-1])
    except ValueError:
        seconds = DEFAULT_ROTATE_S
    return {"rotate": min(MAX_ROTATE_S, max(MIN_ROTATE_S, seconds))}


def norm_path(pathname: str | None) -> str:
    """'/aefi/' -> '/aefi'; None -> '/'."""
    return (pathname or "/").rstrip("/") or "/"


def view_count(pathname: str | None) -> int:
    """How many wall views the page at `pathname` has."""
    return VIEWS.get(norm_path(pathname), 1)


def requested_view(search: str | None, pathname: str | None) -> dict[str, Any] | None:
    """The view state a `&view=N` (1-based) in the URL asks for, None when it asks nothing."""
    value = (parse_qs((search or "").lstrip("?")).get("view") or [None])[-1]
    if value is None or not value.isdigit():
        return None
    view = min(view_count(pathname), max(1, int(value))) - 1
    return {"path": norm_path(pathname), "view": view}


def current_view(state: Any, pathname: str | None) -> int:
    """The 0-based view of the page at `pathname` (a state stored for another page: 0)."""
    if not isinstance(state, dict) or state.get("path") != norm_path(pathname):
        return 0
    view = state.get("view")
    return view if isinstance(view, int) and 0 <= view < view_count(pathname) else 0


def shell_state(mode: Any, view: int = 0) -> tuple[str, int, bool]:
    """(shell class, rotation interval in ms, timer disabled) for the stored mode, showing
    0-based `view` of the page."""
    if not isinstance(mode, dict) or not isinstance(mode.get("rotate"), int):
        return SHELL_CLASS, DEFAULT_ROTATE_S * 1000, True
    seconds = min(MAX_ROTATE_S, max(MIN_ROTATE_S, mode["rotate"]))
    return f"{WALL_CLASS} wall-view-{view + 1}", seconds * 1000, False


def next_path(pathname: str | None) -> str:
    """The page after `pathname` in the rotation (the first one from anywhere else)."""
    path = norm_path(pathname)
    if path not in ROTATION:
        return ROTATION[0]
    return ROTATION[(ROTATION.index(path) + 1) % len(ROTATION)]


def next_step(pathname: str | None, state: Any) -> dict[str, Any]:
    """The view state after the current one: the page's next view, else the next page's
    first."""
    view = current_view(state, pathname) + 1
    if view < view_count(pathname):
        return {"path": norm_path(pathname), "view": view}
    return {"path": next_path(pathname), "view": 0}


def register(app: dash.Dash, _services: Services) -> None:
    """Attach the wall-mode callbacks to `app`."""

    @app.callback(Output(ids.SHELL_WALL, "data"), Input(ids.SHELL_URL, "search"))
    def _mode(search: str | None) -> Any:
        return wall_config(search)

    @app.callback(Output(ids.SHELL_WALL_VIEW, "data"), Input(ids.SHELL_URL, "search"),
                  State(ids.SHELL_URL, "pathname"))
    def _view(search: str | None, pathname: str | None) -> Any:
        return requested_view(search, pathname) or dash.no_update

    @app.callback(
        Output(ids.SHELL_ROOT, "className"),
        Output(ids.SHELL_WALL_TIMER, "interval"),
        Output(ids.SHELL_WALL_TIMER, "disabled"),
        Input(ids.SHELL_WALL, "data"),
        Input(ids.SHELL_WALL_VIEW, "data"),
        Input(ids.SHELL_URL, "pathname"),
    )
    def _shell(mode: Any, state: Any, pathname: str | None) -> tuple[str, int, bool]:
        return shell_state(mode, current_view(state, pathname))

    @app.callback(
        Output(ids.SHELL_URL, "pathname"),
        Output(ids.SHELL_WALL_VIEW, "data", allow_duplicate=True),
        Input(ids.SHELL_WALL_TIMER, "n_intervals"),
        State(ids.SHELL_URL, "pathname"),
        State(ids.SHELL_WALL_VIEW, "data"),
        State(ids.SHELL_WALL, "data"),
        prevent_initial_call=True,
    )
    def _rotate(_n: int | None, pathname: str | None, state: Any,
                mode: Any) -> tuple[Any, Any]:
        # A tick queued just before the mode ended must not move an ordinary tab.
        if shell_state(mode)[2]:
            return dash.no_update, dash.no_update
        step = next_step(pathname, state)
        moved = step["path"] != norm_path(pathname)
        return (step["path"] if moved else dash.no_update), step
