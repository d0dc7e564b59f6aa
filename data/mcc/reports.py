"""The daily report (national or one province) as DataFrames, and its XLSX / CSV exports.

Province-level figures only (public, like the coverage map): no principal needed.
Sections: summary (one row), doses (by vaccine and dose: that day and cumulative),
stock (on hand by vaccine, doses expiring within 30 days), aefi (that day's reports).
Stock counts the stores data.mcc.stock counts: nationally every store (on_hand_central of
them national and regional), for a province its province, district and facility stores.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from data.mcc import aefi, common, progress, stock
from data.mcc.queries import reports as q
from data.safe_cells import safe_frame
from data.services import Services

EXPIRY_DAYS = 30


def _doses(svc: Services, day: dt.date, province_code: str | None) -> pd.DataFrame:
    cutoff = common.dose_cutoff(svc, day)
    k = common.date_key(day)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            today = q.doses_of_day(conn, k, province_code)
            total = q.doses_cumulative(conn, cutoff, province_code)
        keys = ["vaccine_code", "dose_kind", "dose_number"]
        out = today.merge(total, how="outer", on=keys).fillna(0)
        out[["doses_day", "doses_cumulative"]] = out[["doses_day", "doses_cumulative"]].astype(
            "int64")
        out["dose_number"] = out["dose_number"].astype("int64")
        return out.sort_values(keys).reset_index(drop=True)

    params = {"day": k, "cutoff": cutoff, "province": province_code}
    return svc.cache.get_or_compute("mcc_report_doses", params, compute)


def stock_by_vaccine(svc: Services, day: dt.date, province_code: str | None) -> pd.DataFrame:
    """On hand at `day` by vaccine: on_hand, expiring_30d, lots (the report's stock section)."""
    held = stock.lots(svc, day)
    if province_code:
        held = held[~held["level"].isin(stock.CENTRAL) & (held["province_code"] == province_code)]
    left = held["expiry_date"].map(lambda d: (d - day).days if pd.notna(d) else None)
    soon = held["doses"].where((left >= 0) & (left <= EXPIRY_DAYS), 0)
    out = held.assign(expiring_30d=soon).groupby("vaccine_code").agg(
        on_hand=("doses", "sum"), expiring_30d=("expiring_30d", "sum"),
        lots=("lot_number", "nunique"))
    return out.astype("int64").reset_index()


def daily_report(svc: Services, day: dt.date | None = None,
                 province_code: str | None = None) -> dict[str, pd.DataFrame]:
    """Sections summary, doses, stock, aefi of the report for `day` (default: as_of)."""
    day = common.resolve_as_of(svc, day)
    doses = _doses(svc, day, province_code)
    cov = progress.coverage_by_province(svc, day)
    if province_code:
        cov = cov[cov["province_code"] == province_code]
        area, name = province_code, str(cov["province_name"].iloc[0]) if len(cov) else ""
    else:
        area, name = "VN", "Việt Nam"
    cols = ["population", "dose1", "fully", "booster"]
    total = cov[cols].sum().astype("int64")
    # Boosters count doses (a person's first and second boosters are two), not people, so
    # they get no share of the population.
    counts = {"population": "population", "dose1": "dose1", "fully": "fully",
              "booster": "booster_doses"}
    st, cases = stock_by_vaccine(svc, day, province_code), aefi.reported_on(svc, day, province_code)
    summary = pd.DataFrame([{
        "date": day, "area_code": area, "area_name": name,
        "doses_day": int(doses["doses_day"].sum()),
        "doses_cumulative": int(doses["doses_cumulative"].sum()),
        **{name: int(total[c]) for c, name in counts.items()},
        **{f"pct_{c}": round(100.0 * total[c] / total["population"], 2)
           if total["population"] else None
           for c in ("dose1", "fully")},
        "on_hand": int(st["on_hand"].sum()),
        "on_hand_central": None if province_code else
        stock.national_on_hand(svc, day)["central"],
        "aefi_day": int(cases["cases"].sum()),
        "aefi_serious_day": int(cases.loc[cases["severity"] == "SERIOUS", "cases"].sum()),
    }])
    return {"summary": summary, "doses": doses, "stock": st, "aefi": cases}


def to_xlsx(sections: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per section (sheet names cut to Excel's 31 characters)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in sections.items():
            safe_frame(df).to_excel(xl, sheet_name=name[:31], index=False)
    return buf.getvalue()


def to_csv(sections: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """One UTF-8 CSV (with BOM, so Excel reads Vietnamese) per section: {'doses.csv': b...}."""
    return {f"{name}.csv": safe_frame(df).to_csv(index=False).encode("utf-8-sig")
            for name, df in sections.items()}
