"""Health declarations in the command center: counts per day and province of residence from
agg_health_declaration_daily (kept by data.citizen.declaration's own write; no personal data).

Small cells are suppressed: a count from 1 to MIN_CELL - 1 is published as None ("< 5"), so a
village's one declaration with symptoms does not point at a person. Where a total is
published beside its cells (the country's day beside its provinces), a lone suppressed cell
would come back by subtraction, so the smallest other non-zero cell of that column is
suppressed with it (secondary suppression). The table is small (a row per day and province)
and read uncached: declarations do not bump the data version (data.citizen.declaration).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from data.models.citizen import AggHealthDeclarationDaily
from data.services import Services

ROLLUP = AggHealthDeclarationDaily.__table__
MEASURES = ["declarations", "with_symptoms", "with_contact", "with_travel"]
MIN_CELL = 5
DAYS = 7


def last_day(svc: Services) -> dt.date | None:
    """The latest day with declarations, None when there are none."""
    with svc.engine.connect() as conn:
        day = conn.execute(select(func.max(ROLLUP.c.day)).where(
            ROLLUP.c.declarations > 0)).scalar_one()
    return dt.date.fromisoformat(day) if isinstance(day, str) else day


def _read(svc: Services, start: dt.date, end: dt.date, province_code: str | None
          ) -> pd.DataFrame:
    q = select(ROLLUP).where(ROLLUP.c.day >= start, ROLLUP.c.day <= end,
                             ROLLUP.c.declarations > 0)
    if province_code:
        q = q.where(ROLLUP.c.province_code == province_code)
    with svc.engine.connect() as conn:
        df = pd.DataFrame(conn.execute(q).mappings().all(),
                          columns=["day", "province_code", *MEASURES])
    df["day"] = pd.to_datetime(df["day"]).dt.date
    return df.astype({m: "int64" for m in MEASURES})


def _primary(df: pd.DataFrame) -> pd.DataFrame:
    """Counts from 1 to MIN_CELL - 1 as None (object columns: None, not NaN)."""
    out = df.copy()
    for m in MEASURES:
        values = out[m].astype("object")
        out[m] = values.where(~((out[m] > 0) & (out[m] < MIN_CELL)), None)
    return out


def _secondary(raw: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Within each day, a column with exactly one suppressed cell loses its smallest other
    non-zero cell too (the day's total is published)."""
    out = shown.copy()
    for _day, rows in raw.groupby("day"):
        for m in MEASURES:
            hidden = out.loc[rows.index, m].isna()
            if hidden.sum() != 1:
                continue
            others = rows.loc[~hidden & (rows[m] > 0), m]
            if len(others):
                out.loc[others.idxmin(), m] = None
    return out


def by_province(svc: Services, day: dt.date | None = None) -> pd.DataFrame:
    """The provinces' counts of `day` (default: the latest day with declarations), suppressed:
    day, province_code and the MEASURES (None where suppressed)."""
    day = day or last_day(svc)
    if day is None:
        return pd.DataFrame(columns=["day", "province_code", *MEASURES])
    raw = _read(svc, day, day, None).sort_values("province_code").reset_index(drop=True)
    return _secondary(raw, _primary(raw))


def by_day(svc: Services, end: dt.date | None = None, province_code: str | None = None,
           days: int = DAYS) -> pd.DataFrame:
    """The country's (or one province's) counts per day of the `days` days up to `end`
    (default: the latest day with declarations), suppressed: day and the MEASURES."""
    end = end or last_day(svc)
    if end is None:
        return pd.DataFrame(columns=["day", *MEASURES])
    raw = _read(svc, end - dt.timedelta(days=days - 1), end, province_code)
    totals = raw.groupby("day")[MEASURES].sum().reset_index().sort_values("day")
    return _primary(totals).reset_index(drop=True)
