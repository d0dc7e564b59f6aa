"""Typed values of the operations forms, checked for type and length before any command sees
them, and a command's refusal in the UI language: shared by the operations pages."""

from __future__ import annotations

import datetime as dt
import re

from flask import has_request_context, request

from callbacks.shared.i18n import has_text, t
from data.auth.roles import OPERATIONS_ROLES, Principal
from data.command_errors import Problem


def client_source() -> str:
    """The client address the audit log records for a form's write."""
    return (request.remote_addr if has_request_context() else None) or "unknown"


def problem_text(problem: Problem, lang: str) -> str:
    """A command's problem in `lang` (its code is the message id)."""
    if not has_text(problem.code):
        return t("ops.sessions.refused", lang)
    return t(problem.code, lang, detail=problem.detail)


def parse_day(value: object) -> dt.date | None:
    """A typed day: dd/mm/yyyy as Vietnamese forms write it (d/m and '-' or '.' too), or
    ISO yyyy-mm-dd (docs/interchange.md takes both); None when it is neither."""
    if not isinstance(value, str) or len(value) > 10:
        return None
    text = value.strip()
    day_first = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if day_first:
            d, m, y = (int(g) for g in day_first.groups())
            return dt.date(y, m, d)
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) \
            else None
    except ValueError:
        return None


def show_day(day: dt.date) -> str:
    """A day as the day fields show it (dd/mm/yyyy)."""
    return f"{day:%d/%m/%Y}"


def parse_time(value: object) -> dt.time | None:
    """A typed time, hh:mm (h:mm, or hhmm as a keypad types it); None when it is not one."""
    text = value.strip() if isinstance(value, str) and len(value) <= 8 else ""
    m = re.fullmatch(r"(\d{1,2})[:h.]?(\d{2})", text)
    if m is None:
        return None
    try:
        return dt.time(int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None


def parse_count(value: object) -> int | None:
    """A typed whole number (at most 6 digits), None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if re.fullmatch(r"\d{1,6}", text) else None



def operates(principal: Principal) -> bool:
    """Whether the principal has an operations role (the data layer checks scope again)."""
    return principal.has(*OPERATIONS_ROLES)
