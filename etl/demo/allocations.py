"""Allocation decisions: the Ministry's to provinces, some provinces' to districts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo.curve import EPOCH
from etl.demo.fmt import iso_dates, zpad
from etl.demo.places import Geography
from etl.demo.schedule import VACCINES
from etl.demo.stock import RECEIPT, TO_PROVINCE, Flow, Lots


def allocations(flow: Flow, lots: Lots, geo: Geography, last_day: int,
                rng: np.random.Generator) -> pd.DataFrame:
    """Ministry decisions per product and month to provinces; some provinces' to districts."""
    tp = flow.to_province
    # One Ministry decision per product and month, decided after the national receipt and
    # before the regional stores ship to provinces.
    dec_key = lots.vaccine[tp["lot"]] * 10_000 + lots.month_start[tp["lot"]]
    decisions = np.unique(dec_key)
    dec_day = decisions % 10_000 - RECEIPT + 1
    year = (np.datetime64(EPOCH.isoformat(), "D") + dec_day.astype("timedelta64[D]")).astype(
        "datetime64[Y]").astype(np.int64) + 1970
    order = np.argsort(dec_day, kind="stable")
    number = np.empty(len(decisions), dtype=np.int64)
    step = rng.integers(30, 110, len(decisions))
    for y in np.unique(year):  # decision numbers restart every January
        idx = order[year[order] == y]
        number[idx] = 150 + np.cumsum(step[idx])
    batch = np.empty(len(decisions), dtype=np.int64)
    batch[order] = np.arange(1, len(decisions) + 1)
    d_idx = np.searchsorted(decisions, dec_key)
    national = pd.DataFrame({
        "decision_no": pd.Series(number[d_idx]).astype(str).to_numpy() + "/QĐ-BYT",
        "day": dec_day[d_idx],
        "vaccine_code": np.array(VACCINES, dtype=object)[lots.vaccine[tp["lot"]]],
        "recipient_code": geo.province_codes[tp["province"]],
        "doses": tp["doses"].to_numpy(),
        "batch": "Đợt " + pd.Series(batch[d_idx]).astype(str).to_numpy(),
    })
    td = flow.to_district
    prov = geo.district_province[td["district"].to_numpy()]
    # Some provinces also send their district split as a formal decision.
    chosen = rng.random(len(geo.province_codes)) < 0.1
    td = td[chosen[prov]]
    prov = geo.district_province[td["district"].to_numpy()]
    pkey = prov * 100_000 + lots.month_start[td["lot"]] * 10 + lots.vaccine[td["lot"]]
    pdec, p_idx = np.unique(pkey, return_inverse=True)
    provincial = pd.DataFrame({
        "decision_no": (pd.Series(rng.integers(100, 4000, len(pdec))[p_idx]).astype(str)
                        + "/QĐ-UBND").to_numpy(),
        "day": lots.month_start[td["lot"]] - TO_PROVINCE + 1,
        "vaccine_code": np.array(VACCINES, dtype=object)[lots.vaccine[td["lot"]]],
        "recipient_code": geo.district_codes[td["district"].to_numpy()],
        "doses": td["doses"].to_numpy(),
        "batch": "",
    })
    out = pd.concat([national, provincial], ignore_index=True)
    out = out[out["day"] <= last_day].sort_values(
        ["day", "decision_no", "recipient_code"], kind="stable").reset_index(drop=True)
    out.insert(0, "allocation_id", "AL" + zpad(np.arange(1, len(out) + 1), 7))
    out.insert(2, "decided_on", iso_dates(out.pop("day").to_numpy()))
    return out[["allocation_id", "decision_no", "decided_on", "vaccine_code", "recipient_code",
                "doses", "batch"]]
