"""Physical counts (issue 12): the quantity counted is entered, the ledger's balance at that
moment is read and the difference written as an ADJUSTMENT, reason COUNT (none when they
agree). Every count is kept (vax_stock_count), agreeing or not: reconciliation compares the
ledger with the last one. A count sheet saves all the lots of one warehouse in one
transaction; one refused line refuses the sheet, each problem beside its lot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, text

from data import audit
from data.auth.roles import Principal
from data.bulk import serialize_loads
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.ops.commands.common import actor, new_id, raise_if
from data.ops.commands.stock_common import (
    MAX_DOSES,
    Movement,
    engine_and_tz,
    require_warehouse,
    vvm_problems,
    when_problems,
    write_movements,
)
from data.ops.commands.stock_requests import (
    answered,
    fingerprint,
    remember,
    request_problems,
)
from data.ops.queries.stock_ledger import held_at, ts_param
from data.services import Services
from data.version import bump_version

MAX_LINES = 2_000  # a national store's lots; more is not one sheet


@dataclass(frozen=True)
class Counted:
    """One line of a count sheet."""

    vaccine_code: str
    lot_number: str
    counted: int
    vvm_stage: int | None = None


def line_field(lot_number: str) -> str:
    """The sheet's field of one lot's counted quantity (a problem beside it names it)."""
    return f"counted.{lot_number}"


def count(target: Services | Engine, principal: Principal, warehouse_code: str,
          vaccine_code: str, lot_number: str, counted: int, counted_at: dt.datetime, *,
          vvm_stage: int | None = None, lang: str = "vi", source: str | None = None,
          tz: str | None = None, request_id: str | None = None) -> str:
    """A count of one lot the warehouse holds (problems beside "counted"); the count id."""
    return _save(target, principal, warehouse_code,
                 [Counted(vaccine_code, lot_number, counted, vvm_stage)], counted_at,
                 lambda _line: "counted", lang, source, tz, request_id)[0]


def count_sheet(target: Services | Engine, principal: Principal, warehouse_code: str,
                lines: Sequence[Counted], counted_at: dt.datetime, *, lang: str = "vi",
                source: str | None = None, tz: str | None = None,
                request_id: str | None = None) -> list[str]:
    """The counts of many lots of one warehouse at one moment, in one transaction (problems
    beside line_field(lot)); the count ids in the lines' order (the first ones again when
    `request_id` was answered before)."""
    if len(lines) > MAX_LINES:
        raise OpsError.one("counted", "stock.too_many_lines", str(MAX_LINES))
    seen: set[tuple[str, str]] = set()
    twice = []
    for line in lines:
        key = (line.vaccine_code, line.lot_number)
        if key in seen:
            twice.append(Problem(line_field(line.lot_number), "stock.counted_twice",
                                 line.lot_number))
        seen.add(key)
    raise_if(twice)
    return _save(target, principal, warehouse_code, lines, counted_at,
                 lambda line: line_field(line.lot_number), lang, source, tz, request_id)


def _save(target: Services | Engine, principal: Principal, warehouse_code: str,
          lines: Sequence[Counted], counted_at: dt.datetime,
          field_of: Callable[[Counted], str], lang: str, source: str | None,
          tz: str | None, request_id: str | None) -> list[str]:
    problems = when_problems(counted_at, "counted_at") + request_problems(request_id)
    for line in lines:
        n = line.counted
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_DOSES:
            problems.append(Problem(field_of(line), "stock.counted_value", str(MAX_DOSES)))
        problems += [Problem(field_of(line), p.code, p.detail)
                     for p in vvm_problems(line.vvm_stage)]
    raise_if(problems)
    engine, zone = engine_and_tz(target, tz)
    ids = [new_id() for _ in lines]
    digest = fingerprint("COUNT", {"w": warehouse_code, "at": counted_at, "lines": [
        [line.vaccine_code, line.lot_number, line.counted, line.vvm_stage] for line in lines]})
    with unit_of_work(engine) as conn:
        require_warehouse(conn, principal, warehouse_code)
        serialize_loads(conn)
        earlier = answered(conn, principal, request_id, "COUNT", digest)
        if earlier is not None:
            return [str(i) for i in earlier.result]
        rows, moves, of_move = [], [], {}
        # Every line's expiry and balance at the moment counted, in one read.
        held = held_at(conn, warehouse_code,
                       [(line.vaccine_code, line.lot_number) for line in lines], counted_at)
        for count_id, line in zip(ids, lines, strict=True):
            found = held.get((line.vaccine_code, line.lot_number))
            if found is None:
                problems.append(Problem(field_of(line), "stock.lot_not_held",
                                        f"{line.lot_number} / {warehouse_code}"))
                continue
            expiry, balance = found
            movement_id = None
            if line.counted != balance:
                movement_id = new_id()
                moves.append(Movement(movement_id, counted_at, warehouse_code, "ADJUSTMENT",
                                      line.vaccine_code, line.lot_number, expiry,
                                      line.counted - balance, reason="COUNT",
                                      vvm_stage=line.vvm_stage))
                of_move[movement_id] = line
            rows.append({"id": count_id, "w": warehouse_code, "v": line.vaccine_code,
                         "l": line.lot_number, "at": ts_param(conn, counted_at),
                         "n": line.counted, "bal": balance, "mid": movement_id,
                         "vvm": line.vvm_stage, "by": principal.username})
        raise_if(problems)
        write_movements(conn, moves, lang, zone, principal.username,
                        lambda m: field_of(of_move[m.movement_id]))
        if rows:
            conn.execute(text("""
                INSERT INTO vax_stock_count (count_id, warehouse_code, vaccine_code,
                    lot_number, counted_at, counted, ledger_balance, movement_id, vvm_stage,
                    counted_by)
                VALUES (:id, :w, :v, :l, :at, :n, :bal, :mid, :vvm, :by)"""), rows)
        audit.record(conn, actor(principal, source), "COUNT", "vax_stock_count",
                     ids[0] if len(ids) == 1 else None,
                     after={"warehouse_code": warehouse_code,
                            "lines": [{"count_id": r["id"], "lot_number": r["l"],
                                       "counted": r["n"], "ledger_balance": r["bal"],
                                       "movement_id": r["mid"]} for r in rows]})
        remember(conn, principal, request_id, "COUNT", digest, ids)
        bump_version(conn)  # last: the version row is held only until the commit
    return ids
