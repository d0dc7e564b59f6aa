"""Who gets which dose when: first doses, series completion, additional and boosters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from etl.demo.curve import LAST_DAY, day_index, month_of_day, n_days, slot_days

VACCINES = ("AZ", "SPV", "VRC", "PFZ", "MOD", "JNJ", "HYT", "ABD", "CVX")
V = {code: i for i, code in enumerate(VACCINES)}
# Minimum days from dose 1 to dose 2 (the catalogue); AZ is 56 before 2021-09.
MIN_INTERVAL = np.array([28, 21, 21, 21, 28, 0, 21, 14, 28])
INACTIVATED = np.array([c in ("VRC", "HYT", "CVX") for c in VACCINES])
PRIMARY, ADDITIONAL, BOOSTER = 0, 1, 2
KIDS, TEENS, ADULTS = 0, 1, 2

# First-dose product mix for adults by month (then by year for 2022), from the deliveries:
# COVAX AstraZeneca first, the Vero Cell surge of autumn 2021, then mRNA.
ADULT_MIX: dict[str, dict[str, float]] = {
    "2021-03": {"AZ": 1.0},
    "2021-06": {"AZ": 0.93, "VRC": 0.05, "SPV": 0.02},
    "2021-07": {"AZ": 0.72, "MOD": 0.17, "PFZ": 0.05, "VRC": 0.05, "SPV": 0.01},
    "2021-08": {"AZ": 0.45, "VRC": 0.30, "PFZ": 0.12, "MOD": 0.10, "SPV": 0.01, "JNJ": 0.02},
    "2021-09": {"AZ": 0.36, "VRC": 0.40, "PFZ": 0.13, "MOD": 0.07, "SPV": 0.01, "HYT": 0.01,
                "JNJ": 0.02},
    "2021-10": {"AZ": 0.38, "VRC": 0.38, "PFZ": 0.14, "MOD": 0.05, "HYT": 0.01, "ABD": 0.02,
                "JNJ": 0.01, "SPV": 0.01},
    "2021-11": {"AZ": 0.42, "VRC": 0.25, "PFZ": 0.17, "MOD": 0.06, "ABD": 0.06, "HYT": 0.02,
                "SPV": 0.01, "JNJ": 0.01},
    "2021-12": {"AZ": 0.45, "VRC": 0.10, "PFZ": 0.25, "MOD": 0.08, "ABD": 0.08, "HYT": 0.02,
                "CVX": 0.01, "SPV": 0.01},
    "2022-01": {"AZ": 0.35, "PFZ": 0.35, "MOD": 0.15, "VRC": 0.05, "ABD": 0.05, "CVX": 0.03,
                "HYT": 0.02},
}
TEEN_MIX = {"PFZ": 0.88, "MOD": 0.12}
KID_MIX = {"PFZ": 0.85, "MOD": 0.15}  # paediatric formulations
BOOSTER_MIX = {"AZ": 0.30, "PFZ": 0.42, "MOD": 0.25, "VRC": 0.03}
ADDITIONAL_MIX = {"AZ": 0.35, "PFZ": 0.35, "MOD": 0.15, "VRC": 0.15}
SECOND_BOOSTER_MIX = {"PFZ": 0.50, "MOD": 0.40, "AZ": 0.10}
# Adult age bins (lower, upper exclusive, share of first doses), Vietnam's 2021 pyramid.
ADULT_AGES = ((18, 25, 0.11), (25, 35, 0.22), (35, 45, 0.21), (45, 55, 0.18),
              (55, 65, 0.16), (65, 75, 0.08), (75, 95, 0.04))
# Priority groups of adults under 65 by period: health and front-line workers first
# (Government Resolution 21/NQ-CP), everyone from the autumn 2021 campaign on.
PRIORITY_MIX: tuple[tuple[str, dict[int, float]], ...] = (
    ("2021-03", {1: 0.60, 2: 0.25, 4: 0.05, 5: 0.05, 3: 0.02, 10: 0.03}),
    ("2021-05", {1: 0.20, 2: 0.20, 4: 0.10, 5: 0.10, 6: 0.05, 8: 0.15, 11: 0.10, 10: 0.03,
                 3: 0.02, 9: 0.05}),
    ("2021-07", {0: 0.40, 11: 0.20, 8: 0.15, 9: 0.10, 6: 0.05, 1: 0.03, 2: 0.03, 4: 0.02,
                 5: 0.02}),
    ("2021-09", {0: 0.78, 9: 0.08, 11: 0.06, 8: 0.04, 6: 0.02, 2: 0.01, 10: 0.01}),
)
TEEN_START, KID_START = dt.date(2021, 10, 25), dt.date(2022, 4, 14)
ADDITIONAL_START, BOOSTER_START = dt.date(2021, 11, 1), dt.date(2021, 11, 20)
SECOND_BOOSTER_START, TEEN_BOOSTER_START = dt.date(2022, 5, 20), dt.date(2022, 6, 1)


@dataclass(frozen=True)
class Persons:
    """One row per vaccinated person, as arrays."""

    first_day: np.ndarray
    band: np.ndarray
    age: np.ndarray  # completed years on the first dose
    priority: np.ndarray


@dataclass(frozen=True)
class Doses:
    """One row per dose, as arrays."""

    person: np.ndarray
    day: np.ndarray
    vaccine: np.ndarray
    kind: np.ndarray
    number: np.ndarray


def _by_month(table: dict[str, dict], days: np.ndarray) -> np.ndarray:
    """Index of the table entry in force on each day (keys are first months)."""
    starts = np.array([day_index(dt.date.fromisoformat(k + "-01")) for k in table])
    return np.maximum(np.searchsorted(starts, days, side="right") - 1, 0)


def _draw(mixes: list[dict], which: np.ndarray, rng: np.random.Generator,
          keys: tuple | list) -> np.ndarray:
    """Draw a key index per row from the mix selected by `which`."""
    probs = np.array([[m.get(k, 0.0) for k in keys] for m in mixes])
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(which))
    return np.minimum((u[:, None] > cum[which]).sum(axis=1), len(keys) - 1)


def _band_probs() -> np.ndarray:
    """(day, band) probabilities of a first dose going to kids, teens or adults."""
    days = np.arange(n_days())
    month = month_of_day(days)
    teen = np.select([month == 9, month == 10, month == 11, month < 15], [0.30, 0.40, 0.30, 0.20],
                     0.05)
    teen[days < day_index(TEEN_START)] = 0.0
    kid = np.where(days >= day_index(KID_START), 0.85, 0.0)
    return np.stack([kid, teen, 1 - kid - teen], axis=1)


def make_persons(scale: float, rng: np.random.Generator) -> tuple[Persons, np.ndarray]:
    """Persons ordered by first-dose day, and the vaccine of their first dose."""
    first = slot_days("first", scale)
    n = len(first)
    cum = np.cumsum(_band_probs()[first], axis=1)
    band = (rng.random(n)[:, None] > cum).sum(axis=1).astype(np.int8)
    bins = rng.choice(len(ADULT_AGES), n, p=[b[2] for b in ADULT_AGES])
    lo, hi = np.array([b[0] for b in ADULT_AGES]), np.array([b[1] for b in ADULT_AGES])
    age = np.select([band == KIDS, band == TEENS],
                    [rng.integers(5, 12, n), rng.integers(12, 18, n)],
                    rng.integers(lo[bins], hi[bins]))
    groups = list(range(12))
    prio = _draw([m for _, m in PRIORITY_MIX],
                 _by_month(dict(PRIORITY_MIX), first), rng, groups)
    elder = rng.random(n) < 0.85
    prio = np.where(age >= 65, np.where(elder, 7, 9), np.where(prio == 7, 9, prio))
    prio = np.where(band == ADULTS, prio, 0).astype(np.int8)
    mixes = [*ADULT_MIX.values(), TEEN_MIX, KID_MIX]
    which = np.select([band == TEENS, band == KIDS], [len(ADULT_MIX), len(ADULT_MIX) + 1],
                      _by_month(ADULT_MIX, first))
    vaccine = _draw(mixes, which, rng, VACCINES)
    # Abdala is licensed for ages 19-65 only.
    vaccine[(vaccine == V["ABD"]) & ((age < 19) | (age > 65))] = V["AZ"]
    return Persons(first, band, age.astype(np.int16), prio), vaccine.astype(np.int8)


def _match(earliest: np.ndarray, slots: np.ndarray, rng: np.random.Generator,
           noise_days: float, late_share: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Pair candidates (ordered by eligibility plus a delay) with sorted slots.

    Returns (chosen candidate positions, dose day), never before eligibility. A share of
    people come late (travel, illness, lockdowns), which keeps catch-up doses going.
    """
    delay = rng.exponential(noise_days, len(earliest))
    late = rng.random(len(earliest)) < late_share
    delay[late] = rng.exponential(noise_days * 8, int(late.sum()))
    order = np.argsort(earliest + delay, kind="stable")
    m = min(len(order), len(slots))
    chosen = order[:m]
    return chosen, np.maximum(slots[:m], earliest[chosen])


