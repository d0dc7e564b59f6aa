"""The national daily dose curve of the real 2021-2022 campaign, scaled down."""

from __future__ import annotations

import datetime as dt

import numpy as np

# Day 0 of every day index in the generator.
EPOCH = dt.date(2021, 1, 1)
FIRST_DAY = dt.date(2021, 3, 8)  # first doses, AstraZeneca, health-care workers
LAST_DAY = dt.date(2022, 12, 31)

# Monthly national doses: (month, all doses, first doses, later primary doses); the rest
# are additional and booster doses. 2021 totals are the national monthly figures of the
# product issue (151.0M by end 2021); 2022 totals and the whole first/primary/booster split
# were derived offline from Our World in Data's Vietnam series (CC BY 4.0): cumulative
# total_vaccinations, people_vaccinated and people_fully_vaccinated interpolated to month
# ends; boosters = total - first - later primary (4.7M in Dec 2021, 23.6M in Jan 2022).
MONTHLY: tuple[tuple[str, int, int, int], ...] = (
    ("2021-03", 50_000, 50_000, 0),
    ("2021-04", 470_000, 460_000, 10_000),
    ("2021-05", 580_000, 560_000, 20_000),
    ("2021-06", 2_670_000, 2_510_000, 160_000),
    ("2021-07", 2_430_000, 2_000_000, 430_000),
    ("2021-08", 14_000_000, 11_900_000, 2_100_000),
    ("2021-09", 22_700_000, 15_590_000, 7_110_000),
    ("2021-10", 39_000_000, 24_260_000, 14_680_000),
    ("2021-11", 40_200_000, 14_170_000, 25_780_000),
    ("2021-12", 28_900_000, 6_100_000, 18_100_000),
    ("2022-01", 30_430_000, 1_470_000, 5_380_000),
    ("2022-02", 13_540_000, 300_000, 3_270_000),
    ("2022-03", 11_370_000, 680_000, 890_000),
    ("2022-04", 8_600_000, 1_840_000, 680_000),
    ("2022-05", 6_460_000, 2_590_000, 630_000),
    ("2022-06", 11_280_000, 1_970_000, 790_000),
    ("2022-07", 13_270_000, 1_790_000, 1_700_000),
    ("2022-08", 11_130_000, 1_360_000, 1_890_000),
    ("2022-09", 3_060_000, 400_000, 730_000),
    ("2022-10", 1_850_000, 70_000, 110_000),
    ("2022-11", 2_550_000, 100_000, 740_000),
    ("2022-12", 940_000, 20_000, 600_000),
)
# Share of the month's booster doses that are second boosters (50+, health workers and
# the chronically ill from late May 2022).
SECOND_BOOSTER_SHARE: dict[str, float] = {
    "2022-06": 0.35, "2022-07": 0.5, "2022-08": 0.5, "2022-09": 0.5,
    "2022-10": 0.55, "2022-11": 0.55, "2022-12": 0.55,
}
# Monday..Sunday: campaigns ran every day, a little slower at weekends.
WEEKDAY_FACTOR = np.array([1.03, 1.05, 1.05, 1.04, 1.02, 0.95, 0.86])


def day_index(day: dt.date) -> int:
    """Days since EPOCH."""
    return (day - EPOCH).days


def n_days() -> int:
    """Number of day indices covering the campaign."""
    return day_index(LAST_DAY) + 1


def month_of_day(days: np.ndarray) -> np.ndarray:
    """Month index (0 = 2021-01) of each day index."""
    d = np.datetime64(EPOCH.isoformat(), "D") + days.astype("timedelta64[D]")
    return (d.astype("datetime64[M]") - np.datetime64("2021-01", "M")).astype(np.int64)


def monthly_targets() -> dict[str, dict[str, int]]:
    """Full-scale doses per month split into first, primary, booster1 and booster2."""
    out: dict[str, dict[str, int]] = {}
    for month, total, first, primary in MONTHLY:
        boosters = total - first - primary
        second = int(round(boosters * SECOND_BOOSTER_SHARE.get(month, 0.0)))
        out[month] = {
            "total": total, "first": first, "primary": primary,
            "booster1": boosters - second, "booster2": second,
        }
    return out


def daily_counts(component: str, scale: float) -> np.ndarray:
    """Integer doses per day index for one component, smooth within months."""
    months = monthly_targets()
    starts = [dt.date.fromisoformat(m + "-01") for m in months]
    ends = [*starts[1:], LAST_DAY + dt.timedelta(days=1)]
    days = np.arange(n_days())
    mids, rates = [], []
    for s, e, m in zip(starts, ends, months, strict=True):
        lo = max(day_index(s), day_index(FIRST_DAY))
        mids.append((lo + day_index(e)) / 2)
        rates.append(months[m][component] / (day_index(e) - lo))
    # Interpolating the rate between mid-months avoids steps at month boundaries.
    rate = np.interp(days, mids, rates) * WEEKDAY_FACTOR[(days + EPOCH.weekday()) % 7]
    rate[days < day_index(FIRST_DAY)] = 0.0
    for s, e, m in zip(starts, ends, months, strict=True):
        sl = slice(day_index(s), day_index(e))
        total = rate[sl].sum()
        if total > 0:
            rate[sl] *= months[m][component] / total
    cum = np.round(np.cumsum(rate) * scale).astype(np.int64)
    return np.diff(cum, prepend=0)


def slot_days(component: str, scale: float) -> np.ndarray:
    """One day index per dose slot of a component, ascending."""
    counts = daily_counts(component, scale)
    return np.repeat(np.arange(len(counts), dtype=np.int32), counts)
