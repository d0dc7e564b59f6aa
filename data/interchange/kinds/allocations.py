"""allocations: vaccine allocation decisions (national -> province, province -> district)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import catalog
from data.interchange import parse
from data.interchange.kinds.base import Transformed, keep_last_per_key
from data.interchange.kinds.common import row_hash
from data.interchange.validate import Validator
from data.lookups import RefContext

KEY = "allocation_id"
REQUIRED = ["allocation_id", "decision_no", "decided_on", "vaccine_code", "recipient_code",
            "doses"]
OPERATIONAL = ["allocation_id", "decision_no", "decided_on", "vaccine_code", "recipient_code",
               "doses", "batch"]
_VKEY = {v.code: v.key for v in catalog.VACCINES}
# The widths of the allocation table's text columns: a longer cell is refused here, beside its
# field, rather than failing the whole load when the database will not hold it.
WIDTHS = {"allocation_id": 64, "decision_no": 60, "batch": 60}


def transform(v: Validator, ctx: RefContext, _extra: object = None) -> Transformed:
    """Validate an allocations file."""
    out = pd.DataFrame(index=v.raw.index)
    out["allocation_id"] = v.required_text("allocation_id")
    out["decision_no"] = v.required_text("decision_no")
    decided = v.date("decided_on")
    out["vaccine_code"] = v.choice("vaccine_code", _VKEY)
    raw = v.required_text("recipient_code").str.replace(r"\.0+$", "", regex=True)
    is_district = raw.str.len() == 3
    prov, _ = parse.code(raw.where(~is_district), 2)
    code = prov.where(~is_district, raw)
    known = code.isin(ctx.provinces) | code.isin(ctx.district_province.keys())
    v.reject(raw.notna() & ~known, "recipient_code", "unknown_area")
    out["recipient_code"] = code
    out["doses"] = v.integer("doses", required=True)
    v.reject(out["doses"].notna() & (out["doses"] <= 0), "doses", "not_positive")
    out["batch"] = v.optional_text("batch")
    for field, width in WIDTHS.items():
        v.reject(v.text(field).str.len() > width, field, "too_long", limit=width)
    ok = v.valid_mask()
    rows = out[ok].copy()
    rows["decided_on"] = parse.sql_date(decided[ok])
    rows["doses"] = rows["doses"].astype("int64")
    rows["row_hash"] = row_hash(rows[OPERATIONAL])
    rows["date_key"] = parse.date_key(decided[ok]).astype("int64")
    rows["vaccine_key"] = rows["vaccine_code"].map(_VKEY).astype("int64")
    district = rows["recipient_code"].str.len() == 3
    rows["recipient_level"] = np.where(district, "DISTRICT", "PROVINCE")
    rows["province_code"] = rows["recipient_code"].where(
        ~district, rows["recipient_code"].map(ctx.district_province))
    rows, dups = keep_last_per_key(rows, KEY)
    return Transformed(rows, v.rejects(), dups)
