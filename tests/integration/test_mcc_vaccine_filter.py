"""The vaccine filter of the stock reads and the vaccine and province filters of the AEFI reads,
each against pandas over the operational records read back (movements, allocations, doses,
reports), and the AEFI signal and lot panels computed within one province."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from data import catalog
from data.mcc import aefi, stock
from data.settings import Settings
from tests.integration.test_mcc_campaign import (
    AS_OF,
    D760,
    EARLY,
    MINISTRY,
    P01,
    TZ,
    Campaign,
    aefi_read_back,
    doses_read_back,
    load_campaign,
)

CENTRAL = ("NATIONAL", "REGIONAL")
VACCINES = ["AZ", "PFZ", "VRC", "JNJ"]


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    return load_campaign(settings, engine, tmp_path)


def _movements(engine: Engine, until: dt.date) -> pd.DataFrame:
    """Stock movements up to `until` (local day) with signed doses and both warehouses' places."""
    with engine.connect() as conn:
        mv = pd.read_sql(text("SELECT * FROM stock_movement"), conn)
        wh = pd.read_sql(text("SELECT code, level, province_code, district_code, facility_code "
                              "FROM warehouse"), conn).set_index("code")
    day = pd.to_datetime(mv["occurred_at"], utc=True, format="ISO8601").dt.tz_convert(TZ).dt.date
    mv = mv[day <= until].copy()
    sign = mv["movement_type"].map(catalog.MOVEMENT_SIGN)
    mv["signed"] = mv["doses"] * sign
    for col in ("level", "province_code", "district_code", "facility_code"):
        mv[col] = mv["warehouse_code"].map(wh[col]).replace("", None)
        mv[f"cp_{col}"] = mv["counterparty_code"].map(wh[col]).replace("", None)
    return mv


def _allocations(engine: Engine, until: dt.date) -> pd.DataFrame:
    with engine.connect() as conn:
        df = pd.read_sql(text("SELECT * FROM allocation"), conn)
    return df[pd.to_datetime(df["decided_on"]).dt.date <= until]


