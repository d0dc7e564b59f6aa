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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, text

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


# A stock card's columns and the ledger's order (see the module doc).
_CARD_COLUMNS = f"""m.movement_id, m.occurred_at, m.movement_type, {SIGNED} AS signed,
               m.reason, e.reason_detail, m.counterparty_code, e.vvm_stage"""
_CARD_ORDER = "m.occurred_at, COALESCE(e.entry_id, 0), m.movement_id"


def stock_card(conn: Connection, lot: LotKey) -> list[CardLine]:
    """Every event of the lot at the warehouse in ledger order with the running balance."""
    rows = conn.execute(text(f"""
        SELECT {_CARD_COLUMNS}
        FROM stock_movement m LEFT JOIN vax_stock_entry e ON e.movement_id = m.movement_id
        WHERE {_LOT}
        ORDER BY {_CARD_ORDER}"""), _lot_params(lot)).all()
    return _card(rows)


def stock_cards(conn: Connection, lots: Sequence[LotKey]) -> dict[LotKey, list[CardLine]]:
    """The stock cards of many lots, one query per warehouse (a count sheet's 500 lots are
    one round trip, not 500); a lot without movements has an empty card."""
    out: dict[LotKey, list[CardLine]] = {lot: [] for lot in lots}
    for warehouse in sorted({lot.warehouse_code for lot in lots}):
        mine = [lot for lot in lots if lot.warehouse_code == warehouse]
        rows = conn.execute(text(f"""
            SELECT m.vaccine_code AS v, m.lot_number AS l, {_CARD_COLUMNS}
            FROM stock_movement m LEFT JOIN vax_stock_entry e ON e.movement_id = m.movement_id
            WHERE m.warehouse_code = :w AND m.vaccine_code IN :vs AND m.lot_number IN :ls
            ORDER BY m.vaccine_code, m.lot_number, {_CARD_ORDER}""").bindparams(
            bindparam("vs", expanding=True), bindparam("ls", expanding=True)),
            {"w": warehouse, "vs": sorted({lot.vaccine_code for lot in mine}),
             "ls": sorted({lot.lot_number for lot in mine})}).all()
        by_lot: dict[LotKey, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_lot.setdefault(LotKey(warehouse, str(row.v), str(row.l)), []).append(
                tuple(row)[2:])
        for lot, lines in by_lot.items():
            if lot in out:
                out[lot] = _card(lines)
    return out


def _card(rows: Sequence[Sequence[Any]]) -> list[CardLine]:
    """Card lines with the running balance from rows of _CARD_COLUMNS in ledger order."""
    balance, out = 0, []
    for mid, at, kind, signed, reason, detail, cp, vvm in rows:
        balance += int(signed)
        out.append(CardLine(str(mid), as_utc(at), str(kind), int(signed), reason, detail, cp,
                            vvm, balance))
    return out


def held_at(conn: Connection, warehouse_code: str, lots: Sequence[tuple[str, str]],
            at: dt.datetime) -> dict[tuple[str, str], tuple[dt.date, int]]:
    """(vaccine, lot) -> (expiry, doses on hand at `at`) of those of `lots` (vaccine, lot)
    the warehouse ever held: lot_expiry and on_hand_at of many lots in one query."""
    if not lots:
        return {}
    rows = conn.execute(text(f"""
        SELECT m.vaccine_code, m.lot_number, MAX(m.expiry_date),
               COALESCE(SUM(CASE WHEN m.occurred_at <= :at THEN {SIGNED} ELSE 0 END), 0)
        FROM stock_movement m
        WHERE m.warehouse_code = :w AND m.vaccine_code IN :vs AND m.lot_number IN :ls
        GROUP BY m.vaccine_code, m.lot_number""").bindparams(
        bindparam("vs", expanding=True), bindparam("ls", expanding=True)),
        {"w": warehouse_code, "vs": sorted({v for v, _ in lots}),
         "ls": sorted({lot for _, lot in lots}), "at": ts_param(conn, at)}).all()
    wanted = set(lots)
    return {(str(v), str(lot)): (_as_date(exp), int(n)) for v, lot, exp, n in rows
            if (str(v), str(lot)) in wanted}


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


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
