"""The simulator's stock: a desk whose facility warehouse holds no unexpired lot of a vaccine
it gives receives one, through the ETL's own write path (a stock_movements file loaded like
any other), so give_dose finds a lot held and in date, and closing has stock to issue."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, select

from data.auth.roles import SYSTEM
from data.interchange.kinds import stock
from data.models.reference import Warehouse
from data.ops.commands.common import actor
from data.ops.queries.lots import LotHeld, lots_held
from data.settings import Settings
from etl.pipeline import load_file

RECEIPT_DOSES = 5000  # a district's delivery to a commune station, enough for a long demo
SHELF_LIFE = dt.timedelta(days=182)  # about six months ahead, as a fresh delivery
_WAREHOUSES = Warehouse.__table__


def facility_warehouse(engine: Engine, facility_code: str) -> str | None:
    """The facility's own warehouse (the one its sessions draw on and closing moves)."""
    with engine.connect() as conn:
        return conn.execute(select(_WAREHOUSES.c.code)
                            .where(_WAREHOUSES.c.facility_code == facility_code)
                            .order_by((_WAREHOUSES.c.level != "FACILITY"),
                                      _WAREHOUSES.c.code).limit(1)).scalar()


def fresh_lots(engine: Engine, facility_code: str, vaccines: Sequence[str],
               day: dt.date) -> list[LotHeld]:
    """Lots on hand at the facility, of `vaccines`, not expired on `day`, FEFO."""
    with engine.connect() as conn:
        held = lots_held(conn, facility_code, vaccines)
    return [lot for lot in held if not lot.expired_on(day)]


def receipt_lot(vaccine: str, day: dt.date) -> str:
    return f"SIM-{vaccine}-{day:%Y%m%d}"


def receive_missing(settings: Settings, engine: Engine, source: str,
                    wanted: dict[str, tuple[str, Sequence[str]]], day: dt.date) -> int:
    """For each facility -> (warehouse, vaccines), a RECEIPT of a fresh lot of every vaccine
    of which the facility holds nothing in date; one file, loaded as `python -m etl load`
    would. Returns the movements loaded."""
    rows = []
    for facility, (warehouse, vaccines) in sorted(wanted.items()):
        have = {lot.vaccine_code for lot in fresh_lots(engine, facility, vaccines, day)}
        for vaccine in vaccines:
            if vaccine in have:
                continue
            lot = receipt_lot(vaccine, day)
            # Received at the day's first moment (local): before every dose of the day, and
            # never in the future, which the contract refuses (at 06:00 it was, until dawn).
            rows.append({"movement_id": f"SIM-R-{warehouse}-{lot}",
                         "occurred_at": dt.datetime.combine(day, dt.time(0, 0)).isoformat(),
                         "warehouse_code": warehouse, "movement_type": "RECEIPT",
                         "counterparty_code": "", "vaccine_code": vaccine, "lot_number": lot,
                         "expiry_date": (day + SHELF_LIFE).isoformat(),
                         "doses": str(RECEIPT_DOSES), "reason": ""})
    if not rows:
        return 0
    with tempfile.TemporaryDirectory(prefix="vx-sim-") as tmp:
        path = Path(tmp) / "stock_movements.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=stock.OPERATIONAL)
            writer.writeheader()
            writer.writerows(rows)
        result = load_file(settings, engine, "stock_movements", path,
                           reject_path=Path(tmp) / "rejects.csv",
                           actor=actor(SYSTEM, source))
    return result.loaded
