"""The stock ledger's reads: a lot's stock on hand at a warehouse at any moment, its stock
card, and what is in transit towards a warehouse.

Stock on hand is the ledger's running sum (issue 12: never stored apart from it, beyond the
rollup agg_stock_on_hand the loader keeps): the lot's movements at the warehouse ordered by
occurred_at, then by entry order (vax_stock_entry.entry_id; movements that came from a file
or a session close have none and come first among those of the same instant, by id). Signs
are the contract's (data.catalog.MOVEMENT_SIGN; an ADJUSTMENT carries its own). Every read of
one lot uses ix_stock_movement_lot_at (warehouse, vaccine, lot, occurred_at).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, text

from data.catalog import MOVEMENT_SIGN

# The signed doses of a stock_movement row m, from the contract's signs.
SIGNED = "CASE WHEN m.movement_type IN ({}) THEN -m.doses ELSE m.doses END".format(
    ", ".join(f"'{k}'" for k, s in sorted(MOVEMENT_SIGN.items()) if s < 0))


@dataclass(frozen=True)
class LotKey:
    """One lot at one warehouse: the ledger's unit."""

    warehouse_code: str
    vaccine_code: str
    lot_number: str


@dataclass(frozen=True)
class CardLine:
    """One event of a stock card with the balance after it."""

    movement_id: str
    occurred_at: dt.datetime
    movement_type: str
    doses: int  # signed: what the event did to the balance
    reason: str | None
    reason_detail: str | None
    counterparty_code: str | None
    vvm_stage: int | None
    balance: int


def ts_param(conn: Connection, at: dt.datetime) -> object:
    """A moment as the column compares it: the stored text on SQLite (UTC, whole seconds, as
    data.interchange.parse.sql_timestamp writes it), the datetime itself on PostgreSQL."""
    utc = at.astimezone(dt.UTC).replace(microsecond=0)
    if conn.dialect.name == "postgresql":
        return utc
    return utc.strftime("%Y-%m-%d %H:%M:%S+00:00")


def as_utc(value: object) -> dt.datetime:
    """A stored occurred_at as an aware UTC datetime (SQLite hands raw SQL text back)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


_LOT = "m.warehouse_code = :w AND m.vaccine_code = :v AND m.lot_number = :l"


def _lot_params(lot: LotKey) -> dict[str, object]:
    return {"w": lot.warehouse_code, "v": lot.vaccine_code, "l": lot.lot_number}


def on_hand_at(conn: Connection, lot: LotKey, at: dt.datetime) -> int:
    """Doses of the lot on hand at the warehouse at `at` (every movement up to and including
    that moment)."""
    found = conn.execute(text(f"""
        SELECT COALESCE(SUM({SIGNED}), 0) FROM stock_movement m
        WHERE {_LOT} AND m.occurred_at <= :at"""),
        {**_lot_params(lot), "at": ts_param(conn, at)}).scalar_one()
    return int(found)


def stock_card(conn: Connection, lot: LotKey) -> list[CardLine]:
    """Every event of the lot at the warehouse in ledger order with the running balance."""
    rows = conn.execute(text(f"""
        SELECT m.movement_id, m.occurred_at, m.movement_type, {SIGNED} AS signed, m.reason,
               e.reason_detail, m.counterparty_code, e.vvm_stage
        FROM stock_movement m LEFT JOIN vax_stock_entry e ON e.movement_id = m.movement_id
        WHERE {_LOT}
        ORDER BY m.occurred_at, COALESCE(e.entry_id, 0), m.movement_id"""),
        _lot_params(lot)).all()
    balance, out = 0, []
    for mid, at, kind, signed, reason, detail, cp, vvm in rows:
        balance += int(signed)
        out.append(CardLine(str(mid), as_utc(at), str(kind), int(signed), reason, detail, cp,
                            vvm, balance))
    return out


def in_transit_in(conn: Connection, warehouse_code: str, at: dt.datetime | None = None
                  ) -> dict[tuple[str, str], int]:
    """(vaccine, lot) -> doses sent to the warehouse and not yet confirmed by it (at `at`:
    sent by then and not received by then). On hand at neither side while in transit."""
    if at is None:
        rows = conn.execute(text("""
            SELECT vaccine_code, lot_number, SUM(sent) FROM vax_stock_transfer
            WHERE to_warehouse = :w AND status = 'IN_TRANSIT'
            GROUP BY vaccine_code, lot_number"""), {"w": warehouse_code}).all()
    else:
        rows = conn.execute(text("""
            SELECT vaccine_code, lot_number, SUM(sent) FROM vax_stock_transfer
            WHERE to_warehouse = :w AND sent_at <= :at
              AND (received_at IS NULL OR received_at > :at)
            GROUP BY vaccine_code, lot_number"""),
            {"w": warehouse_code, "at": ts_param(conn, at)}).all()
    return {(str(v), str(lot)): int(n) for v, lot, n in rows}


def lot_expiry(conn: Connection, lot: LotKey) -> dt.date | None:
    """The lot's expiry as the warehouse's movements record it; None when it never held it."""
    found = conn.execute(text(f"""
        SELECT MAX(m.expiry_date) FROM stock_movement m WHERE {_LOT}"""),
        _lot_params(lot)).scalar()
    if found is None:
        return None
    return found if isinstance(found, dt.date) else dt.date.fromisoformat(str(found)[:10])
