"""The DCC schema's structural rules (DCC.combined-schema.json 1.3.x) a verifier needs to tell
a well-formed certificate: required fields, types and formats, exactly one group of one entry.
Value-set membership is not checked here: older certificates carry since-retired codes."""

from __future__ import annotations

import re
from typing import Any

_VER = re.compile(r"^\d+.\d+.\d+$")
_DOB = re.compile(r"^((19|20)\d\d(-\d\d){0,2}){0,1}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRANSLITERATED = re.compile(r"^[A-Z<]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REQUIRED = {
    "v": ("tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"),
    "t": ("tg", "tt", "sc", "tc", "co", "is", "ci", "tr"),
    "r": ("tg", "fr", "co", "is", "df", "du", "ci"),
}
_STRINGS = ("tg", "vp", "mp", "ma", "dt", "co", "is", "ci", "tt", "nm", "ma", "sc", "tr", "tc",
            "fr", "df", "du")


def _name_ok(nam: Any) -> bool:
    if not isinstance(nam, dict) or not ({"fnt", "gnt"} & nam.keys()):
        return False
    for key in ("fn", "gn", "fnt", "gnt"):
        if key in nam and not (isinstance(nam[key], str) and len(nam[key]) <= 80):
            return False
    return all(_TRANSLITERATED.match(nam[k]) for k in ("fnt", "gnt") if k in nam)


def _entry_ok(group: str, entry: Any) -> bool:
    if not isinstance(entry, dict) or any(k not in entry for k in _REQUIRED[group]):
        return False
    if any(k in entry and not isinstance(entry[k], str) for k in _STRINGS):
        return False
    if not _COUNTRY.match(entry["co"]) or not 1 <= len(entry["ci"]) <= 80:
        return False
    if group == "v":
        doses_ok = all(isinstance(entry[k], int) and not isinstance(entry[k], bool)
                       and 1 <= entry[k] <= 9 for k in ("dn", "sd"))
        return doses_ok and bool(_DATE.match(entry["dt"]))
    return True


def dcc_schema_valid(hcert: Any) -> bool:
    """True when the certificate keeps the schema's structure (one of v/t/r, one entry)."""
    if not isinstance(hcert, dict):
        return False
    groups = [g for g in ("v", "t", "r") if g in hcert]
    if len(groups) != 1 or not isinstance(hcert.get("ver"), str) \
            or not _VER.match(hcert["ver"]) or not _name_ok(hcert.get("nam")):
        return False
    if not isinstance(hcert.get("dob"), str) or not _DOB.match(hcert["dob"]):
        return False
    entries = hcert[groups[0]]
    return isinstance(entries, list) and len(entries) == 1 and _entry_ok(groups[0], entries[0])
