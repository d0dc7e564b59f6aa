"""Synthetic identities for vaccinated persons: ids, names, phones, residence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.demo.curve import EPOCH
from etl.demo.fmt import iso_dates, zpad
from etl.demo.names import FAMILY, FOREIGN, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, PHONE_PREFIXES
from etl.demo.places import Geography, apportion, random_wards
from etl.demo.schedule import ADULTS, Persons

CCCD, CMND, PASSPORT = 0, 1, 2
ID_TYPES = np.array(["CCCD", "CMND", "PASSPORT"], dtype=object)


@dataclass(frozen=True)
class Identities:
    """Person-level columns, aligned with Persons."""

    person_id: np.ndarray
    id_type: np.ndarray
    full_name: np.ndarray
    birth_date: np.ndarray  # ISO strings
    birth_day: np.ndarray  # day index
    sex: np.ndarray
    phone: np.ndarray
    province: np.ndarray
    district: np.ndarray
    ward: np.ndarray  # -1 when the district has no wards


def _pick(options: tuple[str, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform picks from a tuple of strings."""
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)]


def make_identities(persons: Persons, geo: Geography, rng: np.random.Generator) -> Identities:
    """Names, ids, birth dates, sex, phone and residence for every person."""
    n = len(persons.first_day)
    adult = persons.band == ADULTS
    female = rng.random(n) < np.where(adult, 0.505, 0.485)
    # Birth date: `age` completed years (and less than a year more) on the first dose.
    back = np.ceil(persons.age * 365.25).astype(np.int64) + 1 + rng.integers(0, 363, n)
    birth_day = persons.first_day.astype(np.int64) - back
    birth = np.datetime64(EPOCH.isoformat(), "D") + birth_day.astype("timedelta64[D]")
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    # Over-65s apart from younger adults: they are a small band, which chance fills unevenly.
    district = residences(geo.district_pop, np.where(persons.age >= 65, 3, persons.band), rng)
    province = geo.district_province[district]
    ward = random_wards(geo, district, rng)
    kind = np.where(adult, rng.choice(3, n, p=[0.85, 0.148, 0.002]), CCCD)
    numbers = _unique_numbers(kind, province, geo, female, year, rng)
    fam_p = np.array([f[1] for f in FAMILY])
    family = np.array([f[0] for f in FAMILY], dtype=object)[
        rng.choice(len(FAMILY), n, p=fam_p / fam_p.sum())]
    middle = np.where(female, _pick(MIDDLE_F, n, rng), _pick(MIDDLE_M, n, rng))
    given = np.where(female, _pick(GIVEN_F, n, rng), _pick(GIVEN_M, n, rng))
    name = np.where(kind == PASSPORT, _pick(FOREIGN, n, rng), family + " " + middle + " " + given)
    phone = _pick(PHONE_PREFIXES, n, rng) + zpad(rng.integers(0, 10**7, n), 7)
    return Identities(
        person_id=numbers, id_type=ID_TYPES[kind], full_name=name.astype(object),
        birth_date=iso_dates(birth_day), birth_day=birth_day,
        sex=np.where(female, "F", "M").astype(object), phone=phone,
        province=province, district=district, ward=ward,
    )


def residences(district_pop: np.ndarray, band: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """District index of each person: each group's (`band`) people split over the districts in
    proportion to their population (largest remainder), in random order.

    Independent draws would put, by chance alone, a tenth more of a small district's people
    in it at 1:1,000 than it has, and its denominators (etl.demo.denominators) would have to
    grow to hold them.
    """
    out = np.empty(len(band), dtype=np.int64)
    for b in np.unique(band):
        rows = np.flatnonzero(band == b)
        counts = apportion(len(rows), district_pop.astype(float))
        out[rows] = rng.permutation(np.repeat(np.arange(len(district_pop)), counts))
    return out


def _unique_numbers(kind: np.ndarray, province: np.ndarray, geo: Geography, female: np.ndarray,
                    year: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Identity numbers as strings, redrawing the random digits until all are unique."""
    n = len(kind)
    # CCCD: 0 + province of birth (mostly the residence), century/sex digit, 2-digit year.
    born_here = rng.random(n) < 0.85
    birth_prov = np.where(born_here, province, rng.integers(0, len(geo.province_codes), n))
    prov_num = geo.province_codes[birth_prov].astype(np.int64)
    century = (year >= 2000) * 2 + female
    head = np.select([kind == CCCD, kind == CMND],
                     [((prov_num * 10 + century) * 100 + year % 100) * 10**6,
                      rng.integers(1, 39, n) * 10**7 + 10**13],
                     rng.integers(0, 9, n) * 10**7 + 2 * 10**13)
    width = np.where(kind == CCCD, 10**6, 10**7)
    key = head + rng.integers(0, width)
    while True:
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False  # every occurrence but the first is redrawn
        if not dup.any():
            break
        key[dup] = head[dup] + rng.integers(0, width[dup])
    body = key % 10**13
    out = np.empty(n, dtype=object)
    cccd, cmnd = kind == CCCD, kind == CMND
    out[cccd] = zpad(body[cccd], 12)
    out[cmnd] = zpad(body[cmnd], 9)
    pp = ~(cccd | cmnd)
    out[pp] = np.array(list("BCEGKMNPS"), dtype=object)[body[pp] // 10**7] + zpad(
        body[pp] % 10**7, 7)
    return out
