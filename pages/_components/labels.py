"""A static label that the shell translates when the language changes."""

from __future__ import annotations

from typing import Any

from dash import html
from dash.development.base_component import Component

from callbacks.shared import ids
from callbacks.shared.i18n import DEFAULT_LANG, t


def label(key: str, tag: type[Component] = html.Span, at: str = "", **props: Any) -> Component:
    """`tag` holding the Vietnamese text of `key`, with the pattern id the shell re-translates
    (`at` names the place when the same message shows more than once on a page)."""
    return tag(t(key, DEFAULT_LANG), id=ids.text(key, at), **props)
