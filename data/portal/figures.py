"""The public figures of the portal: doses, coverage by province, vaccine allocated and
received, registrations, AEFI rates per 100,000 doses.

Composed from the command center's own named reads (data.rollup_reads: same statements, same
cache entries keyed by data version), so every number here is the command center's. Counts
under data.safe_cells.MIN_CELL are suppressed (None, and named in the row's "suppressed"), and
so is any rate computed from them. Nothing personal: counts and rates per province at most.

"As of" is the command center's default: the last day with doses (a historic campaign stays
readable), today's date when there are none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from data import catalog, rollup_reads
from data.clock import local_today
from data.safe_cells import MIN_CELL, shown_count, shown_rate
from data.services import Services

PER_DOSES = 100_000  # AEFI rates are per 100,000 doses (the Ministry's and WHO's unit)
NATIONAL_COUNTS = ("doses", "today_doses", "last_day_doses", "dose1", "fully", "booster",
                   "registrations")
PROVINCE_COUNTS = ("doses", "dose1", "fully", "booster")
COVERAGE = (("pct_dose1", "dose1"), ("pct_fully", "fully"), ("pct_booster", "booster"))


def _key_date(key: int) -> dt.date:
    return dt.date(key // 10000, key // 100 % 100, key % 100)


def _date_key(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _known(value: Any) -> int | None:
    """A whole number, or None for a missing one (a province without a population)."""
    return None if value is None or pd.isna(value) else int(value)


def _row(raw: dict[str, Any], counts: tuple[str, ...],
         rates: dict[str, float | None]) -> dict[str, Any]:
    """`raw` with its counts and rates suppressed where small; "suppressed" names them."""
    out = dict(raw)
    for col in counts:
        out[col] = shown_count(int(raw[col]))
    out |= rates
    out["suppressed"] = [c for c in (*counts, *rates) if out[c] is None]
    return out


def _national(k: dict[str, Any], registrations: int, today: dt.date) -> dict[str, Any]:
    population = int(k["population"] or 0)
    raw = {"doses": k["doses"], "today_doses": k["today"], "last_day_doses": k["last_day_doses"],
           "dose1": k["dose1"], "fully": k["fully"], "booster": k["booster"],
           "registrations": registrations}
    rates = {pct: shown_rate(int(k[col]), population) for pct, col in COVERAGE}
    row = _row(raw, NATIONAL_COUNTS, rates)
    last = int(k["last_date_key"] or 0)
    return row | {"population": population, "today": today.isoformat(),
                  "last_date": _key_date(last).isoformat() if last else None}


def _provinces(cov: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for r in cov.itertuples(index=False):
        population = _known(r.population)
        raw = {"province_code": r.province_code, "province_name": r.province_name,
               "population": population, "doses": r.doses, "dose1": r.dose1, "fully": r.fully,
               "booster": r.booster}
        rates = {pct: shown_rate(int(getattr(r, col)), population) for pct, col in COVERAGE}
        rows.append(_row(raw, PROVINCE_COUNTS, rates))
    return rows


def _vaccines(svc: Services, as_of_key: int) -> list[dict[str, Any]]:
    """Per vaccine: doses allocated to the provinces by the Ministry and received by them (from
    outside the province), up to as_of, as the command center's allocation page sums them."""
    alloc = rollup_reads.allocations(svc)
    alloc = alloc[(alloc["date_key"] <= as_of_key) & (alloc["recipient_level"] == "PROVINCE")]
    rec = rollup_reads.received_from_outside(rollup_reads.receipts(svc, as_of_key),
                                             "province_code")
    table = pd.DataFrame({"allocated": alloc.groupby("vaccine_code")["doses"].sum(),
                          "received": rec.groupby("vaccine_code")["doses"].sum()})
    table = table.fillna(0).astype("int64")
    rows = []
    for v in catalog.VACCINES:  # the catalogue's order, products with any supply only
        if v.code not in table.index:
            continue
        raw = {"vaccine_code": v.code, "vaccine_name": v.name,
               "allocated": table.at[v.code, "allocated"],
               "received": table.at[v.code, "received"]}
        rows.append(_row(raw, ("allocated", "received"), {}))
    return rows


def _aefi_row(raw: dict[str, Any], doses: int, cases: int, serious: int) -> dict[str, Any]:
    rates = {"rate_per_100k": shown_rate(cases, doses, PER_DOSES),
             "serious_per_100k": shown_rate(serious, doses, PER_DOSES)}
    return _row(raw | {"doses": doses, "cases": cases, "serious": serious},
                ("doses", "cases", "serious"), rates)


def _aefi(svc: Services, as_of_key: int, national_doses: int,
          cov: pd.DataFrame) -> dict[str, Any]:
    """Cases reported up to as_of over doses up to as_of, nationally and per province of
    residence (the command center's AEFI page: same cases, same denominators)."""
    cases = rollup_reads.aefi_cases(svc, as_of_key)
    per = cases.groupby("province_code").agg(cases=("report_id", "size"),
                                             serious=("is_serious", "sum"))
    national = _aefi_row({}, national_doses, len(cases), int(cases["is_serious"].sum()))
    provinces = [
        _aefi_row({"province_code": r.province_code, "province_name": r.province_name},
                  int(r.doses), int(per["cases"].get(r.province_code, 0)),
                  int(per["serious"].get(r.province_code, 0)))
        for r in cov.itertuples(index=False)]
    return {"national": national, "provinces": provinces}


def _build(svc: Services, today: dt.date) -> dict[str, Any]:
    k = rollup_reads.national_kpis(svc, today)
    last = int(k["last_date_key"] or 0)
    as_of_key = last or _date_key(today)
    cov = rollup_reads.coverage_by_province(svc)
    return {
        "as_of": _key_date(as_of_key).isoformat(),
        "national": _national(k, rollup_reads.registrations_count(svc), today),
        "provinces": _provinces(cov),
        "vaccines": _vaccines(svc, as_of_key),
        "aefi": _aefi(svc, as_of_key, int(k["doses"]), cov),
        "min_cell": MIN_CELL,
    }


def public_figures(svc: Services, today: dt.date | None = None) -> dict[str, Any]:
    """Every public figure as plain JSON-ready values, built once per data version and day in
    each worker. Suppressed figures are None and listed in their row's "suppressed"."""
    day = today or local_today(svc)
    return svc.cache.memo("portal_figures", {"today": day.isoformat()},
                          lambda: _build(svc, day))


def version(svc: Services) -> int:
    """The data version the figures were built at (their ETag and refresh signal)."""
    return svc.cache.version()
