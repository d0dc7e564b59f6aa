"""The lots a session may draw on: what its facility's warehouses hold of the session's
vaccines (and lots, when the session names them), first expiry first out (FEFO)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select

from data.auth.roles import Principal
from data.db import unit_of_work
from data.models.rollups import AggStockOnHand
from data.models.star import DimVaccine, DimWarehouse
from data.ops.commands.common import session_in_scope

ON_HAND = AggStockOnHand.__table__
WAREHOUSES = DimWarehouse.__table__
VACCINES = DimVaccine.__table__


@dataclass(frozen=True)
class LotHeld:
    """One lot on hand at the facility: doses over all its warehouses, and its expiry."""

    vaccine_code: str
    lot_number: str
    expiry_date: dt.date | None
    doses: int

    def expired_on(self, day: dt.date) -> bool:
        """Whether the lot may no longer be given on `day` (it expires at the end of its
        expiry date). A lot with no known expiry is treated as expired: it cannot be checked."""
        return self.expiry_date is None or self.expiry_date < day


def lots_held(conn: Connection, facility_code: str, vaccines: Sequence[str],
              lots: Sequence[str] = ()) -> list[LotHeld]:
    """Lots with doses on hand (> 0) at the facility's own warehouses, of `vaccines` (and
    only `lots` when given), soonest expiry first. Read from agg_stock_on_hand, the rollup
    of every stock movement, so it agrees with the stock pages."""
    if not vaccines:
        return []
    q = (select(VACCINES.c.vaccine_code, ON_HAND.c.lot_number,
                func.min(ON_HAND.c.expiry_date), func.sum(ON_HAND.c.doses))
         .join(WAREHOUSES, WAREHOUSES.c.warehouse_key == ON_HAND.c.warehouse_key)
         .join(VACCINES, VACCINES.c.vaccine_key == ON_HAND.c.vaccine_key)
         .where(WAREHOUSES.c.facility_code == facility_code,
                VACCINES.c.vaccine_code.in_(list(vaccines)))
         .group_by(VACCINES.c.vaccine_code, ON_HAND.c.lot_number)
         .having(func.sum(ON_HAND.c.doses) > 0))
    if lots:
        q = q.where(ON_HAND.c.lot_number.in_(list(lots)))
    found = [LotHeld(v, lot, exp, int(n)) for v, lot, exp, n in conn.execute(q)]
    return sorted(found, key=fefo)


def fefo(lot: LotHeld) -> tuple[bool, dt.date, str, str]:
    """First expiry first out: the soonest expiry first, an unknown one last."""
    return (lot.expiry_date is None, lot.expiry_date or dt.date.max, lot.vaccine_code,
            lot.lot_number)


def session_lots(engine: Engine, principal: Principal, session_id: str) -> list[LotHeld]:
    """The lots the session may use on its day, FEFO: held by its facility, of its vaccines
    and lots, not expired on the session's day. The first is the one to suggest."""
    with unit_of_work(engine) as conn:
        session = session_in_scope(conn, principal, session_id)
        held = lots_held(conn, session["facility_code"], session["vaccines"],
                         session["lots"])
    return [lot for lot in held if not lot.expired_on(session["day"])]
