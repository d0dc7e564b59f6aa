"""Comparing the name a citizen types with the name on their vaccination records.

Tolerant of what does not change a name: letter case, spaces (leading, trailing, repeated),
Unicode normalisation (a phone keyboard may send "ệ" as one code point or as "e" + two
combining marks: NFC makes them one), and where a Vietnamese tone mark sits in a syllable
(the old and new spelling rules put it on different vowels: "Hoà"/"Hòa", "Thuý"/"Thúy" are
the same name on two identity cards).

Strict about diacritics otherwise: "Đào", "Dao" and "Đạo" are three names, and a tone or a
vowel mark is part of the spelling on the identity card the citizen holds. Accepting a name
without its diacritics would also make a look-up by identity number and date of birth
easier to complete by guessing, which the three-factor look-up exists to prevent.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

# The five Vietnamese tone marks as combining characters (NFD): grave, acute, hook above,
# tilde, dot below. Vowel marks (circumflex, breve, horn) and đ are not tones.
TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")
MAX_NAME = 200  # the column's length: a longer input is no one's name


def name_key(name: str) -> str:
    """The comparable form of a full name: NFC, case-folded, single spaces, and each
    syllable's tone written after it rather than on one of its vowels."""
    words = unicodedata.normalize("NFC", name[:MAX_NAME]).casefold().split()
    return " ".join(_syllable_key(w) for w in words)


def _syllable_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(sorted(c for c in decomposed if c in TONES))
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return f"{base}{'|' + tones if tones else ''}"


def name_digest(name: str) -> bytes:
    """SHA-256 of the name's key: compared in constant time, whatever the names' lengths."""
    return hashlib.sha256(name_key(name).encode("utf-8")).digest()


def same_name(typed: str, recorded: str) -> bool:
    """Whether `typed` is the recorded name (see the module's rules); constant-time compare."""
    return hmac.compare_digest(name_digest(typed), name_digest(recorded))
