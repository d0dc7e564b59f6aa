"""What the stock ledger's commands share: the warehouse scope check, the back-dated check and
the one way a movement is written, through the stock kind's rules and loader
(data.interchange.kinds.stock, data.loaders.stock), as a file's rows and a session close are.

Each command holds the load lock (data.bulk.serialize_loads) from its balance reads to its
commit, as a file load and a session close do: two writers at one lot must not both pass the
below-zero check against the same balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, insert, text

from data.auth.roles import Forbidden, Principal, Role
from data.catalog import MOVEMENT_SIGN
from data.command_errors import OpsError, Problem
from data.interchange.cells import cell_text
from data.interchange.kinds import stock
from data.interchange.validate import LINE, Validator
from data.loaders.stock import apply_stock_movements
from data.lookups import RefContext
from data.models.ops import VaxStockEntry
from data.ops.commands.common import now
from data.ops.queries.stock_ledger import LotKey, lot_expiry
from data.services import Services
from data.settings import Settings

ENTRIES = VaxStockEntry.__table__
# Levels an officer's grant reaches: a province officer keeps the province's, its districts'
# and its facilities' warehouses; a district officer its district's and its facilities'; the
# national and regional stores belong to no operations role yet (the system principal only).
_PROVINCE_LEVELS = ("PROVINCE", "DISTRICT", "FACILITY")
_DISTRICT_LEVELS = ("DISTRICT", "FACILITY")
MAX_DOSES = 10_000_000  # a national receipt; more is a typing error


@dataclass(frozen=True)
class Place:
    """A warehouse as scope checks see it."""

    code: str
    key: int
    level: str
    province_code: str | None
    district_code: str | None
    facility_code: str | None


@dataclass(frozen=True)
class Movement:
    """One movement as a command writes it: the contract's row plus the ledger's detail."""

    movement_id: str
    occurred_at: dt.datetime
    warehouse_code: str
    movement_type: str
    vaccine_code: str
    lot_number: str
    expiry_date: dt.date
    doses: int  # as the contract writes it: positive, an ADJUSTMENT signed
    counterparty_code: str | None = None
    reason: str | None = None
    reason_detail: str | None = None
    vvm_stage: int | None = None

    @property
    def signed(self) -> int:
        """What the movement does to the lot's balance."""
        return self.doses * MOVEMENT_SIGN[self.movement_type]

    @property
    def lot(self) -> LotKey:
        """The lot at the warehouse it moves."""
        return LotKey(self.warehouse_code, self.vaccine_code, self.lot_number)


def engine_and_tz(target: Services | Engine, tz: str | None) -> tuple[Engine, str]:
    """The engine of `target` and the campaign's time zone (the settings' unless given)."""
    if isinstance(target, Services):
        return target.engine, tz or target.settings.timezone
    return target, tz or Settings.timezone


def place(conn: Connection, code: str) -> Place | None:
    """The warehouse of `code` as the star schema holds it, None when unknown."""
    row = conn.execute(text("""
        SELECT warehouse_code, warehouse_key, level, province_code, district_code,
               facility_code FROM dim_warehouse WHERE warehouse_code = :w"""),
        {"w": code}).first()
    return Place(*row) if row else None


def keeps(principal: Principal, where: Place) -> bool:
    """Whether the principal may write the warehouse's ledger: its facility's staff, or an
    officer of the district or province it lies in (at or below the officer's level)."""
    if principal.is_system:
        return True
    return any(
        (g.role == Role.FACILITY_STAFF and where.facility_code is not None
         and g.scope_code == where.facility_code)
        or (g.role == Role.DISTRICT_OFFICER and where.level in _DISTRICT_LEVELS
            and g.district_code is not None and g.district_code == where.district_code)
        or (g.role == Role.PROVINCE_OFFICER and where.level in _PROVINCE_LEVELS
            and g.province_code is not None and g.province_code == where.province_code)
        for g in principal.grants)


def require_warehouse(conn: Connection, principal: Principal, code: str,
                      field: str = "warehouse_code") -> Place:
    """The warehouse once the principal's scope over it is checked: OpsError for an unknown
    code (beside `field`), Forbidden outside the scope."""
    where = place(conn, code)
    if where is None:
        raise OpsError.one(field, "stock.warehouse_unknown", code)
    if not keeps(principal, where):
        raise Forbidden(f"{principal.username} may not keep the stock of {code}")
    return where


