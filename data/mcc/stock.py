"""Vaccine supply: allocated, received, administered, on hand and days of supply by area.

Conventions (documented for the pages):
- Stock of an area is held at its PROVINCE, DISTRICT and FACILITY warehouses; NATIONAL and
  REGIONAL stores belong to no province. The country's stock is every store's: the provinces'
  plus the central stores' (national_on_hand), on every page that shows it.
- Received = RECEIPT and TRANSFER_IN at the area's warehouses whose counterparty lies outside
  the area, so a transfer from the province store to a district store is not counted twice.
- Administered and use count doses where they were given (agg_doses_facility_daily by the
  facility's place), not by residence, because that is where the stock is drawn down.
- Days of supply = on hand / average daily use over the 7 days ending on as_of; NaN when
  nothing was used (no rate to divide by).
- A vaccine filter keeps that product's allocations, movements, stock and doses (doses per
  facility and vaccine come from the facts: the facility rollup has no vaccine).
- On hand is exact at as_of: agg_stock_on_hand when no movement is dated later, else the
  signed movements up to as_of.
- Allocations carried out: dispatched, received and owed beside each decision row are read
  from the transfers sent against it (data.allocation_deliveries), as the operations page
  reads them; a delivery loaded from a file names no decision and is not among them. So
  "received" there is the decision's, not the area's receipts of the KPI row.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data import rollup_reads
from data.allocation_deliveries import figures, transfers_of, with_deliveries
from data.auth.roles import Principal
from data.mcc import common
from data.mcc.queries import stock as q
from data.services import Services

USE_DAYS = 7
CENTRAL = rollup_reads.CENTRAL


def lots(svc: Services, day: dt.date) -> pd.DataFrame:
    """Unscoped stock per warehouse x lot at `day` (expiry_date as datetime.date)."""
    cutoff = common.stock_cutoff(svc, day)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            df = q.warehouse_lots(conn, cutoff)
        df["expiry_date"] = pd.to_datetime(df["expiry_date"]).dt.date
        return df

    return svc.cache.get_or_compute("mcc_warehouse_lots", {"cutoff": cutoff}, compute)


def _facility_vaccine_use(svc: Services, lo: int, hi: int, vaccine: str) -> pd.DataFrame:
    """administered, used and last_key of one vaccine per facility (facts, all vaccines cached)."""

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.facility_vaccine_use(conn, lo, hi)

    df = svc.cache.get_or_compute("mcc_facility_vaccine_use", {"lo": lo, "hi": hi}, compute)
    return df[df["vaccine_code"] == vaccine].set_index("facility_code")


def facility_supply(svc: Services, day: dt.date, vaccine: str | None = None) -> pd.DataFrame:
    """Unscoped, per facility: reference columns, administered, used_7d, on_hand, supply;
    of one vaccine when `vaccine` is given."""
    lo, hi = common.window(day, USE_DAYS)

    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return q.facility_use(conn, lo, hi)

    df = svc.cache.get_or_compute("mcc_facility_use", {"lo": lo, "hi": hi}, compute).copy()
    if vaccine:
        mine = _facility_vaccine_use(svc, lo, hi, vaccine)
        for col in ("administered", "used"):
            df[col] = df["facility_code"].map(mine[col]).fillna(0).astype("int64")
        df["last_key"] = df["facility_code"].map(mine["last_key"])
    df["on_hand"] = df["facility_code"].map(facility_on_hand(svc, day, vaccine)).fillna(0)
    df["on_hand"] = df["on_hand"].astype("int64")
    df = df.rename(columns={"used": "used_7d"})
    df["last_dose_date"] = df.pop("last_key").map(
        lambda k: common.key_date(int(k)) if pd.notna(k) else None)
    return _supply(df)


def _of_vaccine(df: pd.DataFrame, vaccine: str | None) -> pd.DataFrame:
    """Rows of one vaccine (None: every row)."""
    return df[df["vaccine_code"] == vaccine] if vaccine else df


def facility_on_hand(svc: Services, day: dt.date, vaccine: str | None = None) -> pd.Series:
    """Doses on hand at each facility's own (FACILITY-level) stores, by facility_code."""
    held = _of_vaccine(lots(svc, day), vaccine)
    return held[held["level"] == "FACILITY"].groupby("facility_code")["doses"].sum()


def national_on_hand(svc: Services, as_of: dt.date | None = None,
                     vaccine: str | None = None) -> dict[str, int]:
    """The country's stock at as_of: provinces (their province, district and facility stores),
    central (national and regional stores) and total = provinces + central."""
    day = common.resolve_as_of(svc, as_of)
    held = _of_vaccine(lots(svc, day), vaccine)
    central = int(held.loc[held["level"].isin(CENTRAL), "doses"].sum())
    in_provinces = held[~held["level"].isin(CENTRAL) & held["province_code"].notna()]
    provinces = int(in_provinces["doses"].sum())
    return {"provinces": provinces, "central": central, "total": provinces + central}


