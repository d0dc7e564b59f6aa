"""A command's refusal (data.command_errors.Problem) in words: the problem's code is its
message id, filled with its detail. Shared by the operations pages and the JSON API so that a
refusal reads the same beside a form field and in an API error item."""

from __future__ import annotations

from callbacks.shared.i18n import has_text, t
from data.command_errors import Problem

# Codes whose detail is "<what the number says> / <what the form says>" (data.ops.commands).
MISMATCHES = ("cccd.year_mismatch", "cccd.sex_mismatch")
FALLBACK = "ops.refused"


def problem_values(problem: Problem) -> dict[str, object]:
    """The values the problem's message is filled with."""
    values: dict[str, object] = {"detail": problem.detail}
    if problem.code in MISMATCHES:
        from_number, _, from_form = problem.detail.partition(" / ")
        values |= {"from_number": from_number, "from_form": from_form}
    return values


def problem_message(problem: Problem, lang: str | None) -> str:
    """The problem's sentence in `lang`; a code the catalogs lack gets the general refusal."""
    if problem.worded and problem.detail:
        return problem.detail
    if not has_text(problem.code):
        return t(FALLBACK, lang)
    return t(problem.code, lang, **problem_values(problem))
