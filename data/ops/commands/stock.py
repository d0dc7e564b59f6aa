"""The stock ledger's one-sided commands at one warehouse: receive, issue and adjust with a
typed reason (physical counts: data.ops.commands.counts). Each is one short transaction:
scope, the movement through the stock kind's rules and loader and the back-dated check, the
audit entry and the data version.

Reasons. The contract's reasons (docs/interchange.md, stock_movements) are written as they
are. Issue 12 adds cold-chain failure, lost and stolen, which the contract's catalogue lacks:
they are kept in the ledger's own vax_stock_entry.reason_detail and filed as OTHER in the
contract-shaped row, so a file export never carries a code the contract does not define. They
are debits only (the doses are gone). COUNT belongs to the count command alone.

Every ledger command takes an optional `request_id`, the client's id of the request: a retry
with it writes nothing and answers as the first time (data.ops.commands.stock_requests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

from sqlalchemy import Engine

from data import audit
from data.auth.roles import Principal
from data.bulk import serialize_loads
from data.catalog import MOVEMENT_REASONS
from data.command_errors import Problem
from data.db import unit_of_work
from data.ops.commands.common import actor, new_id, raise_if
from data.ops.commands.stock_common import (
    MAX_DOSES,
    Movement,
    doses_problems,
    engine_and_tz,
    held_expiry,
    require_warehouse,
    vvm_problems,
    when_problems,
    write_movement,
)
from data.ops.commands.stock_requests import (
    answered,
    fingerprint,
    remember,
    request_problems,
)
from data.services import Services
from data.version import bump_version

# Issue 12's reasons beyond the contract's, filed as OTHER (see the module doc).
EXTRA_REASONS = ("COLD_CHAIN_FAILURE", "LOST", "STOLEN")
ADJUST_REASONS = tuple(r for r in MOVEMENT_REASONS if r != "COUNT") + EXTRA_REASONS
FILE_REASON = "OTHER"


def receive(target: Services | Engine, principal: Principal, warehouse_code: str,
            vaccine_code: str, lot_number: str, expiry_date: dt.date, doses: int,
            occurred_at: dt.datetime, *, counterparty_code: str | None = None,
            vvm_stage: int | None = None, lang: str = "vi", source: str | None = None,
            tz: str | None = None, request_id: str | None = None) -> str:
    """A RECEIPT from a supplier (no counterparty) or from another warehouse; the movement id
    (the first one again when `request_id` was answered before)."""
    raise_if(doses_problems(doses) + when_problems(occurred_at) + vvm_problems(vvm_stage)
             + request_problems(request_id))
    m = Movement(new_id(), occurred_at, warehouse_code, "RECEIPT", vaccine_code, lot_number,
                 expiry_date, doses, counterparty_code or None, vvm_stage=vvm_stage)
    return _write(target, principal, m, "RECEIVE", lang, source, tz, request_id,
                  known_lot=False)


def issue(target: Services | Engine, principal: Principal, warehouse_code: str,
          vaccine_code: str, lot_number: str, doses: int, occurred_at: dt.datetime, *,
          counterparty_code: str | None = None, lang: str = "vi", source: str | None = None,
          tz: str | None = None, request_id: str | None = None) -> str:
    """An ISSUE of a lot the warehouse holds (to a session without counterparty, or to another
    warehouse, one-sided); the movement id."""
    raise_if(doses_problems(doses) + when_problems(occurred_at) + request_problems(request_id))
    m = Movement(new_id(), occurred_at, warehouse_code, "ISSUE", vaccine_code, lot_number,
                 dt.date.min, doses, counterparty_code or None)
    return _write(target, principal, m, "ISSUE", lang, source, tz, request_id)


def adjust(target: Services | Engine, principal: Principal, warehouse_code: str,
           vaccine_code: str, lot_number: str, doses: int, reason: str,
           occurred_at: dt.datetime, *, lang: str = "vi", source: str | None = None,
           tz: str | None = None, request_id: str | None = None) -> str:
    """An ADJUSTMENT of a lot the warehouse holds: `doses` > 0 a credit, < 0 a debit, with a
    typed reason (ADJUST_REASONS); the movement id."""
    problems = when_problems(occurred_at) + request_problems(request_id)
    if not isinstance(doses, int) or isinstance(doses, bool) or doses == 0 \
            or abs(doses) > MAX_DOSES:
        problems.append(Problem("doses", "stock.adjust_value", str(MAX_DOSES)))
    if reason not in ADJUST_REASONS:
        problems.append(Problem("reason", "stock.reason_unknown", reason))
    elif reason in EXTRA_REASONS and isinstance(doses, int) and doses > 0:
        problems.append(Problem("reason", "stock.reason_debit_only", reason))
    raise_if(problems)
    extra = reason in EXTRA_REASONS
    m = Movement(new_id(), occurred_at, warehouse_code, "ADJUSTMENT", vaccine_code,
                 lot_number, dt.date.min, doses, reason=FILE_REASON if extra else reason,
                 reason_detail=reason if extra else None)
    return _write(target, principal, m, "ADJUST", lang, source, tz, request_id)


def _write(target: Services | Engine, principal: Principal, m: Movement, action: str,
           lang: str, source: str | None, tz: str | None, request_id: str | None,
           known_lot: bool = True) -> str:
    """One movement in one transaction: scope, (a request answered before: its answer), (the
    lot's expiry when the warehouse must hold it), the checks and the write, the audit entry,
    the request's answer, the data version."""
    engine, zone = engine_and_tz(target, tz)
    digest = fingerprint(action, {k: v for k, v in asdict(m).items() if k != "movement_id"})
    with unit_of_work(engine) as conn:
        require_warehouse(conn, principal, m.warehouse_code)
        serialize_loads(conn)
        earlier = answered(conn, principal, request_id, action, digest)
        if earlier is not None:
            return str(earlier.result)
        if known_lot:
            m = replace(m, expiry_date=held_expiry(conn, m.lot))
        write_movement(conn, m, lang, zone, principal.username)
        audit.record(conn, actor(principal, source), action, "stock_movement", m.movement_id,
                     after={"warehouse_code": m.warehouse_code, "movement_type": m.movement_type,
                            "lot_number": m.lot_number, "doses": m.doses, "reason": m.reason,
                            "reason_detail": m.reason_detail,
                            "counterparty_code": m.counterparty_code})
        remember(conn, principal, request_id, action, digest, m.movement_id)
        bump_version(conn)  # last: the version row is held only until the commit
    return m.movement_id
