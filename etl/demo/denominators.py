"""Population denominators that hold the demo's vaccinated people.

The demo follows the real national dose curve, and the real campaign vaccinated more adults,
teenagers and over-65s than the 2021 GSO estimate counts (registries counted people where
they lived when vaccinated; the estimate was older). A demo should not show that as plain
fact, so each district's age bands are raised, where needed, to hold its vaccinated people
at a coverage drawn between MIN_COVERAGE and MAX_COVERAGE: no district, province, age band
or national figure then exceeds 100%, and the pages' marker for figures above 100% stays for
real data. The national total grows by about 5% (to about 103.5 million).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import catalog
from etl.demo.curve import EPOCH
from etl.demo.injections import Placed
from etl.demo.people import Identities
from etl.demo.places import Geography
from etl.demo.schedule import PRIMARY, VACCINES

# Coverage of a district's age band where its vaccinated people would exceed the estimate.
MIN_COVERAGE, MAX_COVERAGE = 0.95, 0.995
# The population file's band columns, in catalog.AGE_BANDS order (0-4 is what is left).
BANDS = ("0-4", "5-11", "12-17", "18-64", "65+")
SERIES = np.array([catalog.VACCINE_BY_CODE[v].series_doses for v in VACCINES])


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of day indexes since EPOCH."""
    when = np.datetime64(EPOCH.isoformat(), "D") + days.astype("timedelta64[D]")
    months = when.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (when - months).astype(np.int64) + 1
    return year, month, day


def age_bands(birth_day: np.ndarray, dose_day: np.ndarray) -> np.ndarray:
    """Index into catalog.AGE_BANDS of the age in whole years on the day of each dose (as
    the loader computes it: data.interchange.kinds.common.age_band)."""
    by, bm, bd = _ymd(birth_day)
    y, m, d = _ymd(dose_day)
    age = np.maximum(y - by - ((m * 100 + d) < (bm * 100 + bd)), 0)
    edges = [lo for _, _, lo, _ in catalog.AGE_BANDS[1:]]
    return np.searchsorted(edges, age, side="right")


def vaccinated(placed: Placed, ids: Identities, n_districts: int) -> np.ndarray:
    """(district, band) people to hold: the larger of first doses and series completions by
    age band on the day (someone 17 at dose 1 may be 18 at dose 2)."""
    primary = placed.kind == PRIMARY
    first = primary & (placed.number == 1)
    done = primary & (placed.number == SERIES[placed.vaccine])
    out = np.zeros((n_districts, len(BANDS)), dtype=np.int64)
    for rows in (first, done):
        person = placed.person[rows]
        band = age_bands(ids.birth_day[person], placed.seconds[rows] // 86_400)
        cell = ids.district[person].astype(np.int64) * len(BANDS) + band
        counts = np.bincount(cell, minlength=n_districts * len(BANDS))
        out = np.maximum(out, counts.reshape(n_districts, len(BANDS)))
    return out


def fit_population(population: pd.DataFrame, geo: Geography, placed: Placed,
                   ids: Identities, rng: np.random.Generator) -> pd.DataFrame:
    """The population table with every district's bands raised to hold its vaccinated people
    (see the module's docstring); provinces are again the sums of their districts."""
    dist = population.set_index("area_code").loc[list(geo.district_codes)]
    bands = np.stack([
        dist["total"] - dist["age_5_11"] - dist["age_12_17"] - dist["age_18_plus"],
        dist["age_5_11"], dist["age_12_17"], dist["age_18_plus"] - dist["age_65_plus"],
        dist["age_65_plus"]], axis=1).astype(np.int64)
    need = vaccinated(placed, ids, len(geo.district_codes))
    cover = rng.uniform(MIN_COVERAGE, MAX_COVERAGE, need.shape)
    # Only bands that cannot hold their people change; the others keep the estimate's spread.
    # Rounded, not ceiled: a band of two or three people at a small scale would otherwise
    # grow by a third; it may then be fully vaccinated, never over.
    held = np.maximum(need, np.round(need / cover)).astype(np.int64)
    fitted = np.where(need > MAX_COVERAGE * bands, held, bands)
    out = pd.DataFrame({
        "area_code": geo.district_codes, "year": dist["year"].to_numpy(),
        "total": fitted.sum(axis=1), "age_18_plus": fitted[:, 3] + fitted[:, 4],
        "age_12_17": fitted[:, 2], "age_5_11": fitted[:, 1], "age_65_plus": fitted[:, 4]})
    prov = out.drop(columns=["area_code", "year"]).groupby(geo.district_province).sum()
    prov.insert(0, "year", out["year"].iloc[0])
    prov.insert(0, "area_code", geo.province_codes[prov.index.to_numpy()])
    return pd.concat([prov, out], ignore_index=True)[list(population.columns)]
