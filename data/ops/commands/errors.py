"""What a command refuses, field by field, in the words of the reject report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One refused field: `code` is the reason's message id (data.interchange.messages, the
    same as the reject report's), `message` its text in the caller's language."""

    field: str
    code: str
    message: str


class CommandRefused(ValueError):
    """The input breaks a rule; nothing was written. A form shows each error beside its field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))
        self.errors = tuple(errors)

    @property
    def codes(self) -> dict[str, list[str]]:
        """Field -> the codes refused on it."""
        out: dict[str, list[str]] = {}
        for e in self.errors:
            out.setdefault(e.field, []).append(e.code)
        return out
