"""One cell of an interchange row as text, whatever carried it (a JSON value, a spreadsheet
cell, a form field): the rules see text only, so every face gives them the same text."""

from __future__ import annotations

import datetime as dt
import re

# What no database text can hold: NUL, and lone surrogates (a JSON \ud800 escape decodes to one).
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


def cell_text(value: object) -> str | None:
    """The text of a typed value; None when blank (a number 2.0 reads "2", as a person wrote it)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() != "" else None


def has_bad_char(text: str) -> bool:
    """Whether `text` holds a character the readers refuse a line for (reason "bad_char")."""
    return _BAD_CHAR.search(text) is not None
