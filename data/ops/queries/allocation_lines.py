"""The allocation lines a transfer may deliver: the transfer form offers them so a delivery
names the decision it carries out (data.ops.commands.allocation_link checks the same rules on
send, under the load lock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, text

from data.auth.roles import Principal
from data.ops.commands.allocation_link import CENTRAL
from data.ops.commands.stock_common import Place, keeps, place

MAX_LINES = 200  # the most recent; an older line is still reachable by sending from the API


@dataclass(frozen=True)
class Line:
    """One allocation line still owed to the receiving store's area."""

    allocation_id: str
    decision_no: str
    decided_on: dt.date  # the decision's day (fct_allocation.date_key)
    vaccine_code: str
    owed: int  # allocated less what is in transit and received


def _recipient(sender: Place, receiver: Place) -> tuple[str, str] | None:
    """(level, code) of the allocations a transfer between the two stores delivers: central
    stores deliver to a province's store, a province's store to its districts' stores."""
    if receiver.level == "PROVINCE" and sender.level in CENTRAL and receiver.province_code:
        return "PROVINCE", receiver.province_code
    if (receiver.level == "DISTRICT" and sender.level == "PROVINCE"
            and sender.province_code == receiver.province_code and receiver.district_code):
        return "DISTRICT", receiver.district_code
    return None


def deliverable_lines(engine: Engine, principal: Principal, from_warehouse: str,
                      to_warehouse: str) -> list[Line]:
    """Lines still owed that a transfer from `from_warehouse` (a store the principal keeps)
    to `to_warehouse` may deliver, newest decision first; none when the pair delivers no
    allocation or the sender is outside the principal's scope."""
    with engine.connect() as conn:
        sender, receiver = place(conn, from_warehouse), place(conn, to_warehouse)
        if sender is None or receiver is None or not keeps(principal, sender):
            return []
        recipient = _recipient(sender, receiver)
        if recipient is None:
            return []
        rows = conn.execute(text("""
            SELECT a.allocation_id, a.decision_no, a.date_key, v.vaccine_code,
                   a.doses - COALESCE(SUM(CASE WHEN t.status = 'IN_TRANSIT' THEN t.sent
                                               ELSE t.received END), 0) AS owed
            FROM fct_allocation a
            JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
            LEFT JOIN vax_stock_transfer t ON t.allocation_id = a.allocation_id
            WHERE a.recipient_level = :level AND a.recipient_code = :code
            GROUP BY a.allocation_id, a.decision_no, a.date_key, v.vaccine_code, a.doses
            HAVING a.doses - COALESCE(SUM(CASE WHEN t.status = 'IN_TRANSIT' THEN t.sent
                                               ELSE t.received END), 0) > 0
            ORDER BY a.date_key DESC, a.allocation_id
            LIMIT :n"""), {"level": recipient[0], "code": recipient[1], "n": MAX_LINES}).all()
    return [Line(str(r[0]), str(r[1]), dt.date(int(r[2]) // 10000, int(r[2]) // 100 % 100,
                                             int(r[2]) % 100), str(r[3]), int(r[4]))
            for r in rows]
