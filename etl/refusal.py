"""A file the loader refuses as a whole: one sentence, a line where known, nothing loaded."""

from __future__ import annotations

from pathlib import Path

from data.interchange.messages import message

# Limits of one record. A line longer than the CSV reader's 16 MB block cannot be split into
# blocks, and no field of the contract needs more than 128 KB (Python's csv module refuses
# longer fields, and a database row of that size is a mistake or an attack).
MAX_LINE_BYTES = 1 << 24
MAX_FIELD_BYTES = 1 << 17


class FileRefused(Exception):  # noqa: N818 - a refusal is an outcome, not a programming error
    """The file cannot be loaded at all; `key` names the reason in data.interchange.messages."""

    def __init__(self, key: str, line: int | None = None, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.line = line
        self.values = values
        self.reject_path: Path | None = None  # set once the one-row report is written

    def reason(self, lang: str) -> str:
        """The one sentence a clerk reads, in the reject language."""
        return message(self.key, lang, line=self.line, **self.values)
