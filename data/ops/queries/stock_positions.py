"""What a warehouse holds, lot by lot, at any moment, and a lot's stock card: the reads the
stock pages and the stock export are to show, with the reader's scope checked. The figures
are the ledger's (data.ops.queries.stock_ledger), nothing stored beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from data.auth.roles import Forbidden, Principal
from data.command_errors import OpsError
from data.ops.commands.stock_common import keeps, place
from data.ops.queries.stock_ledger import SIGNED, CardLine, LotKey, stock_card, ts_param


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


@dataclass(frozen=True)
class WarehousePosition:
    """One lot at one warehouse, as the stock export writes it."""

    warehouse_code: str
    position: Position


# Held and in transit towards, per warehouse and lot, in one pass over the ledger and the
# transfers (the export reads every warehouse at once: one query, not one per warehouse).
# A lot's expiry is the same wherever it is; MAX picks it from either side.
_POSITIONS = f"""
    SELECT x.w, x.v, x.l, MAX(x.exp), SUM(x.held), SUM(x.coming) FROM (
        SELECT m.warehouse_code AS w, m.vaccine_code AS v, m.lot_number AS l,
               m.expiry_date AS exp, {SIGNED} AS held, 0 AS coming
        FROM stock_movement m WHERE m.occurred_at <= :at {{movements}}
        UNION ALL
        SELECT t.to_warehouse, t.vaccine_code, t.lot_number, t.expiry_date, 0, t.sent
        FROM vax_stock_transfer t
        WHERE t.sent_at <= :at AND (t.received_at IS NULL OR t.received_at > :at) {{transfers}}
    ) x
    GROUP BY x.w, x.v, x.l
    HAVING SUM(x.held) <> 0 OR SUM(x.coming) <> 0"""
_IN_PROVINCE = """IN (SELECT d.warehouse_code FROM dim_warehouse d
                      WHERE d.province_code = :p)"""


def positions_everywhere_at(conn: Connection, at: dt.datetime,
                            province_code: str | None = None) -> list[WarehousePosition]:
    """Every warehouse's lots at `at` (those of one province's warehouses when given), by
    warehouse, vaccine and lot: the figures positions_at gives one warehouse."""
    params: dict[str, object] = {"at": ts_param(conn, at)}
    movements = transfers = ""
    if province_code is not None:
        movements = f"AND m.warehouse_code {_IN_PROVINCE}"
        transfers = f"AND t.to_warehouse {_IN_PROVINCE}"
        params["p"] = province_code
    return _read(conn, _POSITIONS.format(movements=movements, transfers=transfers), params)


def positions_at(conn: Connection, warehouse_code: str, at: dt.datetime) -> list[Position]:
    """Every lot the warehouse has on hand (not zero) or has in transit towards it at `at`,
    by vaccine and lot."""
    query = _POSITIONS.format(movements="AND m.warehouse_code = :w",
                              transfers="AND t.to_warehouse = :w")
    return [p.position for p in _read(conn, query, {"at": ts_param(conn, at),
                                                   "w": warehouse_code})]


def _read(conn: Connection, query: str, params: dict[str, object]) -> list[WarehousePosition]:
    # Sorted here, not by ORDER BY: code-point order whatever the server's collation.
    return sorted((WarehousePosition(str(w), Position(str(v), str(lot), _date(exp), int(held),
                                                      int(coming)))
                   for w, v, lot, exp, held, coming in conn.execute(text(query), params)),
                  key=lambda p: (p.warehouse_code, p.position.vaccine_code,
                                 p.position.lot_number))


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
