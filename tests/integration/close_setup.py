"""What the session-closing tests share: F00101 with its own warehouse stocked with 100 AZ and
60 Pfizer doses, F00102 without a warehouse, 12 AZ doses given at F00101 on the session's day
(and doses that must not count), and an OPEN morning session of each facility."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from data.auth.roles import Principal, Role
from data.ops.commands.sessions import create_session
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import facility, injection, movement, warehouse, write_csv
from tests.integration.ops_setup import AZ_LOT, PFZ_LOT, SOURCE, plan, principal

DAY = dt.date(2021, 10, 15)
WAREHOUSE = "WF00101"
GIVEN_AZ = 13  # 12 in the morning, 1 at 23:30 UTC the evening before (06:30 local)


def seed_close(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """Facilities, the warehouse, its stock and the day's doses, all loaded as files are."""
    def load(kind: str, rows: list[dict[str, object]]) -> None:
        result = load_file(settings, engine, kind, write_csv(tmp_path / f"{kind}.csv", rows))
        assert result.rejected == 0, result
    load("facilities", [facility("F00101"), facility("F00102", name="Trạm Y tế Trúc Bạch")])
    load("warehouses", [warehouse(WAREHOUSE, name="Kho Trạm Y tế Phúc Xá", level="FACILITY",
                                  district_code="001", facility_code="F00101")])
    load("stock_movements", [
        movement("R-AZ", warehouse_code=WAREHOUSE, lot_number=AZ_LOT, doses=100,
                 expiry_date="2022-06-30"),
        movement("R-PFZ", warehouse_code=WAREHOUSE, vaccine_code="PFZ", lot_number=PFZ_LOT,
                 doses=60, expiry_date="2022-03-31")])
    at = f"{DAY.isoformat()}T08:{{:02d}}:00+07:00"
    doses = [injection(f"AZ-{i}", administered_at=at.format(i)) for i in range(GIVEN_AZ - 1)]
    doses += [
        injection("UTC-1", administered_at="2021-10-14T23:30:00+00:00"),
        # Not the session's: entered in error, the day before, another facility, another lot.
        injection("ERR-1", status="ENTERED_IN_ERROR", administered_at=at.format(30)),
        injection("EVE-1", administered_at="2021-10-14T16:00:00+07:00"),
        injection("OTHER-1", facility_code="F00102", administered_at=at.format(31)),
        injection("PFZ-1", vaccine_code="PFZ", lot_number=PFZ_LOT, administered_at=at.format(32)),
    ]
    load("injections", doses)


def staff(engine: Engine) -> Principal:
    """The F00101 station's staff account."""
    return principal(engine, "tram.phucxa", Role.FACILITY_STAFF, "F00101")


def open_session(engine: Engine, who: Principal, facility_code: str = "F00101",
                 **over: object) -> str:
    """An OPEN AZ session on DAY at `facility_code`, using AZ_LOT."""
    return create_session(engine, who, SOURCE, plan(facility_code, DAY, **over))
