"""What the injection tests share: facilities with their own warehouses and stock (through
the ETL, so agg_stock_on_hand is the real rollup), a registered person, a session, and a
person checked in and screened at it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from data.auth.roles import Principal
from data.ops.commands import checkin, screening, sessions
from data.ops.commands.checkin import PersonForm
from data.ops.commands.give_dose import DoseChoice
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import FACILITY, facility, movement, warehouse, write_csv
from tests.integration.ops_setup import PERSON, SOURCE, plan, registration

DAY = dt.date(2021, 10, 15)
# 09:00 on the session's day, Hà Nội time.
AT = dt.datetime(2021, 10, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
AN = PersonForm("CCCD", PERSON, dt.date(1990, 1, 2), "M", full_name="Nguyễn Văn An",
                phone="0912345678", province_code="01", district_code="001")
ITEMS_4355 = ["anaphylaxis_covid_vaccine", "covid_last_6_months", "acute_illness",
              "pregnant_under_13_weeks", "pregnant_13_weeks_or_more",
              "anaphylaxis_grade3_history", "severe_immunodeficiency", "allergy_history",
              "clotting_disorder", "impaired_consciousness"]
ITEMS_5785 = [i for i in ITEMS_4355 if i != "covid_last_6_months"] + [
    "manufacturer_contraindication"]
# Lots on hand at F00101's warehouse (WF101), FEFO: AZ2110B (2022-01-31) before AZ2108A
# (2022-06-30); AZ2104X expired on 2021-10-01; AZ2107Z counted down to 0; AZ2109C is held
# only by F00102 (WF102); FF2222 is Pfizer.
LOTS = [("WF101", "AZ", "AZ2108A", "2022-06-30", 500), ("WF101", "AZ", "AZ2110B",
                                                        "2022-01-31", 200),
        ("WF101", "AZ", "AZ2104X", "2021-10-01", 50), ("WF101", "AZ", "AZ2107Z",
                                                       "2022-05-31", 30),
        ("WF102", "AZ", "AZ2109C", "2022-02-28", 80), ("WF101", "PFZ", "FF2222",
                                                       "2022-03-31", 100)]


def seed_stock(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """F00101, F00102 (Ba Đình) and F76001 (Quận 1), a facility warehouse for each of the
    first two, and the lots above received there."""
    facilities = [FACILITY, facility("F00102", ward_code=""),
                  facility("F76001", province_code="79", district_code="760", ward_code="")]
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", facilities)).loaded == 3
    houses = [warehouse(f"WF10{i}", level="FACILITY", district_code="001",
                        facility_code=f"F0010{i}", name=f"Kho F0010{i}") for i in (1, 2)]
    assert load_file(settings, engine, "warehouses",
                     write_csv(tmp_path / "w.csv", houses)).loaded == 2
    moves = [movement(f"M{i}", warehouse_code=w, vaccine_code=v, lot_number=lot,
                      expiry_date=exp, doses=n, occurred_at="2021-09-01T08:00:00+07:00")
             for i, (w, v, lot, exp, n) in enumerate(LOTS)]
    moves.append(movement("M-COUNT", warehouse_code="WF101", lot_number="AZ2107Z",
                          expiry_date="2022-05-31", movement_type="ADJUSTMENT",
                          reason="COUNT", doses=-30, occurred_at="2021-09-02T08:00:00+07:00"))
    result = load_file(settings, engine, "stock_movements", write_csv(tmp_path / "m.csv", moves))
    assert (result.loaded, result.rejected) == (len(moves), 0)


def seed_current_lots(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """Two AZ lots at WF101 that expire after today's date (the page works on today)."""
    moves = [movement(f"MC{i}", warehouse_code="WF101", lot_number=lot, expiry_date=exp,
                      doses=n) for i, (lot, exp, n) in
             enumerate([("AZ2612F", "2099-12-31", 300), ("AZ2611E", "2099-06-30", 40)])]
    result = load_file(settings, engine, "stock_movements", write_csv(tmp_path / "c.csv", moves))
    assert result.loaded == 2


def open_session(engine: Engine, who: Principal, day: dt.date = DAY, **over: object) -> str:
    """An AZ + PFZ session at F00101 (by default on DAY) using every lot its facility holds."""
    fields: dict[str, object] = {"vaccines": ["AZ", "PFZ"], "lots": [], "capacity": 20}
    fields.update(over)
    return sessions.create_session(engine, who, SOURCE, plan(day=day, **fields))


def at_nine(day: dt.date) -> dt.datetime:
    """09:00 on `day`, Hà Nội time."""
    return dt.datetime.combine(day, dt.time(9), dt.timezone(dt.timedelta(hours=7)))


def screened(engine: Engine, who: Principal, session_id: str, decision: str = "ELIGIBLE",
             form: PersonForm = AN, items: list[str] = ITEMS_4355) -> str:
    """Check the person in and screen them (under 4355 unless told); returns the check-in."""
    cid = checkin.record_checkin(engine, who, SOURCE, session_id, form).checkin_id
    if decision:
        answers = {i: False for i in items}
        reason = "" if decision == "ELIGIBLE" else "quyết định của bác sĩ"
        screening.record_screening(engine, who, SOURCE, cid, answers,
                                   {"temperature_c": 36.6}, decision, reason)
    return cid


def choice(checkin_id: str, record_id: str = "F-1", **over: object) -> DoseChoice:
    """AZ2110B (the FEFO lot), AZ primary 2, left arm, at AT, with overrides."""
    fields: dict[str, object] = {
        "record_id": record_id, "checkin_id": checkin_id, "vaccine_code": "AZ",
        "lot_number": "AZ2110B", "dose_kind": "PRIMARY", "dose_number": 2,
        "injection_site": "LEFT_ARM", "administered_at": AT}
    fields.update(over)
    return DoseChoice(**fields)  # type: ignore[arg-type]


__all__ = ["AN", "AT", "DAY", "PERSON", "registration"]
