"""Data values as plotly text (issue 10, defect 6): no tag survives, the text reads the same."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from callbacks.mcc.figures_stock import site_points
from callbacks.shared.plot_text import plain, plain_all

# plotly.js's svg_text_utils: a string is split at these tags, and the entities it knows are
# decoded in the text between them (&quot; is not one of them).
SPLIT_TAGS = re.compile(r"(<[^<>]*>)")
ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}


def as_plotly_shows(text: str) -> tuple[list[str], str]:
    """(the tags plotly would render, the characters it would show) of `text`."""
    parts = SPLIT_TAGS.split(text)
    tags = [p for p in parts if SPLIT_TAGS.fullmatch(p)]
    shown = "".join(re.sub(r"&(lt|gt|amp);", lambda m: ENTITIES[m.group(0)], p)
                    for p in parts if not SPLIT_TAGS.fullmatch(p))
    return tags, shown


@pytest.mark.parametrize("value", [
    '<a href="https://evil.example/login">x</a>', "<b>Trạm Y tế</b>", "Kho 1 & 2 <3",
    "&lt;b&gt; as typed", "Bà Rịa - Vũng Tàu", "it's \"quoted\"", "<br>", "a<b", 42,
])
def test_plain_values_show_as_typed_with_no_markup(value: object) -> None:
    tags, shown = as_plotly_shows(plain(value))
    assert tags == []
    assert shown == str(value)


def test_plain_escapes_only_what_plotly_decodes() -> None:
    assert plain('<a href="x">Q & A</a>') == '&lt;a href="x"&gt;Q &amp; A&lt;/a&gt;'
    assert plain("Trạm Y tế Phường Phúc Xá") == "Trạm Y tế Phường Phúc Xá"
    assert plain_all(["<i>", 7]) == ["&lt;i&gt;", "7"]


def test_facility_hover_on_the_map_carries_the_name_as_text() -> None:
    points = pd.DataFrame([{"name": "<b>Trạm</b>", "kind": "<i>X</i>", "status": "ACTIVE",
                            "latitude": 21.0, "longitude": 105.8, "on_hand": 10,
                            "days_of_supply": 2.0}])
    name, lines = site_points(points, "vi")["customdata"][0]
    assert name == "&lt;b&gt;Trạm&lt;/b&gt;"
    assert lines.startswith("&lt;i&gt;X&lt;/i&gt;")
    assert "<i>" not in lines and "<br>" in lines  # our own line breaks stay
