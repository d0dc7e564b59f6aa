"""Names beside codes: tables carry GSO and facility codes, people read names.

`with_names` adds a `<level>_name` column after each `<level>_code` column a table has
(province, district, facility), from dim_geography and dim_facility, cached per data version.
A code without a name keeps an empty name (None), never a made-up one.
"""

from __future__ import annotations

import pandas as pd

from data.mcc import common
from data.mcc.queries import names as q
from data.services import Services

LEVELS = ("province", "district", "facility")


def province_names(svc: Services) -> dict[str, str]:
    """Province code -> name."""
    df = common.provinces(svc)
    return dict(zip(df["province_code"].astype(str), df["province_name"].astype(str),
                    strict=True))


def district_names(svc: Services) -> dict[str, str]:
    """District code -> name, for the whole country (district codes are national)."""

    def compute() -> dict[str, str]:
        with svc.engine.connect() as conn:
            df = q.district_names(conn)
        return dict(zip(df["district_code"].astype(str), df["district_name"].astype(str),
                        strict=True))

    return svc.cache.get_or_compute("mcc_district_names", {}, compute)


def facility_names(svc: Services) -> dict[str, str]:
    """Facility code -> name."""

    def compute() -> dict[str, str]:
        with svc.engine.connect() as conn:
            df = q.facility_names(conn)
        return dict(zip(df["facility_code"].astype(str), df["facility_name"].astype(str),
                        strict=True))

    return svc.cache.get_or_compute("mcc_facility_names", {}, compute)


def with_names(svc: Services, df: pd.DataFrame,
               levels: tuple[str, ...] = LEVELS) -> pd.DataFrame:
    """`df` with province_name, district_name and facility_name (of `levels`) beside the codes
    it holds (a name column already there is left as it is)."""
    lookups = {"province": province_names, "district": district_names,
               "facility": facility_names}
    out = df.copy()
    for level in levels:
        code, name = f"{level}_code", f"{level}_name"
        if code not in out or name in out:
            continue
        known = lookups[level](svc)
        values = out[code].map(lambda c, known=known: known.get(str(c)) if pd.notna(c) else None)
        out.insert(out.columns.get_loc(code) + 1, name, values.astype("object"))
    return out
