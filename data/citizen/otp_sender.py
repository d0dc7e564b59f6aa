"""Where one-time sign-in codes go: a small pluggable interface, chosen by dotted path in the
settings (`otp_sender`, config.yaml citizen.otp_sender, env VX_OTP_SENDER).

There is no SMS gateway yet. The default sender writes the code to the log (development);
tests point the settings at RecordingSender and read the code back. A real gateway is a class
with the same `send` (README, "Citizen API"): it must not raise for an unknown number (the
answer to the caller is the same whether or not the person exists) and should return quickly
(queue the message; the request waits for `send`).
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


@runtime_checkable
class OtpSender(Protocol):
    """Delivers a one-time code to a person."""

    def send(self, phone_or_identity: str, code: str, lang: str) -> None:
        """Send `code` to the person reached by `phone_or_identity` (the phone on their
        latest record, else their identity number), worded in `lang` ("vi" or "en")."""


class LoggingSender:
    """Development: the code goes to the log (never use it in production: the log then holds
    live codes)."""

    def send(self, phone_or_identity: str, code: str, lang: str) -> None:
        log.warning("one-time code for %s: %s (lang %s; LoggingSender, development only)",
                    phone_or_identity, code, lang)


@dataclass(frozen=True)
class SentCode:
    """One code a RecordingSender was given."""

    to: str
    code: str
    lang: str


class RecordingSender:
    """Tests: every code sent, in order, in memory (one list per process)."""

    sent: list[SentCode] = []
    _lock = threading.Lock()

    def send(self, phone_or_identity: str, code: str, lang: str) -> None:
        with self._lock:
            RecordingSender.sent.append(SentCode(phone_or_identity, code, lang))

    @classmethod
    def last_to(cls, to: str) -> str | None:
        """The newest code sent to `to`, None when none was."""
        with cls._lock:
            return next((s.code for s in reversed(cls.sent) if s.to == to), None)


def load_sender(dotted: str) -> OtpSender:
    """An instance of the class named by `dotted` ("package.module.Class")."""
    module_name, _, name = dotted.rpartition(".")
    if not module_name:
        raise ValueError(f"otp_sender {dotted!r} is not a dotted path")
    sender = getattr(importlib.import_module(module_name), name)()
    if not isinstance(sender, OtpSender):
        raise TypeError(f"otp_sender {dotted!r} has no send(phone_or_identity, code, lang)")
    return sender