def _supply(df: pd.DataFrame) -> pd.DataFrame:
    df["avg_daily_use"] = (df["used_7d"] / USE_DAYS).round(2)
    df["days_of_supply"] = common.ratio(df["on_hand"], df["used_7d"] / USE_DAYS).round(1)
    return df


def _area_table(svc: Services, day: dt.date, area: str, province_code: str | None,
                vaccine: str | None = None) -> pd.DataFrame:
    """allocated, received, administered, used_7d, on_hand per province or district (of one
    vaccine when `vaccine` is given)."""
    k = common.date_key(day)
    rec = _of_vaccine(rollup_reads.received_from_outside(rollup_reads.receipts(svc, k), area),
                      vaccine)
    held = lots(svc, day)
    held = _of_vaccine(held[~held["level"].isin(CENTRAL) & held[area].notna()], vaccine)
    alloc = _allocations(svc)
    alloc = _of_vaccine(alloc[(alloc["date_key"] <= k)
                              & (alloc["recipient_level"] == area.split("_")[0].upper())], vaccine)
    fac = facility_supply(svc, day, vaccine)
    if province_code:
        rec, held = (f[f["province_code"] == province_code] for f in (rec, held))
        alloc, fac = (f[f["province_code"] == province_code] for f in (alloc, fac))
    return pd.DataFrame({
        "allocated": alloc.groupby("recipient_code")["doses"].sum(),
        "received": rec.groupby(area)["doses"].sum(),
        "administered": fac.groupby(area)["administered"].sum(),
        "used_7d": fac.groupby(area)["used_7d"].sum(),
        "on_hand": held.groupby(area)["doses"].sum(),
    }).fillna(0).astype("int64")


def _allocations(svc: Services) -> pd.DataFrame:
    return rollup_reads.allocations(svc)


def _deliveries(svc: Services, day: dt.date) -> pd.DataFrame:
    """dispatched, received, in_transit, short per allocation_id at the end of `day`."""
    def compute() -> pd.DataFrame:
        with svc.engine.connect() as conn:
            return figures(transfers_of(conn), svc.settings.timezone, day)

    return svc.cache.get_or_compute("mcc_alloc_deliveries", {"day": day.isoformat()}, compute)


def stock_by_province(svc: Services, as_of: dt.date | None = None,
                      vaccine: str | None = None) -> pd.DataFrame:
    """Per province: allocated, received, administered, on_hand, used_7d, avg_daily_use, days;
    of one vaccine when `vaccine` is given."""
    day = common.resolve_as_of(svc, as_of)
    table = _area_table(svc, day, "province_code", None, vaccine)
    out = common.provinces(svc)[["province_code", "province_name"]]
    out = out.merge(table, how="left", left_on="province_code", right_index=True)
    cols = ["allocated", "received", "administered", "used_7d", "on_hand"]
    out[cols] = out[cols].fillna(0).astype("int64")
    return _supply(out)


def stock_by_district(svc: Services, province_code: str, principal: Principal,
                      as_of: dt.date | None = None, vaccine: str | None = None) -> pd.DataFrame:
    """Per district of a province within scope (same columns, district_code/district_name)."""
    allowed = principal.require_province_detail(province_code)
    day = common.resolve_as_of(svc, as_of)
    table = _area_table(svc, day, "district_code", province_code, vaccine)
    out = common.districts(svc, province_code)[["district_code", "district_name"]]
    out = out.merge(table, how="left", left_on="district_code", right_index=True)
    cols = ["allocated", "received", "administered", "used_7d", "on_hand"]
    out[cols] = out[cols].fillna(0).astype("int64")
    return common.in_districts(_supply(out), allowed)


def allocation_decisions(svc: Services, principal: Principal, province_code: str | None = None,
                         as_of: dt.date | None = None, vaccine: str | None = None
                         ) -> pd.DataFrame:
    """Decisions up to as_of: decided_on, decision_no, batch, vaccine_code, recipient_*, doses,
    cumulative (per vaccine), and what was delivered against each at as_of: dispatched,
    received, in_transit, short, owed. Nationally the Ministry's (province) allocations; for a
    province its own and its districts' (within scope); of one vaccine when `vaccine` is given."""
    day = common.resolve_as_of(svc, as_of)
    k = common.date_key(day)
    df = _of_vaccine(_allocations(svc), vaccine)
    df = df[df["date_key"] <= k]
    if province_code:
        df = df[df["province_code"] == province_code].copy()
        df["district_code"] = df["recipient_code"].where(df["recipient_level"] == "DISTRICT")
        df = common.within_scope(df, principal).drop(columns="district_code")
    else:
        df = df[df["recipient_level"] == "PROVINCE"]
    df = with_deliveries(df, _deliveries(svc, day)).drop(columns=["allocation_id", "transfers"])
    df = df.drop(columns="date_key").reset_index(drop=True)
    df["cumulative"] = df.groupby("vaccine_code")["doses"].cumsum()
    return df


