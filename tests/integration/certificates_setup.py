"""What the certificate tests share: a person's doses written straight into `injection` (the
operational table every dose lands in), and a key folder."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert

from data.models.operational import Injection

PERSON = "001090012345"  # a CCCD: it must never reach a QR code
VN = dt.timezone(dt.timedelta(hours=7))


def dose(record_id: str, vaccine: str, kind: str, number: int, at: dt.datetime,
         person_id: str = PERSON, status: str = "COMPLETED",
         full_name: str = "Nguyễn Văn Đức") -> dict[str, object]:
    return {
        "record_id": record_id, "status": status, "person_id": person_id, "id_type": "CCCD",
        "full_name": full_name, "birth_date": dt.date(1990, 1, 2), "sex": "M",
        "phone": "0912345678", "priority_group": 0, "province_code": "01",
        "district_code": "001", "ward_code": "00001", "facility_code": "F00101",
        "vaccine_code": vaccine, "lot_number": f"{vaccine}-LOT1", "dose_kind": kind,
        # Stored in UTC, as the loaders and commands store it (SQLite keeps no offset).
        "dose_number": number, "administered_at": at.astimezone(dt.UTC), "vaccinator": None,
        "row_hash": 0,
    }


def seed_doses(engine: Engine) -> None:
    """Two AZ doses then a Pfizer booster for PERSON (the booster given at 00:30 Vietnam
    time, the day before in UTC), and a later dose entered in error."""
    rows = [
        dose("R1", "AZ", "PRIMARY", 1, dt.datetime(2021, 8, 1, 8, 30, tzinfo=VN)),
        dose("R2", "AZ", "PRIMARY", 2, dt.datetime(2021, 9, 1, 8, 30, tzinfo=VN)),
        dose("R3", "PFZ", "BOOSTER", 1, dt.datetime(2022, 1, 10, 0, 30, tzinfo=VN)),
        dose("R4", "MOD", "BOOSTER", 2, dt.datetime(2022, 2, 10, 8, 0, tzinfo=VN),
             status="ENTERED_IN_ERROR"),
        dose("S1", "JNJ", "PRIMARY", 1, dt.datetime(2021, 10, 5, 9, 0, tzinfo=VN),
             person_id="079200000001", full_name="Trần Thị Bích"),
    ]
    with engine.begin() as conn:
        conn.execute(insert(Injection.__table__), rows)
