"""What the vaccination-day tests share: three facilities, two lots, accounts of each role."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, text

from data.audit import Actor
from data.auth import users
from data.auth.roles import Principal, Role
from data.db import unit_of_work
from data.models.operational import Injection, Registration, StockMovement
from data.models.reference import Facility
from data.models.rollups import AggStockOnHand
from data.models.star import DimWarehouse
from data.ops.commands.sessions import SessionPlan

FIXTURE = Actor(None, "fixture", "test")
PASSWORD = "Mat-khau-2021"
SOURCE = "10.0.0.7"
# Two facilities of Ba Đình (Hà Nội) and one of Quận 1 (TP. Hồ Chí Minh).
FACILITIES = {"F00101": ("01", "001"), "F00102": ("01", "001"), "F76001": ("79", "760")}
AZ_LOT, PFZ_LOT, OLD_LOT = "AZ2108A", "FF2222", "AZ2104X"
PERSON = "001090012345"   # CCCD: registered in Hà Nội, a man born in 1990
WOMAN = "079301234567"    # CCCD: registered in TP. Hồ Chí Minh, a woman born in 2001


def seed_places(engine: Engine) -> None:
    """The facilities and the lots their sessions may use."""
    with unit_of_work(engine) as conn:
        conn.execute(insert(Facility.__table__), [
            {"code": code, "name": f"Cơ sở {code}", "kind": "HEALTH_STATION",
             "province_code": p, "district_code": d, "ward_code": None, "address": None,
             "latitude": None, "longitude": None, "daily_capacity": 300, "status": "ACTIVE",
             "row_hash": 0} for code, (p, d) in FACILITIES.items()])
        conn.execute(insert(StockMovement.__table__), [
            {"movement_id": f"M{i}", "occurred_at": dt.datetime(2021, 9, 1, tzinfo=dt.UTC),
             "warehouse_code": "W1", "movement_type": "RECEIPT", "counterparty_code": None,
             "vaccine_code": vaccine, "lot_number": lot, "expiry_date": expiry, "doses": 500,
             "reason": None, "row_hash": i}
            for i, (vaccine, lot, expiry) in enumerate([
                ("AZ", AZ_LOT, dt.date(2022, 6, 30)), ("PFZ", PFZ_LOT, dt.date(2022, 3, 31)),
                ("AZ", OLD_LOT, dt.date(2021, 10, 1))])])


def seed_stock(engine: Engine) -> None:
    """The facility's warehouse holds the AZ and Pfizer lots (agg_stock_on_hand)."""
    with unit_of_work(engine) as conn:
        keys = dict(conn.execute(text("SELECT vaccine_code, vaccine_key FROM dim_vaccine")).all())
        conn.execute(insert(DimWarehouse.__table__), [
            {"warehouse_key": 9001, "warehouse_code": "KHO-F00101", "name": "Kho trạm",
             "level": "FACILITY", "province_code": "01", "district_code": "001",
             "facility_code": "F00101"},
            {"warehouse_key": 9002, "warehouse_code": "KHO-F76001", "name": "Kho Q1",
             "level": "FACILITY", "province_code": "79", "district_code": "760",
             "facility_code": "F76001"}])
        conn.execute(insert(AggStockOnHand.__table__), [
            {"warehouse_key": 9001, "vaccine_key": keys["AZ"], "lot_number": AZ_LOT,
             "expiry_date": dt.date(2022, 6, 30), "doses": 480},
            {"warehouse_key": 9001, "vaccine_key": keys["PFZ"], "lot_number": PFZ_LOT,
             "expiry_date": dt.date(2022, 3, 31), "doses": 120},
            {"warehouse_key": 9002, "vaccine_key": keys["AZ"], "lot_number": "Q1LOT",
             "expiry_date": dt.date(2022, 6, 30), "doses": 50}])


def principal(engine: Engine, username: str, role: Role, scope: str | None) -> Principal:
    """A new account holding one role at one scope, as its signed-in principal."""
    with unit_of_work(engine) as conn:
        uid = users.create_user(conn, FIXTURE, username, username, PASSWORD, [(role, scope)],
                                must_change_password=False)
        loaded = users.load_principal(conn, uid)
    assert loaded is not None
    return loaded


def plan(facility: str = "F00101", day: dt.date = dt.date(2021, 10, 15), capacity: int = 5,
         **over: object) -> SessionPlan:
    """A morning AZ session at `facility` with overrides."""
    fields: dict[str, object] = {
        "facility_code": facility, "day": day, "starts_at": dt.time(7, 30),
        "ends_at": dt.time(11, 30), "capacity": capacity, "vaccines": ["AZ"],
        "lots": [AZ_LOT]}
    fields.update(over)
    return SessionPlan(**fields)  # type: ignore[arg-type]


def registration(engine: Engine, registration_id: str, person_id: str = PERSON,
                 **over: object) -> None:
    """A self-registration of Nguyễn Văn An (Ba Đình) with overrides."""
    row: dict[str, object] = {
        "registration_id": registration_id, "person_id": person_id, "id_type": "CCCD",
        "full_name": "Nguyễn Văn An", "birth_date": dt.date(1990, 1, 2), "sex": "M",
        "phone": "0912345678", "priority_group": 0, "province_code": "01",
        "district_code": "001", "ward_code": "00001", "address": None, "organisation": None,
        "registered_at": dt.datetime(2021, 7, 20, 3, 0, tzinfo=dt.UTC), "row_hash": 1}
    row.update(over)
    with unit_of_work(engine) as conn:
        conn.execute(insert(Registration.__table__).values(**row))


def dose(engine: Engine, record_id: str, person_id: str = PERSON, **over: object) -> None:
    """A first AZ dose given at F00101 on 2021-08-01 with overrides."""
    row: dict[str, object] = {
        "record_id": record_id, "status": "COMPLETED", "person_id": person_id,
        "id_type": "CCCD", "full_name": "Nguyễn Văn An", "birth_date": dt.date(1990, 1, 2),
        "sex": "M", "phone": "0912345678", "priority_group": 0, "province_code": "01",
        "district_code": "001", "ward_code": "00001", "facility_code": "F00101",
        "vaccine_code": "AZ", "lot_number": AZ_LOT, "dose_kind": "PRIMARY", "dose_number": 1,
        "administered_at": dt.datetime(2021, 8, 1, 1, 30, tzinfo=dt.UTC), "vaccinator": None,
        "row_hash": 1}
    row.update(over)
    with unit_of_work(engine) as conn:
        conn.execute(insert(Injection.__table__).values(**row))
