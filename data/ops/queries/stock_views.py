"""What the stock pages show beyond the ledger's own reads (data.ops.queries.stock_positions):
the warehouses a user may open, each lot's last VVM stage, the transfers coming to a
warehouse, and who entered each event of a stock card. Every read checks the reader's scope
here, whatever the page offered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, text

from data.auth.roles import Principal
from data.ops.commands.stock_common import Place, keeps
from data.ops.queries.stock_ledger import CardLine, LotKey, as_utc, stock_card
from data.ops.queries.stock_positions import Position, positions_at, require_reader

RECENT_RECEIVED = 10  # confirmed transfers shown under the incoming ones


@dataclass(frozen=True)
class Warehouse:
    """A warehouse as a picker lists it."""

    code: str
    name: str
    level: str


@dataclass(frozen=True)
class Holding:
    """One lot at a warehouse, with the last VVM stage recorded for it there."""

    position: Position
    vvm_stage: int | None


@dataclass(frozen=True)
class Incoming:
    """A transfer towards a warehouse: in transit, or confirmed (with its discrepancy)."""

    transfer_id: str
    from_warehouse: str
    vaccine_code: str
    lot_number: str
    expiry_date: dt.date | None
    sent: int
    sent_at: dt.datetime
    status: str
    received: int | None
    discrepancy: int | None


@dataclass(frozen=True)
class CardEvent:
    """One stock card line and the user who entered it (None: a file or a session close)."""

    line: CardLine
    entered_by: str | None


_LEVEL_ORDER = {"NATIONAL": 0, "REGIONAL": 1, "PROVINCE": 2, "DISTRICT": 3, "FACILITY": 4}


def readable_warehouses(engine: Engine, principal: Principal) -> list[Warehouse]:
    """The warehouses whose stock the principal may read, the highest level first."""
    with engine.connect() as conn:
        rows = conn.execute(text("""
            SELECT warehouse_code, warehouse_key, level, province_code, district_code,
                   facility_code, name FROM dim_warehouse""")).all()
    found = [Warehouse(str(r[0]), str(r[6]), str(r[2])) for r in rows
             if principal.national or keeps(principal, Place(*r[:6]))]
    return sorted(found, key=lambda w: (_LEVEL_ORDER.get(w.level, 9), w.code))


def all_warehouses(engine: Engine) -> list[Warehouse]:
    """Every warehouse (reference data: a transfer may go to any of them), by code."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT warehouse_code, name, level FROM dim_warehouse ORDER BY warehouse_code"))
        return [Warehouse(str(c), str(n), str(lv)) for c, n, lv in rows]


def vaccine_codes(engine: Engine) -> list[tuple[str, str]]:
    """(code, name) of every vaccine, by code."""
    with engine.connect() as conn:
        return [(str(c), str(n)) for c, n in conn.execute(text(
            "SELECT vaccine_code, name FROM dim_vaccine ORDER BY vaccine_code"))]


def holdings(engine: Engine, principal: Principal, warehouse_code: str,
             at: dt.datetime | None = None) -> list[Holding]:
    """The warehouse's lots (stock_positions.positions_at) with each lot's last VVM stage,
    from a movement's entry or a count, whichever is later."""
    with engine.connect() as conn:
        require_reader(conn, principal, warehouse_code)
        positions = positions_at(conn, warehouse_code, at or dt.datetime.now(dt.UTC))
        rows = conn.execute(text("""
            SELECT m.vaccine_code, m.lot_number, m.occurred_at, e.entry_id, e.vvm_stage
            FROM stock_movement m JOIN vax_stock_entry e ON e.movement_id = m.movement_id
            WHERE m.warehouse_code = :w AND e.vvm_stage IS NOT NULL
            UNION ALL
            SELECT c.vaccine_code, c.lot_number, c.counted_at, 0, c.vvm_stage
            FROM vax_stock_count c WHERE c.warehouse_code = :w AND c.vvm_stage IS NOT NULL"""),
            {"w": warehouse_code}).all()
    last: dict[tuple[str, str], tuple[dt.datetime, int, int]] = {}
    for vaccine, lot, when, order, stage in rows:
        key, seen = (str(vaccine), str(lot)), (as_utc(when), int(order), int(stage))
        if key not in last or seen[:2] >= last[key][:2]:
            last[key] = seen
    return [Holding(p, last[(p.vaccine_code, p.lot_number)][2]
                    if (p.vaccine_code, p.lot_number) in last else None) for p in positions]


def incoming(engine: Engine, principal: Principal, warehouse_code: str) -> list[Incoming]:
    """Transfers to the warehouse still in transit (oldest first), then the last confirmed
    ones (newest first)."""
    with engine.connect() as conn:
        require_reader(conn, principal, warehouse_code)
        columns = """transfer_id, from_warehouse, vaccine_code, lot_number, expiry_date, sent,
                     sent_at, status, received, discrepancy FROM vax_stock_transfer
                     WHERE to_warehouse = :w"""
        open_ = conn.execute(text(f"SELECT {columns} AND status = 'IN_TRANSIT' "
                                  "ORDER BY sent_at, transfer_id"), {"w": warehouse_code}).all()
        done = conn.execute(text(f"SELECT {columns} AND status <> 'IN_TRANSIT' "
                                 "ORDER BY received_at DESC, transfer_id LIMIT :n"),
                            {"w": warehouse_code, "n": RECENT_RECEIVED}).all()
    return [Incoming(str(r[0]), str(r[1]), str(r[2]), str(r[3]), _date(r[4]), int(r[5]),
                     as_utc(r[6]), str(r[7]), None if r[8] is None else int(r[8]),
                     None if r[9] is None else int(r[9])) for r in [*open_, *done]]


def card_events(engine: Engine, principal: Principal, lot: LotKey) -> list[CardEvent]:
    """The lot's stock card at the warehouse with who entered each event, once the reader's
    scope is checked."""
    with engine.connect() as conn:
        require_reader(conn, principal, lot.warehouse_code)
        lines = stock_card(conn, lot)
        who = dict(conn.execute(text("""
            SELECT e.movement_id, e.entered_by FROM vax_stock_entry e
            JOIN stock_movement m ON m.movement_id = e.movement_id
            WHERE m.warehouse_code = :w AND m.vaccine_code = :v AND m.lot_number = :l"""),
            {"w": lot.warehouse_code, "v": lot.vaccine_code, "l": lot.lot_number}).all())
    return [CardEvent(line, who.get(line.movement_id)) for line in lines]


def _date(value: object) -> dt.date | None:
    # SQLite hands a DATE read by raw SQL back as text.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