def through_stock_kind(conn: Connection, rows: Sequence[Mapping[str, object]], lang: str,
                       tz: str, field_of: Callable[[Mapping[str, object], str], str]) -> None:
    """Validate movements (the contract's fields of each row) with the stock kind's transform
    and load them with its loader: stock_movement, fct_stock_movement and agg_stock_on_hand
    move together; no balance of a lot may go below zero at any date from theirs on (the
    kind's rule). OpsError (the reject report's reason, worded, beside field_of(row,
    the contract's field)) when a rule refuses one; nothing is written then."""
    if not rows:
        return
    raw = pd.DataFrame({f: pd.Series([cell_text(r.get(f)) for r in rows], dtype="str")
                        for f in stock.OPERATIONAL})
    raw[LINE] = range(1, len(rows) + 1)
    codes = sorted({str(c) for r in rows for c in (r.get("warehouse_code"),
                                                   r.get("counterparty_code")) if c})
    keys = conn.execute(text("""SELECT warehouse_code, warehouse_key FROM dim_warehouse
                                WHERE warehouse_code IN :codes""").bindparams(
        bindparam("codes", expanding=True)), {"codes": codes}).all()
    ctx = RefContext(frozenset(), {}, {}, {}, {str(c): int(k) for c, k in keys})
    v = Validator(raw, lang, tz)
    result = stock.transform(v, ctx, stock.prefetch(conn, raw, ctx))
    problems = v.problems()
    if len(problems):
        raise OpsError([Problem(field_of(rows[int(p.line) - 1], str(p.field)), p.code,
                                p.reason, worded=True) for p in problems.itertuples()])
    apply_stock_movements(conn, result.rows, 1_000)


def write_movement(conn: Connection, m: Movement, lang: str, tz: str, entered_by: str,
                   field: str = "doses") -> None:
    """Write the movement through the stock kind (its rules, then every balance from its date
    on) and record its entry (order, author, VVM stage, fine reason)."""
    write_movements(conn, [m], lang, tz, entered_by, lambda _m: field)


def write_movements(conn: Connection, ms: Sequence[Movement], lang: str, tz: str,
                    entered_by: str, field_of: Callable[[Movement], str]) -> None:
    """Several movements at once, entered in their order; a refusal of any one is beside
    field_of(its movement), or beside the contract's own field when that is not the quantity
    (the form's fields are the contract's, but for the quantity: counted, received...)."""
    rows = []
    for m in ms:
        # getattr, not asdict: asdict deep-copies every field (a 500-lot sheet's CPU).
        row: dict[str, object] = {k: getattr(m, k) for k in stock.OPERATIONAL}
        row["occurred_at"] = m.occurred_at.isoformat()
        rows.append(row)
    by_id = {m.movement_id: m for m in ms}
    through_stock_kind(conn, rows, lang, tz, lambda r, f: field_of(by_id[str(r["movement_id"])])
                       if f == "doses" else f)
    if ms:
        conn.execute(insert(ENTRIES), [
            {"movement_id": m.movement_id, "entered_at": dt.datetime.now(dt.UTC),
             "entered_by": entered_by, "reason_detail": m.reason_detail,
             "vvm_stage": m.vvm_stage} for m in ms])


def held_expiry(conn: Connection, lot: LotKey) -> dt.date:
    """The lot's expiry at the warehouse; OpsError when the warehouse never held it."""
    expiry = lot_expiry(conn, lot)
    if expiry is None:
        raise OpsError.one("lot_number", "stock.lot_not_held",
                           f"{lot.lot_number} / {lot.warehouse_code}")
    return expiry


def doses_problems(doses: object) -> list[Problem]:
    if not isinstance(doses, int) or isinstance(doses, bool) or not 0 < doses <= MAX_DOSES:
        return [Problem("doses", "stock.doses_value", str(MAX_DOSES))]
    return []


def when_problems(at: object, field: str = "occurred_at") -> list[Problem]:
    """A moment must be a time-zone-aware datetime, not in the future."""
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        return [Problem(field, "stock.when_value")]
    if at > now() + dt.timedelta(minutes=5):  # a device's clock a little ahead is no error
        return [Problem(field, "stock.when_future")]
    return []


def vvm_problems(stage: object) -> list[Problem]:
    # VVM stages 1-4 (WHO vaccine vial monitor): 3 and 4 are past the discard point.
    if stage is None or (isinstance(stage, int) and not isinstance(stage, bool)
                         and 1 <= stage <= 4):
        return []
    return [Problem("vvm_stage", "stock.vvm_stage")]
