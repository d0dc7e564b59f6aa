"""Password hashing with Argon2id (argon2-cffi defaults, RFC 9106 low-memory profile) and the
password rules of OWASP ASVS 4.0 section 2.1: length, and no common or breached password."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from data.messages import N_

# ASVS 2.1.1 and 2.1.2: at least 12 characters, up to 128 (spaces count; nothing is trimmed).
MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn's score 3 ("safely unguessable": about 10**8 guesses and more) refuses its bundled
# lists of common and breached passwords, names and words (ASVS 2.1.7), and repeats, sequences
# and keyboard walks; it sets no composition rule (ASVS 2.1.9).
MIN_SCORE = 3


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of `password`."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches; a malformed hash never matches."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(stored_hash)


def password_problem(password: str, username: str) -> str | None:
    """A message key when the password breaks a rule, else None."""
    if len(password) < MIN_LENGTH:
        return N_("password.too_short")
    if len(password) > MAX_LENGTH:
        return N_("password.too_long")
    if username and username.lower() in password.lower():
        return N_("password.contains_username")
    strength = zxcvbn(password, user_inputs=[username, "vaxcenter", "covid", "vaccine"],
                      max_length=MAX_LENGTH)
    if strength["score"] < MIN_SCORE:
        return N_("password.too_common")
    return None
