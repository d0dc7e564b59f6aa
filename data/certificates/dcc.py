"""The vaccination certificate's content (DCC schema 1.3.0): the person's name and birth date,
one vaccination entry coded from the EU value sets, a UVCI. No identity number: the QR code
travels and is read by anyone (Decision 5772/QĐ-BYT, EU hcert spec)."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from data.catalog import VACCINE_BY_CODE
from data.certificates.icao import icao_transliterate, split_vietnamese_name
from data.certificates.valuesets import EU_CODES, TARGET_COVID19

SCHEMA_VERSION = "1.3.0"
COUNTRY = "VN"
ISSUER = "Ministry of Health of Viet Nam"
UVCI_PREFIX = "URN:UVCI:01:VN:"
MAX_DOSE = 9  # the schema's dose_posint


@dataclass(frozen=True)
class Dose:
    """The dose a certificate attests: catalogue product, ordinal and total (dn/sd), day."""

    vaccine_code: str
    dose_number: int
    series_doses: int
    day: dt.date


def new_uvci() -> str:
    """A fresh UVCI (option 1 of the eHN UVCI guidelines: an opaque unique id, no checksum):
    128 random bits in base32 -> 26 characters from A-Z and 2-7."""
    opaque = base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")
    return UVCI_PREFIX + opaque


def dose_numbers(dose_kind: str, dose_number: int, doses_so_far: int,
                 series_doses: int) -> tuple[int, int]:
    """(dn, sd) per the EU guidelines: a primary dose is its number in the product's series;
    an additional or booster dose counts past the series (dn > sd: 3/2 after two doses, 2/1
    after Janssen), whatever number the series had."""
    if dose_kind == "PRIMARY":
        return min(max(dose_number, 1), MAX_DOSE), series_doses
    return min(max(doses_so_far, series_doses + 1), MAX_DOSE), series_doses


def vaccination_dcc(full_name: str, birth_date: dt.date, dose: Dose, uvci: str) -> dict[str, Any]:
    """The DCC: ver, nam (fn/gn and their ICAO forms), dob, one `v` entry."""
    codes = EU_CODES[dose.vaccine_code]
    surname, given = split_vietnamese_name(full_name)
    nam: dict[str, str] = {"fn": surname[:80], "fnt": icao_transliterate(surname)}
    if given:
        nam.update(gn=given[:80], gnt=icao_transliterate(given))
    return {
        "ver": SCHEMA_VERSION,
        "nam": nam,
        "dob": birth_date.isoformat(),
        "v": [{
            "tg": TARGET_COVID19, "vp": codes.vp, "mp": codes.mp, "ma": codes.ma,
            "dn": dose.dose_number, "sd": dose.series_doses, "dt": dose.day.isoformat(),
            "co": COUNTRY, "is": ISSUER, "ci": uvci,
        }],
    }


def series_doses_of(vaccine_code: str) -> int:
    """Doses in the product's primary series (the national catalogue)."""
    return VACCINE_BY_CODE[vaccine_code].series_doses


def add_months(when: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later (29 Feb -> 28 Feb in a common year)."""
    total = when.month - 1 + months
    year, month = when.year + total // 12, total % 12 + 1
    for day in (when.day, 30, 29, 28):
        try:
            return when.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(when)  # unreachable: every month has a 28th
