"""Synthetic walk-ins for the simulator: adults with a CCCD that agrees with their birth date,
sex and birth province, Vietnamese names from the demo generator, a mobile number."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from data.admin_units import provinces
from data.cccd import check_cccd, decode_cccd
from data.ops.commands.checkin import PersonForm
from etl.demo.names import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, PHONE_PREFIXES

# Circular 07/2016/TT-BCA art. 7: the century-and-sex digit (men even, women odd).
_G = {(1900, "M"): 0, (1900, "F"): 1, (2000, "M"): 2, (2000, "F"): 3}
_FAMILY_NAMES = [n for n, _ in FAMILY]
_FAMILY_WEIGHTS = [w for _, w in FAMILY]


@dataclass(frozen=True)
class Residence:
    """Where a walk-in lives: the facility's district, a ward of it when the registry has one."""

    province_code: str
    district_code: str
    wards: tuple[str, ...]


def cccd_for(rng: random.Random, province: str, birth: dt.date, sex: str) -> str:
    """A 12-digit CCCD registered in `province` for someone born on `birth` of `sex`."""
    g = _G[(birth.year // 100 * 100, sex)]
    number = f"0{province}{g}{birth.year % 100:02d}{rng.randrange(1_000_000):06d}"
    # The rules module is the judge: a number it decodes differently is a bug here.
    if decode_cccd(number).province_code != province or check_cccd(number, birth, sex):
        raise RuntimeError(f"made a CCCD the rules read otherwise: {number}")
    return number


def make_walk_in(rng: random.Random, home: Residence, today: dt.date,
                 taken: set[str]) -> PersonForm:
    """A new adult (18-80) living near the facility; mostly born in its province. `taken`
    holds the numbers this run made already, so no two walk-ins share one."""
    sex = rng.choice(("M", "F"))
    age_days = rng.randrange(18 * 366, 80 * 365)
    birth = today - dt.timedelta(days=age_days)
    born_in = home.province_code if rng.random() < 0.8 else rng.choice(sorted(provinces()))
    number = cccd_for(rng, born_in, birth, sex)
    while number in taken:
        number = cccd_for(rng, born_in, birth, sex)
    taken.add(number)
    middle, given = (MIDDLE_M, GIVEN_M) if sex == "M" else (MIDDLE_F, GIVEN_F)
    name = " ".join((rng.choices(_FAMILY_NAMES, _FAMILY_WEIGHTS)[0], rng.choice(middle),
                     rng.choice(given)))
    phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
    return PersonForm(id_type="CCCD", person_id=number, birth_date=birth, sex=sex,
                      full_name=name, phone=phone, province_code=home.province_code,
                      district_code=home.district_code,
                      ward_code=rng.choice(home.wards) if home.wards else None,
                      priority_group=rng.choice((0, 0, 0, 1, 2, 3)))
