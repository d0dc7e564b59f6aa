"""A stock ledger at the scale of 10M doses for bench.stock_ledger, written straight into
stock_movement with COPY (no rules, no facts: the reads under test use the ledger alone).

The supply chain of the campaign, one level feeding the next: a national store receives 500
lots (5 vaccines); each of the 63 province stores holds 40 of them, each of the 705 district
stores 12, each facility store (13 facilities per district, 9,165) 10: 103,130 warehouse x lot
pairs. Events per pair, as the ledger's commands and session closes write them:
- national: the RECEIPT, about 5 TRANSFER_OUTs to provinces, 2 COUNT adjustments;
- province and district: the TRANSFER_IN, a TRANSFER_OUT per store below (about 10), 2 counts;
- facility: the TRANSFER_IN, then per session an ISSUE of the doses given (about 20) and an
  OPEN_VIAL WASTAGE (the tally's two movements), sessions per lot geometric with mean 6 (a busy
  facility's lot has 30-80), and 0-3 counts.
About 1.5M movements; the facilities issue about 11M doses. Balances never go below zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.common import VACCINES, facilities_frame
from data import admin_units

LOTS = 500
PER_LEVEL = {"PROVINCE": 40, "DISTRICT": 12, "FACILITY": 10}
STRIDE = {"PROVINCE": 12, "DISTRICT": 41, "FACILITY": 50}  # distinct lots within a store
DAY0 = np.datetime64("2021-06-01T01:00:00")
DAY = np.timedelta64(86_400, "s")


def lots() -> pd.DataFrame:
    """The campaign's 500 lots: vaccine, lot number, expiry."""
    i = np.arange(LOTS)
    return pd.DataFrame({
        "vaccine_code": np.array(VACCINES)[i % len(VACCINES)],
        "lot_number": pd.Series(i).map("B{:04d}".format),
        "expiry_date": pd.Series(np.datetime64("2022-03-31") + (i % 180)).dt.strftime(
            "%Y-%m-%d"),
        "day": i * 0.6})  # a lot arrives every 0.6 days over ten months


def warehouses() -> pd.DataFrame:
    """The stores, as a warehouses interchange file (facility stores need the facilities)."""
    rows = [{"warehouse_code": "KHO-QG", "name": "Kho vắc xin quốc gia", "level": "NATIONAL",
             "province_code": "", "district_code": "", "facility_code": "", "parent": ""}]
    rows += [{"warehouse_code": f"KHO-{p}", "name": f"Kho tỉnh {p}", "level": "PROVINCE",
              "province_code": p, "district_code": "", "facility_code": "",
              "parent": "KHO-QG"} for p in sorted(admin_units.provinces())]
    rows += [{"warehouse_code": f"KHO-{d}", "name": f"Kho huyện {d}", "level": "DISTRICT",
              "province_code": u.parent_code, "district_code": d, "facility_code": "",
              "parent": f"KHO-{u.parent_code}"} for d, u in admin_units.districts().items()]
    fac = facilities_frame(13)
    rows += [{"warehouse_code": f"W{f.facility_code}", "name": f"Kho {f.facility_code}",
              "level": "FACILITY", "province_code": f.province_code,
              "district_code": f.district_code, "facility_code": f.facility_code,
              "parent": f"KHO-{f.district_code}"} for f in fac.itertuples()]
    return pd.DataFrame(rows)