def _first_month_slots(slots: np.ndarray, remove: np.ndarray,
                       rng: np.random.Generator) -> np.ndarray:
    """Drop, month by month, as many slots as there are doses given outside the slots."""
    s_month, r_month = month_of_day(slots), month_of_day(remove)
    keep = np.ones(len(slots), dtype=bool)
    for m in np.unique(r_month):
        idx = np.flatnonzero(s_month == m)
        k = min(len(idx), int((r_month == m).sum()))
        keep[rng.choice(idx, k, replace=False)] = False
    return slots[keep]


def make_doses(persons: Persons, first_vaccine: np.ndarray, scale: float,
               rng: np.random.Generator) -> Doses:
    """Every dose of the campaign, in no particular order."""
    n = len(persons.first_day)
    d1 = persons.first_day.astype(np.int64)
    last = day_index(LAST_DAY)
    # Series completion: about 1.5% of adults and teens drop out; children of 2022 make up
    # the rest of the gap (the national first-to-full ratio fell from 97% to 95% in 2022).
    slots2 = slot_days("primary", scale)
    cand = np.flatnonzero(first_vaccine != V["JNJ"])
    kid = persons.band[cand] == KIDS
    keep_kid = (len(slots2) - 0.985 * (~kid).sum()) / max(kid.sum(), 1)
    keep = np.where(kid, min(max(keep_kid, 0.0), 1.0), 0.985)
    cand = cand[rng.random(len(cand)) < keep]
    interval = MIN_INTERVAL[first_vaccine[cand]]
    az_old = (first_vaccine[cand] == V["AZ"]) & (d1[cand] + 28 < day_index(dt.date(2021, 9, 1)))
    earliest = d1[cand] + np.where(az_old, 56, interval)
    pos, day2 = _match(earliest, slots2, rng, 10.0, late_share=0.05)
    p2 = cand[pos]
    second = np.full(n, -1, dtype=np.int64)
    second[p2] = day2
    # Abdala's third primary dose, 14 days after the second.
    p3 = p2[first_vaccine[p2] == V["ABD"]]
    day3 = second[p3] + 14 + rng.integers(0, 8, len(p3))
    p3, day3 = p3[day3 <= last], day3[day3 <= last]
    done = np.where(first_vaccine == V["JNJ"], d1, second)
    done[first_vaccine == V["ABD"]] = -1  # Abdala's series is three doses
    done[p3] = day3
    # First boosters and additional doses (immunocompromised, older Vero Cell recipients).
    cand = np.flatnonzero((done >= 0) & (persons.band != KIDS))
    extra = (persons.priority[cand] == 9) | (
        INACTIVATED[first_vaccine[cand]] & (persons.age[cand] >= 50))
    teen = persons.band[cand] == TEENS
    earliest = np.where(extra, np.maximum(done[cand] + 28, day_index(ADDITIONAL_START)),
                        np.maximum(done[cand] + 90, day_index(BOOSTER_START)))
    earliest = np.where(teen, np.maximum(done[cand] + 150, day_index(TEEN_BOOSTER_START)),
                        earliest)
    slots_b1 = _first_month_slots(slot_days("booster1", scale), day3, rng)
    pos, day_b1 = _match(earliest, slots_b1, rng, 7.0)
    pb1 = cand[pos]
    kind_b1 = np.where(extra[pos] & ~teen[pos], ADDITIONAL, BOOSTER)
    b1_mix = np.where(teen[pos], 2, np.where(kind_b1 == ADDITIONAL, 1, 0))
    vac_b1 = _draw([BOOSTER_MIX, ADDITIONAL_MIX, {"PFZ": 1.0}], b1_mix, rng, VACCINES)
    # Second boosters: 50+, health workers, over-65s and the chronically ill.
    ok = (persons.age[pb1] >= 50) | np.isin(persons.priority[pb1], (1, 7, 9))
    sel = np.flatnonzero(ok)
    earliest = np.maximum(day_b1[sel] + 120, day_index(SECOND_BOOSTER_START))
    pos, day_b2 = _match(earliest, slot_days("booster2", scale), rng, 20.0)
    pb2 = pb1[sel[pos]]
    number_b2 = np.where(kind_b1[sel[pos]] == BOOSTER, 2, 1)
    vac_b2 = _draw([SECOND_BOOSTER_MIX], np.zeros(len(pb2), dtype=np.int64), rng, VACCINES)
    person = np.concatenate([np.arange(n), p2, p3, pb1, pb2])
    day = np.concatenate([d1, day2, day3, day_b1, day_b2])
    keep = day <= last
    return Doses(
        person=person[keep].astype(np.int32),
        day=day[keep].astype(np.int32),
        vaccine=np.concatenate([first_vaccine, first_vaccine[p2], first_vaccine[p3], vac_b1,
                                vac_b2])[keep].astype(np.int8),
        kind=np.concatenate([np.full(n + len(p2) + len(p3), PRIMARY), kind_b1,
                             np.full(len(pb2), BOOSTER)])[keep].astype(np.int8),
        number=np.concatenate([np.ones(n), np.full(len(p2), 2), np.full(len(p3), 3),
                               np.ones(len(pb1)), number_b2])[keep].astype(np.int8),
    )
