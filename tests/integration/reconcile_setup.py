"""What the reconciliation tests share: close_setup's facility day (13 AZ doses closed with two
vials: registry 14 with a Pfizer dose outside the session, ledger 13, tally 13: within the
tolerance), and one seeded discrepancy of each kind:
- F00101 the next day: a session closed with 5 doses, then 12 more entered late (registry 17,
  ledger 5, tally 5: 12 doses apart, beyond the 10 tolerated);
- warehouse WF00101: its AZ lot counted 12 short of the ledger's 70.
Beside them, what must not be flagged: F00102's single dose (no session, no warehouse), a
dose at F00101 the evening before DAY, and WF00102 counted one dose short of its 40."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from data.auth.roles import SYSTEM
from data.ops.commands.closing import close_with_tally
from data.ops.commands.counts import count
from data.ops.commands.sessions import create_session
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import injection, movement, warehouse, write_csv
from tests.integration.close_setup import DAY, WAREHOUSE, open_session, seed_close, staff
from tests.integration.ops_setup import AZ_LOT, SOURCE, plan

NEXT = DAY + dt.timedelta(days=1)
OTHER_WAREHOUSE = "WF00102"
LATE = 12
COUNTED_AT = dt.datetime(2021, 10, 17, 2, 0, tzinfo=dt.UTC)


def seed_discrepancies(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """close_setup's data, both closes, the late doses and the counts."""
    seed_close(settings, engine, tmp_path)
    desk = staff(engine)

    def load(kind: str, name: str, rows: list[dict[str, object]]) -> None:
        result = load_file(settings, engine, kind, write_csv(tmp_path / f"{name}.csv", rows))
        assert result.rejected == 0, result
    at = f"{NEXT.isoformat()}T09:{{:02d}}:00+07:00"
    load("injections", "next", [injection(f"N-{i}", administered_at=at.format(i))
                                for i in range(5)])
    close_with_tally(engine, desk, open_session(engine, desk), {AZ_LOT: 2}, "en",
                     source=SOURCE, tz=settings.timezone)
    next_session = create_session(engine, desk, SOURCE, plan("F00101", NEXT))
    close_with_tally(engine, desk, next_session, {AZ_LOT: 1}, "en", source=SOURCE,
                     tz=settings.timezone)
    load("injections", "late", [injection(f"L-{i}", administered_at=at.format(20 + i))
                                for i in range(LATE)])
    load("warehouses", "w2", [warehouse(OTHER_WAREHOUSE, name="Kho Trạm Y tế Trúc Bạch",
                                        level="FACILITY", district_code="001",
                                        facility_code="F00102")])
    load("stock_movements", "r2", [movement("R2-AZ", warehouse_code=OTHER_WAREHOUSE,
                                            lot_number=AZ_LOT, doses=40,
                                            expiry_date="2022-06-30")])
    count(engine, SYSTEM, WAREHOUSE, "AZ", AZ_LOT, 70 - 12, COUNTED_AT, tz=settings.timezone)
    count(engine, SYSTEM, OTHER_WAREHOUSE, "AZ", AZ_LOT, 39, COUNTED_AT, tz=settings.timezone)
