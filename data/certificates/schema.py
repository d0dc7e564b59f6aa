"""The DCC schema's structural rules (DCC.combined-schema.json 1.3.x) a verifier needs to tell
a well-formed certificate: required fields, types, patterns and lengths, exactly one group of
one entry; never stricter than the schema (tests compare it with the schema itself).
Value-set membership is not checked here: older certificates carry since-retired codes."""

from __future__ import annotations

import re
from typing import Any

_VER = re.compile(r"^\d+.\d+.\d+$")
_DOB = re.compile(r"^((19|20)\d\d(-\d\d){0,2}){0,1}$")
_TRANSLITERATED = re.compile(r"^[A-Z<]*$")
_COUNTRY = re.compile(r"[A-Z]{1,10}")  # unanchored in the schema itself
_REQUIRED = {
    "v": ("tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"),
    "t": ("tg", "tt", "sc", "tr", "co", "is", "ci"),
    "r": ("tg", "fr", "co", "is", "df", "du", "ci"),
}
# The properties each entry type declares as strings (others are not constrained there).
_STRINGS = {
    "v": ("tg", "vp", "mp", "ma", "dt", "co", "is", "ci"),
    "t": ("tg", "tt", "nm", "ma", "sc", "tr", "tc", "co", "is", "ci"),
    "r": ("tg", "fr", "co", "is", "df", "du", "ci"),
}
_MAX_80 = ("nm", "tc", "is", "ci")


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
    if any(k in entry and not isinstance(entry[k], str) for k in _STRINGS[group]):
        return False
    if not _COUNTRY.search(entry["co"]) or any(len(entry[k]) > 80 for k in _MAX_80
                                               if k in entry and k in _STRINGS[group]):
        return False
    # dose_posint: an integer from 1 (`dt`'s "format": "date" is an annotation, not checked).
    return group != "v" or all(isinstance(entry[k], int) and not isinstance(entry[k], bool)
                               and entry[k] >= 1 for k in ("dn", "sd"))


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
