"""The province's periodic report (Operations II, task B): over a period, doses by product,
dose kind and priority group; stock at the period's end; wastage by product and reason with
its rate; AEFI reported in the period. One province, the one the reader works in (national
readers: any).

Each section counts as the dashboard that shows the same figure, so the report an officer
sends upward says what the command center says:
- doses: by residence, as coverage (data.mcc.progress): the period's doses are the
  cumulative figure at its end less the one the day before it starts;
- stock: the reports page's stock section at the period's end (data.mcc.reports), the
  province's own stores (province, district, facility levels);
- wastage: WASTAGE movements of the period at those stores, by reason; the rate is WHO's
  wasted / (administered + wasted), the doses administered counted where they were given
  (facilities of the province), as the stock page counts use;
- AEFI: reports dated in the period (data.mcc.aefi), by the vaccinated person's residence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data.auth.roles import Forbidden, Principal
from data.catalog import DOSE_KINDS, MOVEMENT_REASONS, SEVERITIES
from data.mcc import aefi, common, reports
from data.mcc.queries import periodic as q
from data.services import Services

MAX_DAYS = 366
CLASSES = ("A", "B", "C", "UNCLASSIFIABLE", "NONE")


class PeriodError(ValueError):
    """A period the report cannot cover: `code` is the message id of the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PeriodicReport:
    """The report's header and its sections (plain DataFrames, totals not included)."""

    province_code: str
    province_name: str
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    doses: pd.DataFrame            # vaccine_code, dose_kind, priority_group, doses
    by_product: pd.DataFrame       # vaccine_code, PRIMARY, ADDITIONAL, BOOSTER, total
    by_group: pd.DataFrame         # priority_group, PRIMARY, ADDITIONAL, BOOSTER, total
    stock: pd.DataFrame            # vaccine_code, on_hand, expiring_30d, lots
    wastage: pd.DataFrame          # vaccine_code, reason, wasted, rate_pct
    wastage_rate: pd.DataFrame     # vaccine_code, administered, wasted, used, rate_pct
    aefi: pd.DataFrame             # vaccine_code, MILD, SERIOUS, total
    aefi_serious: pd.DataFrame     # classification, cases

    def totals(self) -> dict[str, int | float | None]:
        """The summary's figures."""
        used = int(self.wastage_rate["used"].sum())
        wasted = int(self.wastage_rate["wasted"].sum())
        return {"doses": int(self.doses["doses"].sum()),
                "on_hand": int(self.stock["on_hand"].sum()),
                "wasted": wasted,
                "rate_pct": round(100.0 * wasted / used, 2) if used else None,
                "aefi": int(self.aefi["total"].sum()),
                "aefi_serious": int(self.aefi["SERIOUS"].sum())}


def check(principal: Principal, province_code: str, start: dt.date, end: dt.date) -> None:
    """Forbidden outside the reader's provinces; PeriodError for a period it cannot cover."""
    if not (principal.national or province_code in principal.provinces()):
        raise Forbidden(f"{principal.username} may not report on province {province_code}")
    if end < start:
        raise PeriodError("periodic.reversed")
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError("periodic.too_long")


def _wide(df: pd.DataFrame, row: str, col: str, values: tuple[str, ...],
          count: str) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in (row, *values, "total")})
    out = df.pivot_table(index=row, columns=col, values=count, aggfunc="sum", fill_value=0)
    out = out.reindex(columns=list(values), fill_value=0).astype("int64")
    out["total"] = out.sum(axis=1)
    out.columns.name = None
    return out.reset_index()


def _wastage(svc: Services, lo: int, hi: int, province_code: str
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    def compute() -> tuple[pd.DataFrame, pd.DataFrame]:
        with svc.engine.connect() as conn:
            return (q.wasted(conn, lo, hi, province_code),
                    q.given_at(conn, lo, hi, province_code))

    wasted, given = svc.cache.get_or_compute(
        "mcc_periodic_wastage", {"lo": lo, "hi": hi, "p": province_code}, compute)
    per = wasted.groupby("vaccine_code")["wasted"].sum()
    rate = pd.DataFrame({"administered": given.set_index("vaccine_code")["administered"],
                         "wasted": per}).fillna(0).astype("int64")
    rate["used"] = rate["administered"] + rate["wasted"]
    rate["rate_pct"] = common.pct(rate["wasted"], rate["used"])
    rate = rate.rename_axis("vaccine_code").reset_index()
    order = {r: i for i, r in enumerate(MOVEMENT_REASONS)}
    detail = wasted.assign(_o=wasted["reason"].map(order)).sort_values(["vaccine_code", "_o"])
    detail = detail.drop(columns="_o").merge(rate[["vaccine_code", "used"]], on="vaccine_code")
    detail["rate_pct"] = common.pct(detail["wasted"], detail["used"])
    return (detail[["vaccine_code", "reason", "wasted", "rate_pct"]].reset_index(drop=True),
            rate.sort_values("vaccine_code").reset_index(drop=True))


def _doses(svc: Services, lo: int, hi: int, province_code: str) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.doses(conn, lo, hi, province_code)

    df = svc.cache.get_or_compute("mcc_periodic_doses",
                                  {"lo": lo, "hi": hi, "p": province_code}, compute)
    return df.sort_values(["vaccine_code", "dose_kind", "priority_group"]).reset_index(drop=True)


def periodic_report(svc: Services, principal: Principal, province_code: str, start: dt.date,
                    end: dt.date, generated_at: dt.datetime | None = None) -> PeriodicReport:
    """The report of one province over [start, end] (see the module doc); Forbidden outside
    the reader's provinces, PeriodError for a reversed or too long period, LookupError for an
    unknown province."""
    check(principal, province_code, start, end)
    names = common.provinces(svc).set_index("province_code")["province_name"]
    if province_code not in names.index:
        raise LookupError(province_code)
    lo, hi = common.date_key(start), common.date_key(end)
    doses = _doses(svc, lo, hi, province_code)
    wastage, rate = _wastage(svc, lo, hi, province_code)
    cases = aefi.reported_between(svc, start, end, province_code)
    serious = cases[cases["is_serious"]]
    classes = serious["classification"].fillna("NONE").value_counts()
    return PeriodicReport(
        province_code, str(names[province_code]), start, end,
        generated_at or dt.datetime.now(dt.UTC), doses,
        _wide(doses, "vaccine_code", "dose_kind", DOSE_KINDS, "doses"),
        _wide(doses, "priority_group", "dose_kind", DOSE_KINDS, "doses"),
        reports.stock_by_vaccine(svc, end, province_code), wastage, rate,
        _wide(cases.assign(n=1), "vaccine_code", "severity", SEVERITIES, "n"),
        pd.DataFrame({"classification": list(CLASSES),
                      "cases": [int(classes.get(c, 0)) for c in CLASSES]}))
