"""Wall-screen mode: `?wall=1&rotate=60` in any page's URL turns the tab into a wall screen.

Large KPIs, dark theme and no controls (a class on the shell), and the pages rotate on a
timer. The mode lives in a session-scoped store, so it survives the pages rewriting their own
query string (the command-center filters) and reloads of the tab; `?wall=0` ends it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
from dash import Input, Output, State

from callbacks import ids
from data.services import Services

# The pages a wall screen cycles through, in order.
ROTATION: tuple[str, ...] = ("/", "/allocation", "/aefi")
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


def shell_state(mode: Any) -> tuple[str, int, bool]:
    """(shell class, rotation interval in ms, timer disabled) for the stored mode."""
    if not isinstance(mode, dict) or not isinstance(mode.get("rotate"), int):
        return SHELL_CLASS, DEFAULT_ROTATE_S * 1000, True
    seconds = min(MAX_ROTATE_S, max(MIN_ROTATE_S, mode["rotate"]))
    return WALL_CLASS, seconds * 1000, False


def next_path(pathname: str | None) -> str:
    """The page after `pathname` in the rotation (the first one from anywhere else)."""
    path = (pathname or "/").rstrip("/") or "/"
    if path not in ROTATION:
        return ROTATION[0]
    return ROTATION[(ROTATION.index(path) + 1) % len(ROTATION)]


def register(app: dash.Dash, _services: Services) -> None:
    """Attach the wall-mode callbacks to `app`."""

    @app.callback(Output(ids.SHELL_WALL, "data"), Input(ids.SHELL_URL, "search"))
    def _mode(search: str | None) -> Any:
        return wall_config(search)

    @app.callback(
        Output(ids.SHELL_ROOT, "className"),
        Output(ids.SHELL_WALL_TIMER, "interval"),
        Output(ids.SHELL_WALL_TIMER, "disabled"),
        Input(ids.SHELL_WALL, "data"),
    )
    def _shell(mode: Any) -> tuple[str, int, bool]:
        return shell_state(mode)

    @app.callback(
        Output(ids.SHELL_URL, "pathname"),
        Input(ids.SHELL_WALL_TIMER, "n_intervals"),
        State(ids.SHELL_URL, "pathname"),
        State(ids.SHELL_WALL, "data"),
        prevent_initial_call=True,
    )
    def _rotate(_n: int | None, pathname: str | None, mode: Any) -> str | Any:
        # A tick queued just before the mode ended must not move an ordinary tab.
        return next_path(pathname) if shell_state(mode)[2] is False else dash.no_update
