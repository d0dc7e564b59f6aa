"""Wall-screen mode's pure pieces: the URL's request, the shell's state, the rotation."""

from __future__ import annotations

import dash

from callbacks import wall


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
    assert wall.shell_state({"rotate": 3}) == ("shell shell-wall", 3000, False)
    assert wall.shell_state(None) == ("shell", 60_000, True)
    assert wall.shell_state({"rotate": "x"})[2] is True


def test_rotation_order() -> None:
    assert [wall.next_path(p) for p in ("/", "/allocation", "/aefi/")] == [
        "/allocation", "/aefi", "/"]
    assert wall.next_path("/admin/users") == "/" and wall.next_path(None) == "/allocation"


def test_rotation_counts_as_activity() -> None:
    # The rotation's request is driven by the wall timer, which is not a background input: a
    # wall screen keeps its session alive (the idle timeout ends only unattended ordinary tabs).
    from callbacks import ids
    from callbacks.security import gate

    assert f"{ids.SHELL_WALL_TIMER}.n_intervals" not in gate.BACKGROUND_INPUTS
