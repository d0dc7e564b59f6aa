"""The one error type of the rule modules: a code, the field it concerns, and its message id."""

from __future__ import annotations


class RuleError(ValueError):
    """A value a rule refuses. `code` ("cccd.length") doubles as the message id a form, the API
    or a reject report translates; `field` names the input it concerns."""

    def __init__(self, code: str, field: str, detail: str = "") -> None:
        super().__init__(f"{code}: {field}{' — ' + detail if detail else ''}")
        self.code = code
        self.field = field
        self.detail = detail