def pairs(stores: pd.DataFrame) -> pd.DataFrame:
    """Every warehouse x lot the stores hold, with when the lot arrives there."""
    lot = lots()
    parts = [pd.DataFrame({"warehouse_code": "KHO-QG", "level": "NATIONAL", "parent": "",
                           "lot_i": np.arange(LOTS), "lag": 0.0})]
    for level, n in PER_LEVEL.items():
        level_stores = stores[stores["level"] == level].reset_index(drop=True)
        s = np.repeat(np.arange(len(level_stores)), n)
        j = np.tile(np.arange(n), len(level_stores))
        parts.append(pd.DataFrame({
            "warehouse_code": level_stores["warehouse_code"].to_numpy()[s], "level": level,
            "parent": level_stores["parent"].to_numpy()[s],
            "lot_i": (s * 7 + j * STRIDE[level]) % LOTS,
            "lag": {"PROVINCE": 3.0, "DISTRICT": 7.0, "FACILITY": 10.0}[level]}))
    out = pd.concat(parts, ignore_index=True)
    out = out.join(lot, on="lot_i")
    out["t0"] = DAY0 + ((out["day"] + out["lag"]) * 86_400).astype("int64").astype(
        "timedelta64[s]")
    return out.drop(columns=["day", "lag", "lot_i"])


def movements(pair: pd.DataFrame, seed: int = 12) -> pd.DataFrame:
    """The ledger's rows for every pair (stock_movement's columns)."""
    rng = np.random.default_rng(seed)
    fac = (pair["level"] == "FACILITY").to_numpy()
    n = len(pair)
    sessions = np.where(fac, rng.geometric(1 / 6, n), 0)
    outs = np.where(fac, 0, np.where(pair["level"] == "NATIONAL", 5, 10))
    counts = np.where(fac, rng.integers(0, 4, n), 2)
    given = rng.integers(12, 29, n)  # doses given per session at this facility
    size = np.where(fac, sessions * (given + 2) + 10 + rng.integers(0, 50, n),
                    outs * 1_000 + 100)
    t0 = pair["t0"].to_numpy()

    def rows(idx: np.ndarray, kind: str, doses: np.ndarray, at: np.ndarray,
             reason: str | None, cp: bool) -> pd.DataFrame:
        return pd.DataFrame({
            "occurred_at": at, "warehouse_code": pair["warehouse_code"].to_numpy()[idx],
            "movement_type": kind,
            "counterparty_code": pair["parent"].to_numpy()[idx] if cp else None,
            "vaccine_code": pair["vaccine_code"].to_numpy()[idx],
            "lot_number": pair["lot_number"].to_numpy()[idx],
            "expiry_date": pair["expiry_date"].to_numpy()[idx], "doses": doses,
            "reason": reason})

    everyone = np.arange(n)
    national = pair["level"].to_numpy() == "NATIONAL"
    parts = [
        rows(everyone[national], "RECEIPT", size[national], t0[national], None, False),
        rows(everyone[~national], "TRANSFER_IN", size[~national], t0[~national], None, True)]
    s_idx = np.repeat(everyone, sessions)
    s_at = t0[s_idx] + DAY + (rng.random(len(s_idx)) * 90 * 86_400).astype(
        "timedelta64[s]")
    parts.append(rows(s_idx, "ISSUE", given[s_idx], s_at, None, False))
    parts.append(rows(s_idx, "WASTAGE", np.full(len(s_idx), 2), s_at, "OPEN_VIAL", False))
    o_idx = np.repeat(everyone, outs)
    o_at = t0[o_idx] + DAY + (rng.random(len(o_idx)) * 5 * 86_400).astype("timedelta64[s]")
    parts.append(rows(o_idx, "TRANSFER_OUT", np.full(len(o_idx), 1_000), o_at, None, True))
    c_idx = np.repeat(everyone, counts)
    c_at = t0[c_idx] + (rng.random(len(c_idx)) * 120 * 86_400).astype("timedelta64[s]")
    # A count finds one dose more or less than the ledger (the 10 spare doses cover it).
    parts.append(rows(c_idx, "ADJUSTMENT", rng.choice([-1, 1], len(c_idx)), c_at, "COUNT",
                      False))
    out = pd.concat(parts, ignore_index=True)
    out["occurred_at"] = pd.to_datetime(out["occurred_at"]).dt.tz_localize("UTC")
    out.insert(0, "movement_id", pd.Series(np.arange(len(out))).map("G{:09d}".format))
    out["row_hash"] = 0
    return out
