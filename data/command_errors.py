"""What a command refuses, field by field: a form shows each problem beside its field, the API
returns them all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One refused input: the form field it belongs beside, the message id ("session.full", or
    a reject reason of data.interchange.messages) and a detail. `worded`: the detail is the
    whole message in the caller's language, as the reject report words it (the contract's
    rules, data.interchange, refused it)."""

    field: str
    code: str
    detail: str = ""
    worded: bool = False


class OpsError(ValueError):
    """A command refused its input and wrote nothing; `problems` holds one (field, code) per
    problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in self.problems))

    @classmethod
    def one(cls, field: str, code: str, detail: str = "") -> OpsError:
        """The error of a single problem."""
        return cls([Problem(field, code, detail)])

    def codes(self) -> dict[str, str]:
        """field -> code of the first problem of each field (what a form shows)."""
        out: dict[str, str] = {}
        for p in self.problems:
            out.setdefault(p.field, p.code)
        return out
