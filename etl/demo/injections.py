"""Place every dose at a facility and a time, and build the injection rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.demo.fmt import iso_times, zpad
from etl.demo.people import Identities
from etl.demo.places import Geography
from etl.demo.schedule import PRIMARY, VACCINES, Doses

KIND_NAMES = np.array(["PRIMARY", "ADDITIONAL", "BOOSTER"], dtype=object)
# Share of doses by hour of the day: morning sessions, a lunch break, afternoon sessions.
HOURS = {7: 0.06, 8: 0.14, 9: 0.15, 10: 0.14, 11: 0.10, 12: 0.03, 13: 0.08, 14: 0.12,
         15: 0.10, 16: 0.07, 17: 0.01}


@dataclass(frozen=True)
class Placed:
    """Doses given on or before `today`, in administration order."""

    person: np.ndarray
    seconds: np.ndarray  # local seconds since EPOCH
    facility: np.ndarray  # row of the facilities table
    vaccine: np.ndarray
    kind: np.ndarray
    number: np.ndarray


def _pick_in_groups(group: np.ndarray, members: np.ndarray, member_group: np.ndarray,
                    weight: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each row, a member of its group drawn with the members' weights."""
    order = np.lexsort((members, member_group))
    g, w, m = member_group[order], weight[order].astype(float), members[order]
    totals = np.bincount(g, weights=w, minlength=int(group.max()) + 1)
    cum = np.cumsum(w)
    start = np.concatenate([[0.0], np.cumsum(totals)])[g]
    # Key = group + share of the group's weight reached; one searchsorted serves all groups.
    key = g + (cum - start) / totals[g]
    idx = np.searchsorted(key, group + rng.random(len(group)) * (1 - 1e-12))
    return m[np.minimum(idx, len(m) - 1)]


def place_doses(doses: Doses, ids: Identities, facilities: pd.DataFrame, last_day: int,
                rng: np.random.Generator) -> Placed:
    """Choose facility and time of day for each dose up to `last_day`; sort by time."""
    keep = doses.day <= last_day
    person, day = doses.person[keep], doses.day[keep].astype(np.int64)
    active = np.flatnonzero(facilities["status"].to_numpy() == "ACTIVE")
    cap = facilities["_weight"].to_numpy()[active]
    f_dist = facilities["_district"].to_numpy()[active]
    f_prov = facilities["_province"].to_numpy()[active]
    n = len(ids.district)
    near = _pick_in_groups(ids.district, active, f_dist, cap, rng)
    other = _pick_in_groups(ids.province, active, f_prov, cap, rng)
    # Most people use a facility in their district; some where they work.
    home = np.where(rng.random(n) < 0.92, near, other)
    alt = _pick_in_groups(ids.district, active, f_dist, cap, rng)
    kind = doses.kind[keep]
    facility = np.where((kind != PRIMARY) & (rng.random(len(person)) < 0.3), alt[person],
                        home[person])
    hour = rng.choice(list(HOURS), len(person), p=list(HOURS.values()))
    second = hour * 3600 + rng.integers(0, 3600, len(person))
    second = np.where(hour == 7, 7 * 3600 + 1800 + second % 1800, second)  # sessions open 07:30
    seconds = day * 86_400 + second
    order = np.lexsort((person, seconds))
    return Placed(person[order], seconds[order], facility[order], doses.vaccine[keep][order],
                  kind[order], doses.number[keep][order])


def injection_frame(placed: Placed, rows: np.ndarray, ids: Identities, priority: np.ndarray,
                    geo: Geography, facilities: pd.DataFrame, lot_numbers: np.ndarray,
                    rng: np.random.Generator) -> pd.DataFrame:
    """The injection rows for a slice of placed doses (positions `rows`)."""
    p = placed.person[rows]
    fac = placed.facility[rows]
    ward = ids.ward[p]
    phone = ids.phone[p].copy()
    phone[rng.random(len(p)) < 0.05] = ""  # optional and often left blank at the desk
    f_codes = facilities["facility_code"].to_numpy()[fac]
    return pd.DataFrame({
        "record_id": record_ids(rows),
        "person_id": ids.person_id[p],
        "id_type": ids.id_type[p],
        "full_name": ids.full_name[p],
        "birth_date": ids.birth_date[p],
        "sex": ids.sex[p],
        "phone": phone,
        "priority_group": priority[p],
        "province_code": geo.province_codes[ids.province[p]],
        "district_code": geo.district_codes[ids.district[p]],
        "ward_code": np.where(ward >= 0, geo.ward_codes[np.maximum(ward, 0)], ""),
        "facility_code": f_codes,
        "vaccine_code": np.array(VACCINES, dtype=object)[placed.vaccine[rows]],
        "lot_number": lot_numbers,
        "dose_kind": KIND_NAMES[placed.kind[rows]],
        "dose_number": placed.number[rows],
        "administered_at": iso_times(placed.seconds[rows]),
        "vaccinator": f_codes + "-NV" + zpad(rng.integers(1, 13, len(p)), 2),
    }, dtype=object)  # plain objects: converting to pandas' string type costs more than it saves



def record_ids(positions: np.ndarray) -> np.ndarray:
    """Record ids of placed doses: INJ and the 1-based position, zero-padded."""
    return "INJ" + zpad(np.asarray(positions) + 1, 10)