def allocations_by_recipient(svc: Services, principal: Principal,
                             province_code: str | None = None, as_of: dt.date | None = None,
                             vaccine: str | None = None) -> pd.DataFrame:
    """The decisions of allocation_decisions(...) summed per recipient and product:
    recipient_level, recipient_code, vaccine_code, allocated, dispatched, received, owed (the
    sum of each decision's owed), largest owed first."""
    df = allocation_decisions(svc, principal, province_code, as_of, vaccine)
    keys = ["recipient_level", "recipient_code", "vaccine_code"]
    cols = ["allocated", "dispatched", "received", "owed"]
    if df.empty:
        return pd.DataFrame(columns=keys + cols)
    out = df.rename(columns={"doses": "allocated"}).groupby(keys, as_index=False)[cols].sum()
    out[cols] = out[cols].astype("int64")
    return out.sort_values(["owed", "recipient_code", "vaccine_code"],
                           ascending=[False, True, True]).reset_index(drop=True)


def expiring_lots(svc: Services, principal: Principal, as_of: dt.date | None = None,
                  bands: tuple[int, ...] = (30, 60, 90),
                  province_code: str | None = None, vaccine: str | None = None
                  ) -> pd.DataFrame:
    """Lots on hand expiring within max(bands) days of as_of, where they sit, within scope:
    warehouse_code, warehouse_name, level, province_code, district_code, vaccine_code,
    lot_number, expiry_date, days_left, band (smallest of `bands` >= days_left), doses."""
    day = common.resolve_as_of(svc, as_of)
    df = _of_vaccine(lots(svc, day), vaccine)
    df = df[(df["doses"] > 0) & df["expiry_date"].notna()].copy()
    df["days_left"] = df["expiry_date"].map(lambda d: (d - day).days).astype("int64")
    df = df[(df["days_left"] >= 0) & (df["days_left"] <= max(bands))]
    if province_code:
        df = df[df["province_code"] == province_code]
    df["band"] = pd.cut(df["days_left"], [-1, *sorted(bands)], labels=sorted(bands)).astype(
        "int64")
    cols = ["warehouse_code", "warehouse_name", "level", "province_code", "district_code",
            "vaccine_code", "lot_number", "expiry_date", "days_left", "band", "doses"]
    # Scoped with the store's facility, so facility staff see their own store's lots.
    return common.within_scope(df.sort_values(["days_left", "warehouse_code"]), principal)[cols]


def stockout_risk(svc: Services, principal: Principal, threshold_days: float = 7.0,
                  as_of: dt.date | None = None, province_code: str | None = None,
                  vaccine: str | None = None) -> pd.DataFrame:
    """Facilities and districts under `threshold_days` of supply, within scope: level, code,
    name, province_code, district_code, on_hand, used_7d, avg_daily_use, days_of_supply;
    stock and use of one vaccine when `vaccine` is given."""
    day = common.resolve_as_of(svc, as_of)
    fac = facility_supply(svc, day, vaccine).rename(columns={"facility_code": "code"})
    fac["level"] = "FACILITY"
    held = _of_vaccine(lots(svc, day), vaccine)
    held = held[held["level"].isin(["DISTRICT", "FACILITY"]) & held["district_code"].notna()]
    dist = fac.groupby(["province_code", "district_code"], as_index=False)["used_7d"].sum()
    dist["on_hand"] = dist["district_code"].map(held.groupby("district_code")["doses"].sum())
    dist["on_hand"] = dist["on_hand"].fillna(0).astype("int64")
    dist["code"], dist["level"] = dist["district_code"], "DISTRICT"
    names = {d: n for p in dist["province_code"].unique()
             for d, n in common.districts(svc, p)[["district_code", "district_name"]].values}
    dist["name"] = dist["code"].map(names)
    cols = ["level", "code", "name", "province_code", "district_code", "on_hand", "used_7d",
            "avg_daily_use", "days_of_supply"]
    out = pd.concat([_supply(dist)[cols], fac[cols]], ignore_index=True)
    out = out[out["days_of_supply"] < threshold_days]
    if province_code:
        out = out[out["province_code"] == province_code]
    out = out.assign(facility_code=out["code"].where(out["level"] == "FACILITY"))
    out = common.within_scope(out.sort_values(["days_of_supply", "level", "code"]), principal)
    return out.drop(columns="facility_code")


def facility_points(svc: Services, province_code: str, principal: Principal,
                    as_of: dt.date | None = None, vaccine: str | None = None) -> pd.DataFrame:
    """Facilities of a province within scope: facility_code, name, kind, status, district_code,
    latitude, longitude, daily_capacity, on_hand, used_7d, avg_daily_use, days_of_supply
    (of one vaccine when `vaccine` is given)."""
    principal.require_facility_detail(province_code)
    fac = facility_supply(svc, common.resolve_as_of(svc, as_of), vaccine)
    fac = common.within_scope(fac[fac["province_code"] == province_code], principal)
    cols = ["facility_code", "name", "kind", "status", "district_code", "latitude", "longitude",
            "daily_capacity", "on_hand", "used_7d", "avg_daily_use", "days_of_supply",
            "last_dose_date"]
    return fac[cols].sort_values("facility_code").reset_index(drop=True)
