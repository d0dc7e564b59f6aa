"""What a warehouse holds, lot by lot, at any moment, and a lot's stock card: the reads the
stock pages and the stock export are to show, with the reader's scope checked. The figures
are the ledger's (data.ops.queries.stock_ledger), nothing stored beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from data.auth.roles import Forbidden, Principal
from data.ops.commands.errors import OpsError
from data.ops.commands.stock_common import keeps, place
from data.ops.queries.stock_ledger import (
    SIGNED,
    CardLine,
    LotKey,
    in_transit_in,
    stock_card,
    ts_param,
)


@dataclass(frozen=True)
class Position:
    """One lot at a warehouse: on hand, and sent to it but not yet confirmed."""

    vaccine_code: str
    lot_number: str
    expiry_date: dt.date | None
    on_hand: int
    in_transit_in: int


def require_reader(conn: Connection, principal: Principal, warehouse_code: str) -> None:
    """OpsError for an unknown warehouse; Forbidden unless the principal keeps it or reads
    the whole country (the ministry, administrators)."""
    where = place(conn, warehouse_code)
    if where is None:
        raise OpsError.one("warehouse_code", "stock.warehouse_unknown", warehouse_code)
    if not (principal.national or keeps(principal, where)):
        raise Forbidden(f"{principal.username} may not read the stock of {warehouse_code}")


def positions_at(conn: Connection, warehouse_code: str, at: dt.datetime) -> list[Position]:
    """Every lot the warehouse has on hand (not zero) or has in transit towards it at `at`,
    by vaccine and lot."""
    rows = conn.execute(text(f"""
        SELECT m.vaccine_code, m.lot_number, MAX(m.expiry_date), SUM({SIGNED})
        FROM stock_movement m WHERE m.warehouse_code = :w AND m.occurred_at <= :at
        GROUP BY m.vaccine_code, m.lot_number"""),
        {"w": warehouse_code, "at": ts_param(conn, at)}).all()
    held = {(str(v), str(lot)): (_date(exp), int(n)) for v, lot, exp, n in rows}
    transit = in_transit_in(conn, warehouse_code, at)
    expiries: dict[tuple[str, str], dt.date | None] = {}
    if transit:
        expiries = dict(((str(v), str(lot)), _date(exp)) for v, lot, exp in conn.execute(text(
            """SELECT DISTINCT vaccine_code, lot_number, expiry_date FROM vax_stock_transfer
               WHERE to_warehouse = :w"""), {"w": warehouse_code}))
    out = []
    for key in sorted(set(held) | set(transit)):
        expiry, on_hand = held.get(key, (None, 0))
        coming = transit.get(key, 0)
        if on_hand or coming:
            out.append(Position(key[0], key[1], expiry or expiries.get(key), on_hand, coming))
    return out


def warehouse_stock(engine: Engine, principal: Principal, warehouse_code: str,
                    at: dt.datetime | None = None) -> list[Position]:
    """The warehouse's lots at `at` (now when None), once the reader's scope is checked."""
    with engine.connect() as conn:
        require_reader(conn, principal, warehouse_code)
        return positions_at(conn, warehouse_code, at or dt.datetime.now(dt.UTC))


def lot_card(engine: Engine, principal: Principal, lot: LotKey) -> list[CardLine]:
    """The lot's stock card at the warehouse, once the reader's scope is checked."""
    with engine.connect() as conn:
        require_reader(conn, principal, lot.warehouse_code)
        return stock_card(conn, lot)


def _date(value: object) -> dt.date | None:
    # SQLite hands a DATE read by raw SQL back as text.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
