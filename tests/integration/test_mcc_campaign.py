"""A small campaign loaded through the real ETL for the command-center tests, and the pure
statistics they rely on. Other test_mcc_* modules import `load_campaign` and the read-backs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from flask import Flask
from sqlalchemy import Engine, text

from data import catalog
from data.auth.roles import Grant, Principal, Role
from data.mcc import stats
from data.services import Services, build_services
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import facility, injection, movement, population, warehouse, write_csv

AS_OF = dt.date(2021, 8, 20)
EARLY = dt.date(2021, 8, 10)
TZ = "Asia/Ho_Chi_Minh"
RESIDENCE = [("01", "001"), ("01", "002"), ("79", "760")]
# Lot P2 is drawn one time in five and every one of its doses gets a report (a lot of concern).
LOTS = {"AZ": ["A1"], "PFZ": ["P1", "P1", "P1", "P1", "P2"], "JNJ": ["J1"], "ABD": ["B1"],
        "VRC": ["V1"]}
TERMS = ["sốt", "đau đầu", "đau tại chỗ tiêm", "mệt mỏi"]
MINISTRY = Principal(1, "bo", "Bộ Y tế", (Grant(Role.MINISTRY_LEADER, "NATIONAL", None),))
P01 = Principal(2, "tinh01", "Sở Y tế Hà Nội",
                (Grant(Role.PROVINCE_OFFICER, "PROVINCE", "01", province_code="01"),))
D001 = Principal(3, "badinh", "Ba Đình", (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "001",
                                                province_code="01", district_code="001"),))
D760 = Principal(4, "q1", "Quận 1", (Grant(Role.DISTRICT_OFFICER, "DISTRICT", "760",
                                          province_code="79", district_code="760"),))


@dataclass(frozen=True)
class Campaign:
    """The loaded database's services."""

    svc: Services
    engine: Engine


def _injections(rng: np.random.Generator) -> list[dict[str, str]]:
    rows = []
    for i in range(360):
        province, district = RESIDENCE[rng.integers(3)]
        day = int(rng.integers(1, 21))
        fac = ["F1", "F2", "F3"][rng.integers(3)]
        if fac == "F2" and day > 14:  # F2 stops vaccinating after the 14th (a silent site)
            fac = "F1"
        vaccine = list(LOTS)[rng.integers(len(LOTS))]
        kind = ["PRIMARY", "PRIMARY", "PRIMARY", "BOOSTER", "ADDITIONAL"][rng.integers(5)]
        series = catalog.VACCINE_BY_CODE[vaccine].series_doses
        number = {"PRIMARY": int(rng.integers(1, series + 1)), "ADDITIONAL": 1,
                  "BOOSTER": int(rng.integers(1, 3))}[kind]
        rows.append(injection(
            f"R{i:04d}", province_code=province, district_code=district, ward_code="",
            facility_code=fac, vaccine_code=vaccine, lot_number=rng.choice(LOTS[vaccine]),
            dose_kind=kind, dose_number=number, priority_group=int(rng.integers(0, 12)),
            sex="MF"[rng.integers(2)],
            birth_date=f"{rng.integers(1940, 2014)}-0{rng.integers(1, 10)}-15",
            administered_at=f"2021-08-{day:02d}T{rng.integers(7, 17):02d}:30:00+07:00",
            person_id=f"0010900{i:05d}", phone=f"09123{i:05d}",
            full_name=f"Nguyễn Văn {i}"))
    rows += [injection(f"X{i}", status="ENTERED_IN_ERROR", person_id=f"0020900{i:05d}",
                       facility_code="F1")
             for i in range(4)]
    return rows


