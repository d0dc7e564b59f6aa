"""Lots, the cold chain flow from the national store to facilities, and allocations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.demo.curve import EPOCH, month_of_day
from etl.demo.fmt import iso_dates, iso_times, zpad
from etl.demo.geo_constants import REGIONS, region_of
from etl.demo.places import Geography
from etl.demo.schedule import VACCINES

DAY, HOUR = 86_400, 3_600
# Doses per vial: multi-dose vials lose doses once opened (WHO open-vial policy).
VIAL = {"AZ": 10, "SPV": 5, "VRC": 1, "PFZ": 6, "MOD": 10, "JNJ": 5, "HYT": 1, "ABD": 10,
        "CVX": 10}
LOT_PREFIX = {"AZ": "ABV", "SPV": "II-", "VRC": "2021", "PFZ": "FK", "MOD": "300", "JNJ": "XE",
              "HYT": "HV", "ABD": "A", "CVX": "BB"}
# Days before the month of use at which a lot moves one level down the chain.
RECEIPT, TO_REGION, TO_PROVINCE, TO_DISTRICT, TO_FACILITY = 10, 8, 6, 4, 2
MOVEMENT_COLUMNS = ["movement_id", "occurred_at", "warehouse_code", "movement_type",
                    "counterparty_code", "vaccine_code", "lot_number", "expiry_date", "doses",
                    "reason"]


@dataclass(frozen=True)
class Lots:
    """One row per lot: a product delivered for one month to one region."""

    vaccine: np.ndarray
    region: np.ndarray
    month_start: np.ndarray  # day index
    expiry: np.ndarray  # day index
    number: np.ndarray


@dataclass(frozen=True)
class Flow:
    """Stock movements plus the amounts each province and district received per lot."""

    movements: pd.DataFrame
    to_province: pd.DataFrame  # province, lot, doses
    to_district: pd.DataFrame  # district, lot, doses


def assign_lots(seconds: np.ndarray, vaccine: np.ndarray, facility: np.ndarray,
                facilities: pd.DataFrame, geo: Geography,
                rng: np.random.Generator) -> tuple[Lots, np.ndarray]:
    """The lot of every dose: its product's delivery for that month to the facility's region."""
    regions = np.array([region_of(c) for c in geo.province_codes])
    region = regions[facilities["_province"].to_numpy()[facility]]
    month = month_of_day(seconds // DAY)
    keys, lot = np.unique((vaccine.astype(np.int64) * 64 + month) * 4 + region,
                          return_inverse=True)
    first = np.datetime64("2021-01", "M") + (keys // 4 % 64).astype("timedelta64[M]")
    month_start = (first.astype("datetime64[D]") - np.datetime64(EPOCH.isoformat(), "D")).astype(
        np.int64)
    v = keys // 256
    # Shelf life left on arrival: 6 to 9 months (COVAX and donated lots were often short).
    expiry = month_start - RECEIPT + rng.integers(180, 271, len(keys))
    return Lots(v, keys % 4, month_start, expiry, _lot_numbers(v, month_start, rng)), lot


def _lot_numbers(vaccine: np.ndarray, month_start: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    """Manufacturer-style lot numbers, unique."""
    out: list[str] = []
    seen: set[str] = set()
    for v, ms in zip(vaccine, month_start, strict=True):
        code = VACCINES[v]
        while True:
            if code == "VRC":
                ym = str(np.datetime64(EPOCH.isoformat(), "D") + int(ms) - 40)[:7].replace("-", "")
                number = f"{ym}B{rng.integers(1000, 10000)}"
            elif code == "PFZ":
                number = f"F{chr(65 + rng.integers(0, 26))}{rng.integers(1000, 10000)}"
            else:
                number = f"{LOT_PREFIX[code]}{rng.integers(10000, 100000)}"
            if number not in seen:
                break
        seen.add(number)
        out.append(number)
    return np.array(out, dtype=object)


def _rows(sec: np.ndarray, wh: np.ndarray, kind: str, cp: np.ndarray | str, lot: np.ndarray,
          doses: np.ndarray, reason: str = "") -> pd.DataFrame:
    """A block of movement rows of one type."""
    return pd.DataFrame({"sec": sec, "wh": wh, "type": kind, "cp": cp, "lot": lot,
                         "doses": doses, "reason": reason})


def _buffer(n: int, share: float, top: np.ndarray | int, rng: np.random.Generator) -> np.ndarray:
    """Spare doses kept at a level: zero for most, 1..top for a share."""
    return np.where(rng.random(n) < share, rng.integers(1, np.asarray(top) + 1, n), 0)


def stock_flow(seconds: np.ndarray, facility: np.ndarray, lot: np.ndarray, lots: Lots,
               facilities: pd.DataFrame, geo: Geography, last_day: int,
               rng: np.random.Generator) -> Flow:
    """Every movement from national receipt to facility use, never taking stock below zero."""
    f_code = facilities["facility_code"].to_numpy()
    f_dist = facilities["_district"].to_numpy()
    d_prov = geo.district_province
    ms = lots.month_start
    parts: list[pd.DataFrame] = []
    # Doses used: one ISSUE per facility, lot and week, on the week's last day of use;
    # stations that used under 20 doses of a lot report them once, at the end.
    day = seconds // DAY
    week = (day + EPOCH.weekday()) // 7
    pair = facility.astype(np.int64) * (int(lot.max(initial=0)) + 1) + lot
    _, inverse, per_pair = np.unique(pair, return_inverse=True, return_counts=True)
    week = np.where(per_pair[inverse] < 20, -1, week)
    use = (pd.DataFrame({"fac": facility, "lot": lot, "week": week, "day": day})
           .groupby(["fac", "lot", "week"], sort=True)["day"].agg(["size", "max"]).reset_index())
    fwh = "KCS-" + f_code[use["fac"].to_numpy()]
    parts.append(_rows(use["max"].to_numpy() * DAY + 21 * HOUR, fwh, "ISSUE", "",
                       use["lot"].to_numpy(), use["size"].to_numpy()))
    vial = np.array([VIAL[c] for c in VACCINES])[lots.vaccine[use["lot"].to_numpy()]]
    waste = np.where((vial > 1) & (rng.random(len(use)) < 0.5),
                     np.ceil(use["size"].to_numpy() * rng.uniform(0.01, 0.08, len(use))), 0)
    use["waste"] = waste.astype(np.int64)
    w = use[use["waste"] > 0]
    parts.append(_rows(w["max"].to_numpy() * DAY + 21 * HOUR + 300, "KCS-" + f_code[w["fac"]],
                       "WASTAGE", "", w["lot"].to_numpy(), w["waste"].to_numpy(), "OPEN_VIAL"))
    # Per facility and lot: what it must have received, and what is left at the end.
    fl = use.groupby(["fac", "lot"], sort=True).agg(
        used=("size", "sum"), waste=("waste", "sum"), last=("max", "max")).reset_index()
    fac, flot = fl["fac"].to_numpy(), fl["lot"].to_numpy()
    buf = _buffer(len(fl), 0.06, np.maximum(1, np.ceil(fl["used"] * 0.05)).astype(np.int64), rng)
    got = fl["used"].to_numpy() + fl["waste"].to_numpy() + buf
    count_day = (fl["last"].to_numpy() + 1) * DAY
    neg = np.where((buf > 0) & (rng.random(len(fl)) < 0.25),
                   rng.integers(1, np.maximum(buf, 1) + 1), 0)
    pos = np.where(rng.random(len(fl)) < 0.02, rng.integers(1, 4, len(fl)), 0)
    fwh = "KCS-" + f_code[fac]
    dwh = "KH-" + geo.district_codes[f_dist[fac]]
    parts += _transfer(dwh, fwh, flot, got, ms[flot] - TO_FACILITY)
    m = neg > 0
    parts.append(_rows(count_day[m] + 10 * HOUR, fwh[m], "ADJUSTMENT", "", flot[m], -neg[m],
                       "COUNT"))
    m = pos > 0
    parts.append(_rows(count_day[m] + 11 * HOUR, fwh[m], "ADJUSTMENT", "", flot[m], pos[m],
                       "COUNT"))
    parts.append(_expired(fwh, flot, buf - neg + pos, lots))
    # District, province, region and national levels, each passing on what is below it.
    dl = pd.DataFrame({"g": f_dist[fac], "lot": flot, "doses": got}).groupby(
        ["g", "lot"], sort=True)["doses"].sum().reset_index()
    g, dlot = dl["g"].to_numpy(), dl["lot"].to_numpy()
    broken = _buffer(len(dl), 0.02, 5, rng)
    dbuf = _buffer(len(dl), 0.12, 10, rng)
    d_got = dl["doses"].to_numpy() + broken + dbuf
    dwh, pwh = "KH-" + geo.district_codes[g], "KT-" + geo.province_codes[d_prov[g]]
    parts += _transfer(pwh, dwh, dlot, d_got, ms[dlot] - TO_DISTRICT)
    m = broken > 0
    parts.append(_rows((ms[dlot][m] - TO_DISTRICT + 1) * DAY + 10 * HOUR, dwh[m], "WASTAGE", "",
                       dlot[m], broken[m], "BROKEN"))
    parts.append(_expired(dwh, dlot, dbuf, lots))
    pl = pd.DataFrame({"g": d_prov[g], "lot": dlot, "doses": d_got}).groupby(
        ["g", "lot"], sort=True)["doses"].sum().reset_index()
    pg, plot = pl["g"].to_numpy(), pl["lot"].to_numpy()
    vvm = _buffer(len(pl), 0.01, 10, rng)
    pbuf = _buffer(len(pl), 0.3, 20, rng)
    p_got = pl["doses"].to_numpy() + vvm + pbuf
    pwh = "KT-" + geo.province_codes[pg]
    rwh = np.array([r[0] for r in REGIONS], dtype=object)[lots.region[plot]]
    parts += _transfer(rwh, pwh, plot, p_got, ms[plot] - TO_PROVINCE)
    m = vvm > 0
    parts.append(_rows((ms[plot][m] - TO_PROVINCE + 1) * DAY + 10 * HOUR, pwh[m], "WASTAGE", "",
                       plot[m], vvm[m], "VVM_CHANGE"))
    parts.append(_expired(pwh, plot, pbuf, lots))
    rl = pd.DataFrame({"lot": plot, "doses": p_got}).groupby("lot", sort=True)["doses"].sum()
    rlot = rl.index.to_numpy()
    rbuf = _buffer(len(rl), 0.3, 50, rng)
    r_got = rl.to_numpy() + rbuf
    rwh = np.array([r[0] for r in REGIONS], dtype=object)[lots.region[rlot]]
    kqg = np.full(len(rlot), "KQG", dtype=object)
    parts += _transfer(kqg, rwh, rlot, r_got, ms[rlot] - TO_REGION)
    parts.append(_expired(rwh, rlot, rbuf, lots))
    nbuf = _buffer(len(rl), 0.5, 100, rng)
    parts.append(_rows((ms[rlot] - RECEIPT) * DAY + 9 * HOUR, kqg, "RECEIPT", "", rlot,
                       r_got + nbuf))
    parts.append(_expired(kqg, rlot, nbuf, lots))
    movements = _finish(pd.concat(parts, ignore_index=True), lots, last_day)
    return Flow(
        movements,
        pd.DataFrame({"province": pg, "lot": plot, "doses": p_got}),
        pd.DataFrame({"district": g, "lot": dlot, "doses": d_got}),
    )


def _transfer(src: np.ndarray, dst: np.ndarray, lot: np.ndarray, doses: np.ndarray,
              day: np.ndarray) -> list[pd.DataFrame]:
    """A TRANSFER_OUT in the morning and the matching TRANSFER_IN in the afternoon."""
    return [_rows(day * DAY + 8 * HOUR, src, "TRANSFER_OUT", dst, lot, doses),
            _rows(day * DAY + 15 * HOUR, dst, "TRANSFER_IN", src, lot, doses)]


def _expired(wh: np.ndarray, lot: np.ndarray, left: np.ndarray, lots: Lots) -> pd.DataFrame:
    """Whatever is left of a lot is written off on its expiry date."""
    m = left > 0
    return _rows(lots.expiry[lot[m]] * DAY + 16 * HOUR, wh[m], "WASTAGE", "", lot[m], left[m],
                 "EXPIRED")


def _finish(rows: pd.DataFrame, lots: Lots, last_day: int) -> pd.DataFrame:
    """Drop what lies after `today`, order by time, number and format."""
    rows = rows[rows["sec"] < (last_day + 1) * DAY]
    rows = rows.sort_values(["sec", "wh", "lot", "type"], kind="stable").reset_index(drop=True)
    lot = rows["lot"].to_numpy()
    return pd.DataFrame({
        "movement_id": "SM" + zpad(np.arange(1, len(rows) + 1), 10),
        "occurred_at": iso_times(rows["sec"].to_numpy()),
        "warehouse_code": rows["wh"].to_numpy(),
        "movement_type": rows["type"].to_numpy(),
        "counterparty_code": rows["cp"].to_numpy(),
        "vaccine_code": np.array(VACCINES, dtype=object)[lots.vaccine[lot]],
        "lot_number": lots.number[lot],
        "expiry_date": iso_dates(lots.expiry[lot]),
        "doses": rows["doses"].to_numpy().astype(np.int64),
        "reason": rows["reason"].to_numpy(),
    }, dtype=object).assign(_sec=rows["sec"].to_numpy())