def _used(doses: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    return doses[(doses["day"] > day - dt.timedelta(days=7)) & (doses["day"] <= day)]


def _facility_district(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        df = pd.read_sql(text("SELECT code AS facility_code, district_code FROM facility"), conn)
    return dict(zip(df["facility_code"], df["district_code"], strict=True))


def _want_area(engine: Engine, vaccine: str, day: dt.date, area: str) -> pd.DataFrame:
    """allocated, received, administered, used_7d, on_hand of `vaccine` per province or district,
    from the records."""
    mv = _movements(engine, day)
    mv = mv[(mv["vaccine_code"] == vaccine) & ~mv["level"].isin(CENTRAL) & mv[area].notna()]
    held = mv.groupby(area)["signed"].sum()
    inbound = mv[mv["movement_type"].isin(["RECEIPT", "TRANSFER_IN"])]
    outside = (inbound["cp_level"].isin(CENTRAL) | inbound[f"cp_{area}"].isna()
               | (inbound[f"cp_{area}"] != inbound[area]))
    received = inbound[outside].groupby(area)["doses"].sum()
    alloc = _allocations(engine, day)
    width = 2 if area == "province_code" else 3
    alloc = alloc[(alloc["vaccine_code"] == vaccine) & (alloc["recipient_code"].str.len() == width)]
    doses = doses_read_back(engine)
    doses = doses[(doses["vaccine_code"] == vaccine) & (doses["day"] <= day)]
    if area == "province_code":
        place = doses["facility_province"]
    else:
        place = doses["facility_code"].map(_facility_district(engine))
    doses = doses.assign(place=place)
    return pd.DataFrame({
        "allocated": alloc.groupby("recipient_code")["doses"].sum(),
        "received": received,
        "administered": doses.groupby("place").size(),
        "used_7d": _used(doses, day).groupby("place").size(),
        "on_hand": held,
    }).fillna(0).astype("int64")


@pytest.mark.parametrize("vaccine", VACCINES)
@pytest.mark.parametrize("as_of", [None, EARLY])
def test_stock_by_province_of_one_vaccine(campaign: Campaign, vaccine: str,
                                          as_of: dt.date | None) -> None:
    day = as_of or AS_OF
    want = _want_area(campaign.engine, vaccine, day, "province_code")
    got = stock.stock_by_province(campaign.svc, as_of, vaccine).set_index("province_code")
    cols = ["allocated", "received", "administered", "used_7d", "on_hand"]
    shown = got[cols][(got[cols] != 0).any(axis=1)]
    assert shown.sort_index().to_dict("index") == want[(want != 0).any(axis=1)].sort_index(
        ).to_dict("index")
    for p, row in got.iterrows():
        expect = row["on_hand"] / (row["used_7d"] / 7) if row["used_7d"] else math.nan
        assert row["days_of_supply"] == pytest.approx(round(expect, 1), nan_ok=True), p


def test_stock_by_province_sums_over_the_vaccines(campaign: Campaign) -> None:
    every = stock.stock_by_province(campaign.svc).set_index("province_code")
    cols = ["allocated", "received", "administered", "used_7d", "on_hand"]
    parts = sum(stock.stock_by_province(campaign.svc, None, v.code).set_index("province_code")[cols]
                for v in catalog.VACCINES)
    assert parts.equals(every[cols])


@pytest.mark.parametrize("vaccine", ["AZ", "VRC", "PFZ"])
def test_stock_by_district_of_one_vaccine(campaign: Campaign, vaccine: str) -> None:
    want = _want_area(campaign.engine, vaccine, AS_OF, "district_code")
    got = stock.stock_by_district(campaign.svc, "01", MINISTRY, vaccine=vaccine)
    got = got.set_index("district_code")[list(want.columns)]
    hanoi = want[want.index.isin(got.index)]
    assert got[(got != 0).any(axis=1)].sort_index().to_dict("index") == hanoi[
        (hanoi != 0).any(axis=1)].sort_index().to_dict("index")


def _facility_supply(engine: Engine, vaccine: str) -> pd.DataFrame:
    """on_hand at each facility's own stores and 7-day use of `vaccine`, per facility."""
    mv = _movements(engine, AS_OF)
    mv = mv[(mv["vaccine_code"] == vaccine) & (mv["level"] == "FACILITY")]
    doses = doses_read_back(engine)
    used = _used(doses[doses["vaccine_code"] == vaccine], AS_OF).groupby("facility_code").size()
    facilities = sorted(_facility_district(engine))
    return pd.DataFrame({"on_hand": mv.groupby("facility_code")["signed"].sum(),
                         "used_7d": used}).reindex(facilities).fillna(0).astype("int64")


@pytest.mark.parametrize("vaccine", ["AZ", "PFZ", "ABD"])
def test_stockout_risk_of_one_vaccine(campaign: Campaign, vaccine: str) -> None:
    fac = _facility_supply(campaign.engine, vaccine)
    mv = _movements(campaign.engine, AS_OF)
    mv = mv[(mv["vaccine_code"] == vaccine) & mv["level"].isin(["DISTRICT", "FACILITY"])]
    district_stock = mv.groupby("district_code")["signed"].sum()
    district_use = fac["used_7d"].groupby(_facility_district(campaign.engine)).sum()
    days = {("FACILITY", f): r.on_hand / (r.used_7d / 7) for f, r in fac.iterrows() if r.used_7d}
    days |= {("DISTRICT", d): district_stock.get(d, 0) / (u / 7)
             for d, u in district_use.items() if u}
    want = {k: round(v, 1) for k, v in days.items() if round(v, 1) < 1e6}
    got = stock.stockout_risk(campaign.svc, MINISTRY, 1e6, vaccine=vaccine)
    assert dict(zip(zip(got["level"], got["code"], strict=True), got["days_of_supply"],
                    strict=True)) == want
    scoped = stock.stockout_risk(campaign.svc, D760, 1e6, vaccine=vaccine)
    assert set(scoped["district_code"]) <= {"760"}


@pytest.mark.parametrize("vaccine", ["AZ", "VRC"])
def test_facility_points_of_one_vaccine(campaign: Campaign, vaccine: str) -> None:
    want = _facility_supply(campaign.engine, vaccine).loc[["F1", "F2", "F4"]]
    got = stock.facility_points(campaign.svc, "01", P01, vaccine=vaccine).set_index(
        "facility_code")
    assert got[["on_hand", "used_7d"]].to_dict("index") == want.to_dict("index")


def test_expiry_and_decisions_of_one_vaccine(campaign: Campaign) -> None:
    lots = stock.expiring_lots(campaign.svc, MINISTRY, vaccine="PFZ")
    assert set(lots["vaccine_code"]) == {"PFZ"} and lots["doses"].sum() == 1500 + 480
    decisions = stock.allocation_decisions(campaign.svc, MINISTRY, vaccine="AZ")
    want = _allocations(campaign.engine, AS_OF)
    want = want[(want["vaccine_code"] == "AZ") & (want["recipient_code"].str.len() == 2)]
    assert decisions["doses"].tolist() == want["doses"].tolist()
    assert decisions["cumulative"].tolist() == want["doses"].cumsum().tolist()


def _reports(engine: Engine) -> pd.DataFrame:
    df = aefi_read_back(engine)
    doses = doses_read_back(engine).set_index("record_id")
    df["age_band"] = df["record_id"].map(doses["age_band"])
    df["sex"] = df["record_id"].map(doses["sex"])
    onset = pd.to_datetime(df["onset_at"], utc=True, format="ISO8601").dt.tz_convert(TZ)
    df["month"] = onset.dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    return df


@pytest.mark.parametrize(("by", "keys"), [("vaccine", ["vaccine_code"]),
                                          ("dose", ["dose_kind", "dose_number"]),
                                          ("age_band", ["age_band"]), ("sex", ["sex"])])
@pytest.mark.parametrize(("vaccine", "province"), [("PFZ", None), ("AZ", "01"), (None, "79")])
def test_rates_of_one_vaccine_and_province(campaign: Campaign, by: aefi.RateBy, keys: list[str],
                                           vaccine: str | None, province: str | None) -> None:
    doses, reports = doses_read_back(campaign.engine), _reports(campaign.engine)
    for name, value in (("vaccine_code", vaccine), ("province_code", province)):
        if value:
            doses, reports = doses[doses[name] == value], reports[reports[name] == value]
    got = aefi.rates(campaign.svc, by, None, province, vaccine).set_index(keys)
    assert got["doses"][got["doses"] > 0].to_dict() == doses.groupby(keys).size().to_dict()
    assert got["cases"][got["cases"] > 0].to_dict() == reports.groupby(keys).size().to_dict()
    serious = reports[reports["severity"] == "SERIOUS"].groupby(keys).size()
    assert got["serious"][got["serious"] > 0].to_dict() == serious.to_dict()
    if vaccine:
        assert set(got.reset_index().get("vaccine_code", pd.Series([vaccine]))) == {vaccine}


@pytest.mark.parametrize(("vaccine", "province"), [("PFZ", None), ("AZ", "01"), ("VRC", "79")])
def test_serious_by_month_of_one_vaccine(campaign: Campaign, vaccine: str,
                                         province: str | None) -> None:
    reports = _reports(campaign.engine)
    serious = reports[(reports["severity"] == "SERIOUS") & (reports["vaccine_code"] == vaccine)]
    if province:
        serious = serious[serious["province_code"] == province]
    got = aefi.serious_by_month(campaign.svc, None, province, vaccine)
    assert dict(zip(got["month"], got["serious"], strict=True)) == serious.groupby(
        "month").size().to_dict()
    for _, row in got.iterrows():
        mine = serious[serious["month"] == row["month"]]
        assert {o: row[f"outcome_{o}"] for o in mine["outcome"].unique()} == mine[
            "outcome"].value_counts().to_dict()


def _prr_rows(reports: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """a, b, c, d of every vaccine x term of `reports`, counted report by report."""
    terms = {r.report_id: {t.strip().lower() for t in str(r.symptoms).split(";") if t.strip()}
             for r in reports.itertuples()}
    vaccine = dict(zip(reports["report_id"], reports["vaccine_code"], strict=True))
    out = {}
    for v, term in {(vaccine[r], t) for r, ts in terms.items() for t in ts}:
        a = sum(1 for r, ts in terms.items() if vaccine[r] == v and term in ts)
        b = sum(1 for r, ts in terms.items() if vaccine[r] == v and term not in ts)
        c = sum(1 for r, ts in terms.items() if vaccine[r] != v and term in ts)
        out[(v, term)] = (a, b, c, len(terms) - a - b - c)
    return out


@pytest.mark.parametrize("province", ["01", "79"])
def test_signals_within_one_province(campaign: Campaign, province: str) -> None:
    reports = _reports(campaign.engine)
    reports = reports[reports["province_code"] == province]
    want = _prr_rows(reports)
    got = aefi.signals(campaign.svc, province_code=province)
    rows = {(r.vaccine_code, r.term): (r.a, r.b, r.c, r.d) for r in got.itertuples()}
    assert rows == want
    for r in got.itertuples():
        # Haldane: 0.5 added to every cell of a table with an empty one.
        a, b, c, d = (x + 0.5 * (0 in (r.a, r.b, r.c, r.d)) for x in (r.a, r.b, r.c, r.d))
        prr = (a / (a + b)) / (c / (c + d))
        assert math.isfinite(r.prr) and r.prr_corrected == (0 in (r.a, r.b, r.c, r.d))
        assert r.prr == pytest.approx(round(prr, 3)), (r.vaccine_code, r.term)
        assert r.signal == (r.prr >= 2 and r.chi2 >= 4 and r.a >= 3)
    only = aefi.signals(campaign.svc, province_code=province, vaccine="PFZ")
    assert set(only["vaccine_code"]) <= {"PFZ"}
    assert only.drop(columns=[]).reset_index(drop=True).equals(
        got[got["vaccine_code"] == "PFZ"].reset_index(drop=True))


@pytest.mark.parametrize("province", ["01", "79"])
def test_unusual_lots_within_one_province(campaign: Campaign, province: str) -> None:
    doses = doses_read_back(campaign.engine)
    doses = doses[doses["province_code"] == province]
    reports = _reports(campaign.engine)
    reports = reports[reports["province_code"] == province]
    got = aefi.unusual_lots(campaign.svc, province_code=province).set_index(
        ["vaccine_code", "lot_number"])
    lot_doses = doses.groupby(["vaccine_code", "lot_number"]).size()
    lot_cases = reports.groupby(["vaccine_code", "lot_number"]).size()
    assert got["cases"].to_dict() == lot_cases.to_dict()
    assert got["doses"].to_dict() == lot_doses[lot_cases.index].to_dict()
    for (v, lot), row in got.iterrows():
        rate = lot_cases[v].sum() / lot_doses[v].sum()
        mu, k = lot_doses[(v, lot)] * rate, lot_cases[(v, lot)]
        tail = 1 - sum(math.exp(-mu) * mu ** i / math.factorial(i) for i in range(k))
        assert row["p_value"] == pytest.approx(max(tail, 0.0), rel=1e-6, abs=1e-12)
        assert row["vaccine_rate_per_100k"] == round(1e5 * rate, 2)
    only = aefi.unusual_lots(campaign.svc, province_code=province, vaccine="PFZ")
    assert set(only["vaccine_code"]) <= {"PFZ"}
    assert np.array_equal(only["p_value"], got.loc[["PFZ"]]["p_value"].to_numpy()
                          if "PFZ" in got.index.get_level_values(0) else [])
