"""Data values as plotly text: shown as characters, never as markup (issue 10, defect 6).

plotly.js renders a subset of HTML (<a href>, <b>, <i>, <br>, <span style>, ...) in hover
templates and in the values they substitute, in trace text, annotations, titles, tick labels
and legend names. A facility named '<a href="https://...">x</a>' became a link in the
allocation map's hover. Every string that comes from the database or a partner's file goes
through `plain` before it reaches a figure; our own catalog strings keep their <br> and <b>.
"""

from __future__ import annotations

import html
from collections.abc import Iterable


def plain(value: object) -> str:
    """`value` as text plotly shows literally: '<', '>' and '&' as entities.

    plotly.js splits a string at its tags first and decodes &lt; &gt; &amp; in the text
    between them, so the entities come out as the characters. It knows no &quot; (that would
    be shown as typed): quotes stay as they are, which is safe outside a tag.
    """
    return html.escape(str(value), quote=False)


def plain_all(values: Iterable[object]) -> list[str]:
    """`plain` of every value (category labels, hover columns)."""
    return [plain(v) for v in values]
