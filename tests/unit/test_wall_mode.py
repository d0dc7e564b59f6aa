"""Wall-screen mode's pure pieces: the URL's request, the shell's state, the rotation through
pages and their views, and the pages' view markers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest

from callbacks.mcc import wall


def test_the_url_turns_the_mode_on_and_off() -> None:
    assert wall.wall_config("?wall=1&rotate=30") == {"rotate": 30}
    assert wall.wall_config("?wall=1") == {"rotate": wall.DEFAULT_ROTATE_S}
    assert wall.wall_config("?rotate=0&wall=1") == {"rotate": wall.MIN_ROTATE_S}
    assert wall.wall_config("?wall=1&rotate=abc") == {"rotate": wall.DEFAULT_ROTATE_S}
    assert wall.wall_config("?wall=1&rotate=999999") == {"rotate": wall.MAX_ROTATE_S}
    assert wall.wall_config("?wall=0") is None
    # A page's own filters say nothing about the mode: the stored mode stands.
    assert wall.wall_config("?vaccine=AZ") is dash.no_update
    assert wall.wall_config(None) is dash.no_update


def test_shell_state() -> None:
    assert wall.shell_state({"rotate": 3}) == ("shell shell-wall wall-view-1", 3000, False)
    assert wall.shell_state({"rotate": 60}, 2) == ("shell shell-wall wall-view-3", 60_000, False)
    assert wall.shell_state(None) == ("shell", 60_000, True)
    assert wall.shell_state(None, 2) == ("shell", 60_000, True)
    assert wall.shell_state({"rotate": "x"})[2] is True


def test_rotation_order() -> None:
    assert [wall.next_path(p) for p in ("/", "/allocation", "/aefi/")] == [
        "/allocation", "/aefi", "/"]
    assert wall.next_path("/admin/users") == "/" and wall.next_path(None) == "/allocation"


def test_the_timer_shows_every_view_of_a_page_before_the_next_page() -> None:
    seen: list[tuple[str, int]] = []
    path: str = "/"
    state: Any = None
    for _ in range(sum(wall.view_count(p) for p in wall.ROTATION) + 1):
        seen.append((path, wall.current_view(state, path)))
        state = wall.next_step(path, state)
        path = state["path"]
    assert seen == [("/", 0), ("/", 1), ("/", 2), ("/allocation", 0), ("/allocation", 1),
                    ("/allocation", 2), ("/aefi", 0), ("/aefi", 1), ("/aefi", 2), ("/", 0)]
    # A page outside the rotation shows its own views, then the rotation starts.
    assert wall.next_step("/reports", None) == {"path": "/reports", "view": 1}
    assert wall.next_step("/reports/", {"path": "/reports", "view": 1}) == {
        "path": "/reports", "view": 2}
    assert wall.next_step("/reports/", {"path": "/reports", "view": 2}) == {"path": "/",
                                                                           "view": 0}
    assert wall.next_step("/admin/audit", None) == {"path": "/", "view": 0}


def test_a_view_belongs_to_its_page() -> None:
    # A view stored for another page (the rotation moved on, the tab was navigated) is not
    # applied to this one; out-of-range or malformed states show the first view.
    assert wall.current_view({"path": "/", "view": 2}, "/") == 2
    assert wall.current_view({"path": "/", "view": 2}, "/allocation") == 0
    assert wall.current_view({"path": "/allocation", "view": 5}, "/allocation") == 0
    assert wall.current_view({"path": "/aefi", "view": "1"}, "/aefi") == 0
    assert wall.current_view(None, "/") == 0


def test_the_url_can_open_a_view() -> None:
    assert wall.requested_view("?wall=1&view=2", "/aefi/") == {"path": "/aefi", "view": 1}
    assert wall.requested_view("?view=9", "/") == {"path": "/", "view": 2}  # the last one
    assert wall.requested_view("?view=0", "/") == {"path": "/", "view": 0}
    assert wall.requested_view("?view=x", "/") is None
    assert wall.requested_view("?wall=1", "/") is None
    assert wall.requested_view("?view=2", "/admin/users") == {"path": "/admin/users",
                                                               "view": 0}


def test_rotation_counts_as_activity() -> None:
    # The rotation's request is driven by the wall timer, which is not a background input: a
    # wall screen keeps its session alive (the idle timeout ends only unattended ordinary tabs).
    from callbacks.shared import ids
    from callbacks.shared.security import gate

    assert f"{ids.SHELL_WALL_TIMER}.n_intervals" not in gate.BACKGROUND_INPUTS


def _walls(component: Any) -> Iterator[str]:
    """Every data-wall value in a layout tree."""
    value = getattr(component, "data-wall", None)
    if value is not None:
        yield str(value)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walls(child)


@pytest.fixture(scope="module")
def page_layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from app import create_app
    from data.settings import load_settings

    db = Path(tmp_path_factory.mktemp("wall")) / "wall.db"
    app = create_app(load_settings(database_url=f"sqlite:///{db}"))
    try:
        return {page["path"]: page["layout"]() for page in dash.page_registry.values()}
    finally:
        app.server.extensions["vx_services"].engine.dispose()


def test_every_view_of_a_page_has_parts_and_every_part_a_view(
    page_layouts: dict[str, Any],
) -> None:
    for path, layout in page_layouts.items():
        views = {v for value in _walls(layout) for v in value.split()}
        # Views 1..N of wall.VIEWS, all of them named in the page (a view nothing is in would
        # be a blank screen on the wall; a part in view N+1 would never be seen).
        expected = {str(n) for n in range(1, wall.view_count(path) + 1)}
        assert views == (expected if wall.view_count(path) > 1 else set()), path
    assert set(wall.VIEWS) <= set(page_layouts)
