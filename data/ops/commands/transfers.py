"""Two-sided transfers between warehouses (issue 12): the sender's TRANSFER_OUT puts the doses
in transit (vax_stock_transfer IN_TRANSIT) until the receiver confirms the quantity that
actually arrived, written as its TRANSFER_IN. A shortfall is kept as the transfer's
discrepancy, never written away: the doses were lost on the road, at neither warehouse. In
transit the doses are on hand at neither side and counted once, as the receiver's
in_transit_in (data.ops.queries.stock_ledger.in_transit_in).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, text

from data import audit
from data.auth.roles import Principal
from data.bulk import serialize_loads
from data.command_errors import OpsError, Problem
from data.db import unit_of_work
from data.ops.commands.allocation_link import UNKNOWN, require_deliverable
from data.ops.commands.common import actor, new_id, raise_if
from data.ops.commands.stock_common import (
    Movement,
    doses_problems,
    engine_and_tz,
    held_expiry,
    require_warehouse,
    when_problems,
    write_movement,
)
from data.ops.commands.stock_requests import (
    answered,
    fingerprint,
    remember,
    request_problems,
)
from data.ops.queries.stock_ledger import LotKey, as_utc, ts_param
from data.services import Services
from data.version import bump_version


def send(target: Services | Engine, principal: Principal, from_warehouse: str,
         to_warehouse: str, vaccine_code: str, lot_number: str, doses: int,
         sent_at: dt.datetime, *, lang: str = "vi", source: str | None = None,
         tz: str | None = None, request_id: str | None = None,
         allocation_id: str | None = None) -> str:
    """The sender's side: a TRANSFER_OUT of a lot it holds, in transit to `to_warehouse`.
    The sender's scope is checked (the receiver need not be in it); the transfer id (the
    first one again when `request_id` was answered before). With `allocation_id` it delivers
    that allocation decision row (data.ops.commands.allocation_link)."""
    problems = doses_problems(doses) + when_problems(sent_at, "sent_at") \
        + request_problems(request_id)
    if from_warehouse == to_warehouse:
        problems.append(Problem("to_warehouse", "transfer.same_warehouse"))
    if allocation_id is not None and (not isinstance(allocation_id, str)
                                      or not 0 < len(allocation_id) <= 64):
        problems.append(Problem("allocation_id", UNKNOWN, str(allocation_id)[:64]))
    raise_if(problems)
    engine, zone = engine_and_tz(target, tz)
    transfer_id = new_id()
    digest = fingerprint("SEND", {"from": from_warehouse, "to": to_warehouse, "v": vaccine_code,
                                  "l": lot_number, "n": doses, "at": sent_at,
                                  "alloc": allocation_id})
    with unit_of_work(engine) as conn:
        sender = require_warehouse(conn, principal, from_warehouse, "from_warehouse")
        serialize_loads(conn)
        earlier = answered(conn, principal, request_id, "SEND", digest)
        if earlier is not None:
            return str(earlier.result)
        if allocation_id is not None:
            require_deliverable(conn, allocation_id, sender, to_warehouse, vaccine_code, doses)
        expiry = held_expiry(conn, LotKey(from_warehouse, vaccine_code, lot_number))
        m = Movement(f"T{transfer_id}-OUT", sent_at, from_warehouse, "TRANSFER_OUT",
                     vaccine_code, lot_number, expiry, doses, to_warehouse)
        write_movement(conn, m, lang, zone, principal.username)
        conn.execute(text("""
            INSERT INTO vax_stock_transfer (transfer_id, from_warehouse, to_warehouse,
                vaccine_code, lot_number, expiry_date, sent, sent_at, out_movement_id, status,
                allocation_id)
            VALUES (:id, :src, :dst, :v, :l, :exp, :n, :at, :mid, 'IN_TRANSIT', :alloc)"""),
            {"id": transfer_id, "src": from_warehouse, "dst": to_warehouse, "v": vaccine_code,
             "l": lot_number, "exp": expiry, "n": doses, "at": ts_param(conn, sent_at),
             "mid": m.movement_id, "alloc": allocation_id})
        audit.record(conn, actor(principal, source), "SEND", "vax_stock_transfer", transfer_id,
                     after={"from": from_warehouse, "to": to_warehouse,
                            "lot_number": lot_number, "sent": doses,
                            "allocation_id": allocation_id})
        remember(conn, principal, request_id, "SEND", digest, transfer_id)
        bump_version(conn)  # last: the version row is held only until the commit
    return transfer_id


def confirm(target: Services | Engine, principal: Principal, transfer_id: str, received: int,
            received_at: dt.datetime, *, lang: str = "vi", source: str | None = None,
            tz: str | None = None, request_id: str | None = None) -> int:
    """The receiver's side: the doses that arrived (0..sent) as its TRANSFER_IN; the
    discrepancy (sent - received) stays on the transfer. Returns the discrepancy (the same
    again, nothing written, when `request_id` was answered before)."""
    problems = when_problems(received_at, "received_at") + request_problems(request_id)
    if not isinstance(received, int) or isinstance(received, bool) or received < 0:
        problems.append(Problem("received", "transfer.received_value"))
    raise_if(problems)
    engine, zone = engine_and_tz(target, tz)
    digest = fingerprint("CONFIRM", {"transfer": transfer_id, "n": received, "at": received_at})
    with unit_of_work(engine) as conn:
        found = conn.execute(text("""
            SELECT from_warehouse, to_warehouse, vaccine_code, lot_number, expiry_date, sent,
                   sent_at, status FROM vax_stock_transfer WHERE transfer_id = :id"""),
            {"id": transfer_id}).first()
        if found is None:
            raise OpsError.one("transfer_id", "transfer.unknown", transfer_id)
        src, dst, vaccine, lot, expiry, sent, sent_at, _ = found
        require_warehouse(conn, principal, dst, "transfer_id")
        serialize_loads(conn)
        earlier = answered(conn, principal, request_id, "CONFIRM", digest)
        if earlier is not None:
            return int(earlier.result)
        status = conn.execute(text("SELECT status FROM vax_stock_transfer "
                                   "WHERE transfer_id = :id"), {"id": transfer_id}).scalar()
        if status != "IN_TRANSIT":  # as it is under the lock
            raise OpsError.one("transfer_id", "transfer.already_received", transfer_id)
        if received > int(sent):
            raise OpsError.one("received", "transfer.received_more", str(sent))
        if received_at.astimezone(dt.UTC).replace(microsecond=0) < as_utc(sent_at):
            raise OpsError.one("received_at", "transfer.received_before_sent")
        in_id = None
        if received:
            in_id = f"T{transfer_id}-IN"
            write_movement(conn, Movement(
                in_id, received_at, dst, "TRANSFER_IN", vaccine, lot,
                expiry if isinstance(expiry, dt.date) else dt.date.fromisoformat(str(expiry)),
                received, src), lang, zone, principal.username, field="received")
        discrepancy = int(sent) - received
        conn.execute(text("""
            UPDATE vax_stock_transfer SET status = 'RECEIVED', received = :n,
                received_at = :at, in_movement_id = :mid, discrepancy = :d
            WHERE transfer_id = :id AND status = 'IN_TRANSIT'"""),
            {"n": received, "at": ts_param(conn, received_at), "mid": in_id,
             "d": discrepancy, "id": transfer_id})
        audit.record(conn, actor(principal, source), "RECEIVE", "vax_stock_transfer",
                     transfer_id, before={"status": "IN_TRANSIT"},
                     after={"status": "RECEIVED", "received": received,
                            "discrepancy": discrepancy})
        remember(conn, principal, request_id, "CONFIRM", digest, discrepancy)
        bump_version(conn)  # last: the version row is held only until the commit
    return discrepancy
