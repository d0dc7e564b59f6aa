"""Identity numbers (shared: check-in at operations, self-registration on the portal): the
12-digit CCCD decoded, CMND and passport shapes checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from data.admin_units import provinces
from data.rule_errors import RuleError

Sex = Literal["M", "F"]

# CCCD = PPP G YY NNNNNN (Decree 137/2015/NĐ-CP art. 13; Circular 07/2016/TT-BCA art. 7):
# PPP the province where the birth was registered (the GSO province code with a leading 0),
# G century and sex, YY the last two digits of the birth year, NNNNNN a sequence number.
# There is no check digit, so a well-formed number can still be someone else's.
CCCD_LENGTH = 12

# Circular 07/2016/TT-BCA art. 7: G = 0/1 born 1900-1999 male/female, 2/3 2000s, 4/5 2100s,
# 6/7 2200s, 8/9 2300s; even digits are men, odd digits women.
_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200,
            8: 2300, 9: 2300}

# Legacy CMND (chứng minh nhân dân): 9 digits; the 12-digit CMND issued 2012-2016 has the
# CCCD's shape and is checked as one.
CMND_LENGTH = 9

# Passport: the document number field of ICAO Doc 9303 holds up to 9 characters, letters A-Z
# and digits. The simple rule here: 6 to 9 of those, at least one a digit (a Vietnamese
# passport is one letter and 7 digits, C1234567); lower case is read as upper case.
_PASSPORT = re.compile(r"(?=.*\d)[A-Z0-9]{6,9}")


@dataclass(frozen=True)
class Cccd:
    """What a CCCD says about its holder."""

    number: str
    province_code: str  # GSO 2-digit code, as in data.admin_units ("01", "79")
    sex: Sex
    birth_year: int


@dataclass(frozen=True)
class Mismatch:
    """A CCCD part that disagrees with the form: code ("cccd.year_mismatch"), what the number
    says and what the form says."""

    code: str
    from_number: str
    from_form: str


def _clean(number: str) -> str:
    return number.strip()


def decode_cccd(number: str, as_of: date | None = None) -> Cccd:
    """The parts of a 12-digit CCCD, or a RuleError naming the part that is wrong; with
    `as_of`, a birth year after it (a century not yet begun, or a later year) is refused."""
    text = _clean(number)
    if len(text) != CCCD_LENGTH:
        raise RuleError("cccd.length", "number", f"{len(text)} characters, not {CCCD_LENGTH}")
    if not (text.isascii() and text.isdigit()):
        raise RuleError("cccd.digits", "number", "only the digits 0-9")
    province = text[1:3]
    if text[0] != "0" or province not in provinces():
        raise RuleError("cccd.province", "number", f"{text[:3]} is no province code")
    g = int(text[3])
    year = _CENTURY[g] + int(text[4:6])
    if as_of is not None:
        if _CENTURY[g] > as_of.year:
            raise RuleError("cccd.century", "number", f"digit {g} means born {_CENTURY[g]}s")
        if year > as_of.year:
            raise RuleError("cccd.year", "number", f"born {year}, after {as_of.year}")
    return Cccd(text, province, "M" if g % 2 == 0 else "F", year)


def _sex(value: str) -> Sex:
    # The interchange spec's spellings: M/F, also Nam/Nữ.
    folded = value.strip().casefold()
    if folded in ("m", "nam"):
        return "M"
    if folded in ("f", "nữ", "nu"):
        return "F"
    raise RuleError("person.sex", "sex", repr(value))


def form_sex(value: str) -> Sex:
    """The sex a form gives, as M or F (the spellings Nam / Nữ too), or RuleError person.sex."""
    return _sex(value)


def check_cccd(number: str, birth_date: date, sex: str) -> list[Mismatch]:
    """What a CCCD contradicts on the check-in form (birth year, sex); [] when it agrees.
    A malformed number raises the RuleError of decode_cccd."""
    card = decode_cccd(number, as_of=None)
    out: list[Mismatch] = []
    if card.birth_year != birth_date.year:
        out.append(Mismatch("cccd.year_mismatch", str(card.birth_year), str(birth_date.year)))
    form_sex = _sex(sex)
    if card.sex != form_sex:
        out.append(Mismatch("cccd.sex_mismatch", card.sex, form_sex))
    return out


def check_cmnd(number: str) -> str:
    """A legacy identity card number, cleaned: 9 digits, or 12 with the CCCD's shape."""
    text = _clean(number)
    if not (text.isascii() and text.isdigit()):
        raise RuleError("cmnd.digits", "number", "only the digits 0-9")
    if len(text) == CCCD_LENGTH:
        return decode_cccd(text).number
    if len(text) != CMND_LENGTH:
        raise RuleError("cmnd.length", "number", f"{len(text)} digits, not 9 or 12")
    return text


def check_passport(number: str) -> str:
    """A passport number, cleaned and upper-cased, when it has the shape documented above."""
    text = _clean(number).upper()
    if not _PASSPORT.fullmatch(text):
        raise RuleError("passport.shape", "number", "6 to 9 letters A-Z or digits, one a digit")
    return text