def _aefi(rng: np.random.Generator, inj: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = []
    counted = [r for r in inj if r["status"] == "COMPLETED"]
    p2 = [i for i, r in enumerate(counted) if r["lot_number"] == "P2"]
    picks = list(dict.fromkeys([*p2, *map(int, rng.choice(len(counted), 60, replace=False))]))
    for n, i in enumerate(picks):
        r = counted[i]
        terms = list(rng.choice(TERMS, int(rng.integers(1, 3)), replace=False))
        if r["vaccine_code"] == "PFZ" and r["lot_number"] == "P2" and n % 2 == 0:
            terms.append("Viêm cơ tim ")  # a disproportionate term, spelled untidily
        serious = n % 4 == 0
        at = dt.datetime.fromisoformat(r["administered_at"])
        rows.append({
            "report_id": f"AE{n:03d}", "record_id": r["record_id"],
            "onset_at": (at + dt.timedelta(hours=2)).isoformat(),
            "reported_at": (at + dt.timedelta(hours=5)).isoformat(),
            "severity": "SERIOUS" if serious else "MILD",
            "seriousness": "HOSPITALISATION" if serious else "",
            "symptoms": "; ".join(terms),
            "outcome": ["RECOVERED", "RECOVERING", "DIED"][n % 3],
            "classification": ["A", "B", "", "UNCLASSIFIABLE"][n % 4],
            "facility_code": r["facility_code"]})
    return rows


def _stock() -> list[dict[str, str]]:
    def mv(i: int, day: int, wh: str, kind: str, doses: int, vaccine: str = "AZ",
           lot: str = "A1", expiry: str = "2021-09-10", cp: str = "", reason: str = ""
           ) -> dict[str, str]:
        return movement(f"M{i:02d}", occurred_at=f"2021-{day}T09:00:00+07:00",
                        warehouse_code=wh, movement_type=kind, counterparty_code=cp,
                        vaccine_code=vaccine, lot_number=lot, expiry_date=expiry,
                        doses=doses, reason=reason)

    pfz, vrc = {"vaccine": "PFZ", "lot": "P1", "expiry": "2021-10-15"}, {
        "vaccine": "VRC", "lot": "V1", "expiry": "2021-11-30"}
    return [
        mv(1, "07-25", "KQG", "RECEIPT", 10000),
        mv(2, "07-26", "KQG", "TRANSFER_OUT", 3000, cp="KT01"),
        mv(3, "07-26", "KT01", "TRANSFER_IN", 3000, cp="KQG"),
        mv(4, "07-27", "KT01", "TRANSFER_OUT", 1000, cp="KH001"),
        mv(5, "07-27", "KH001", "TRANSFER_IN", 1000, cp="KT01"),
        mv(6, "07-28", "KH001", "TRANSFER_OUT", 400, cp="KF1"),
        mv(7, "07-28", "KF1", "TRANSFER_IN", 400, cp="KH001"),
        mv(8, "07-28", "KT01", "TRANSFER_OUT", 300, cp="KF2"),
        mv(9, "07-28", "KF2", "TRANSFER_IN", 300, cp="KT01"),
        mv(10, "07-28", "KT01", "TRANSFER_OUT", 50, cp="KF4"),
        mv(11, "07-28", "KF4", "TRANSFER_IN", 50, cp="KT01"),
        mv(12, "08-15", "KF1", "ISSUE", 100),
        mv(13, "07-25", "KT79", "RECEIPT", 2000, **pfz),
        mv(14, "07-26", "KT79", "TRANSFER_OUT", 500, cp="KF3", **pfz),
        mv(15, "07-26", "KF3", "TRANSFER_IN", 500, cp="KT79", **pfz),
        mv(16, "08-18", "KF3", "WASTAGE", 20, reason="OPEN_VIAL", **pfz),
        mv(17, "08-19", "KT01", "RECEIPT", 500, **vrc),
    ]


def load_campaign(settings: Settings, engine: Engine, tmp: Path) -> Campaign:
    """Load facilities, warehouses, population, allocations, stock, injections and AEFI."""
    rng = np.random.default_rng(7)
    files = {
        "facilities": [facility("F1", daily_capacity=10),
                       facility("F2", district_code="002", ward_code="", daily_capacity=20),
                       facility("F3", province_code="79", district_code="760", ward_code="",
                                latitude="10.776", longitude="106.700", daily_capacity=50),
                       facility("F4", district_code="002", ward_code="", daily_capacity=5)],
        "warehouses": [warehouse("KQG", level="NATIONAL"), warehouse("KT01"),
                       warehouse("KH001", level="DISTRICT", district_code="001"),
                       warehouse("KF1", level="FACILITY", district_code="001",
                                 facility_code="F1"),
                       warehouse("KF2", level="FACILITY", district_code="002",
                                 facility_code="F2"),
                       warehouse("KF4", level="FACILITY", district_code="002",
                                 facility_code="F4"),
                       warehouse("KT79", province_code="79"),
                       warehouse("KF3", level="FACILITY", province_code="79",
                                 district_code="760", facility_code="F3")],
        "population": [population("01", 1000, age_18_plus=700, age_12_17=100, age_5_11=100,
                                  age_65_plus=100),
                       population("001", 600), population("002", 400),
                       population("79", 2000, age_18_plus=1500, age_12_17=200,
                                  age_5_11=200, age_65_plus=300), population("760", 2000)],
        "allocations": [
            {"allocation_id": i, "decision_no": no, "decided_on": on, "vaccine_code": v,
             "recipient_code": to, "doses": n, "batch": b}
            for i, no, on, v, to, n, b in [
                ("A1", "100/QĐ-BYT", "2021-07-20", "AZ", "01", 3000, "Đợt 1"),
                ("A2", "100/QĐ-BYT", "2021-07-20", "PFZ", "79", 2000, "Đợt 1"),
                ("A3", "55/QĐ-SYT", "2021-07-26", "AZ", "001", 1000, ""),
                ("A4", "56/QĐ-SYT", "2021-07-27", "AZ", "002", 350, ""),
                ("A5", "120/QĐ-BYT", "2021-08-18", "VRC", "01", 500, "Đợt 2")]],
        "stock_movements": _stock(),
    }
    inj = _injections(rng)
    files["injections"] = inj
    files["aefi"] = _aefi(rng, inj)
    for kind, rows in files.items():
        res = load_file(settings, engine, kind, write_csv(tmp / f"{kind}.csv", rows))
        assert res.rejected == 0, (kind, res.reject_path and res.reject_path.read_text())
    return Campaign(build_services(settings, Flask("mcc")), engine)


def doses_read_back(engine: Engine) -> pd.DataFrame:
    """Counted injections with local day, age band, series length and role flags."""
    with engine.connect() as conn:
        df = pd.read_sql(text("SELECT * FROM injection WHERE status = 'COMPLETED'"), conn)
    at = pd.to_datetime(df["administered_at"], utc=True, format="ISO8601").dt.tz_convert(TZ)
    df["day"] = at.dt.date
    birth = pd.to_datetime(df["birth_date"]).dt.date
    age = [d.year - b.year - ((d.month, d.day) < (b.month, b.day))
           for d, b in zip(df["day"], birth, strict=True)]
    df["age_band"] = [next(lbl for _, lbl, lo, hi in catalog.AGE_BANDS if lo <= a <= hi)
                      for a in age]
    series = df["vaccine_code"].map(lambda v: catalog.VACCINE_BY_CODE[v].series_doses)
    primary = df["dose_kind"] == "PRIMARY"
    df["dose1"] = primary & (df["dose_number"] == 1)
    df["dose2"] = primary & (df["dose_number"] == 2)
    df["fully"] = primary & (df["dose_number"] == series)
    df["booster"] = df["dose_kind"] == "BOOSTER"
    df["facility_province"] = df["facility_code"].map({"F3": "79"}).fillna("01")
    return df


def aefi_read_back(engine: Engine) -> pd.DataFrame:
    """AEFI reports joined to their injection (vaccine, lot, dose, residence, person)."""
    with engine.connect() as conn:
        return pd.read_sql(text("""
            SELECT r.*, i.vaccine_code, i.lot_number, i.dose_kind, i.dose_number,
                   i.province_code, i.district_code, i.full_name, i.person_id, i.phone
            FROM aefi_report r JOIN injection i ON i.record_id = r.record_id"""), conn)


@pytest.fixture
def campaign(settings: Settings, engine: Engine, tmp_path: Path) -> Campaign:
    """The campaign, for the tests of this module."""
    return load_campaign(settings, engine, tmp_path)


def test_prr_of_the_hand_made_table() -> None:
    prr, chi2 = stats.prr_chi2(np.array([6]), np.array([94]), np.array([20]), np.array([9880]))
    assert prr[0] == pytest.approx((6 / 100) / (20 / 9900))  # = 29.7
    n, a, b, c, d = 10000, 6, 94, 20, 9880
    yates = n * (abs(a * d - b * c) - n / 2) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert chi2[0] == pytest.approx(yates) and chi2[0] > 4


def test_poisson_tail_matches_the_exact_sum() -> None:
    import math
    exact = 1 - sum(math.exp(-2.5) * 2.5 ** i / math.factorial(i) for i in range(7))
    assert stats.poisson_sf(7, 2.5) == pytest.approx(exact)
    assert stats.poisson_sf(0, 2.5) == 1.0


def test_the_campaign_loads_and_as_of_defaults_to_the_last_dose(campaign: Campaign) -> None:
    from data.mcc import common
    assert common.resolve_as_of(campaign.svc, None) == doses_read_back(campaign.engine)[
        "day"].max() == AS_OF
