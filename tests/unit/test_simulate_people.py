"""The simulator's walk-ins pass the identity rules a check-in desk applies."""

from __future__ import annotations

import datetime as dt
import random

from data.cccd import decode_cccd
from data.ops.commands.checkin import PersonForm, clean_phone, identity_problems
from data.ops.commands.screening import age_on
from etl.simulate_people import Residence, make_walk_in

HOME = Residence("79", "760", ("26734", "26737"))
TODAY = dt.date(2026, 12, 4)


def _people(seed: int, n: int) -> list[PersonForm]:
    rng, taken = random.Random(seed), set[str]()
    return [make_walk_in(rng, HOME, TODAY, taken) for _ in range(n)]


def test_walk_ins_are_valid_adults_with_an_agreeing_cccd() -> None:
    people = _people(1, 500)
    assert len({p.person_id for p in people}) == 500
    born_here = 0
    for p in people:
        assert identity_problems(p) == ("CCCD_AGREES", [])
        cccd = decode_cccd(p.person_id, TODAY)
        assert (cccd.birth_year, cccd.sex) == (p.birth_date.year, p.sex)
        born_here += cccd.province_code == "79"
        assert 18 <= age_on(p.birth_date, TODAY) <= 80
        assert clean_phone(p.phone) == p.phone and len(p.full_name.split()) == 3
        assert (p.province_code, p.district_code) == ("79", "760")
        assert p.ward_code in HOME.wards
    assert 350 < born_here < 450  # mostly born in the facility's province (80 %)
    assert {p.sex for p in people} == {"M", "F"}


def test_the_same_seed_makes_the_same_people() -> None:
    assert _people(5, 20) == _people(5, 20)
    assert _people(5, 20) != _people(6, 20)
