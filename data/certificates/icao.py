"""Names as ICAO Doc 9303 (Part 3, section 6) writes them in a machine-readable zone: upper-case
A-Z, '<' between name parts; the DCC's `fnt`/`gnt` (at most 80 characters)."""

from __future__ import annotations

import re
import unicodedata

# Doc 9303 Part 3 table: letters transliterated, not merely stripped of their marks. Vietnamese
# letters need only the marks dropped, and Đ (a distinct letter, no decomposition) -> D.
_SPECIAL = {"Đ": "D", "Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Æ": "AE", "Ø": "OE",
            "Å": "AA", "Œ": "OE", "Þ": "TH", "Ð": "D", "Ł": "L", "Ħ": "H", "Ŧ": "T", "Ŋ": "N",
            "Ĳ": "IJ", "ẞ": "SS"}
_SEPARATORS = re.compile(r"[\s\-,.]+")
MAX_LENGTH = 80


def icao_transliterate(name: str) -> str:
    """'Nguyễn Văn Đức' -> 'NGUYEN<VAN<DUC'; apostrophes and other signs are dropped."""
    out = []
    for ch in unicodedata.normalize("NFC", name).upper():
        ch = _SPECIAL.get(ch, ch)
        out.append("".join(c for c in unicodedata.normalize("NFD", ch)
                           if not unicodedata.combining(c)))
    text = _SEPARATORS.sub("<", "".join(out))
    text = re.sub(r"[^A-Z<]", "", text)
    return re.sub(r"<+", "<", text).strip("<")[:MAX_LENGTH]


def split_vietnamese_name(full_name: str) -> tuple[str, str]:
    """(surname, given names): a Vietnamese name puts the family name first
    ('Nguyễn Văn Đức' -> ('Nguyễn', 'Văn Đức')); one word is a surname alone."""
    parts = full_name.split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])
