"""A transfer sent against an allocation decision row (data.ops.commands.transfers.send): it
must carry the allocated product from the allocating level to the recipient's store, and not
more than the recipient is still owed once what is in transit arrives.

Deliveries follow the contract's two levels: a national allocation to a province is delivered
from a national or regional store to that province's store; a province's allocation to a
district from the province's store to that district's store.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from data.allocation_deliveries import delivered_of
from data.command_errors import OpsError
from data.messages import N_
from data.ops.commands.stock_common import Place, place

CENTRAL = ("NATIONAL", "REGIONAL")
UNKNOWN = N_("allocation.unknown")
OTHER_VACCINE = N_("allocation.other_vaccine")
NOT_RECIPIENT = N_("allocation.not_recipient")
NOT_ALLOCATOR = N_("allocation.not_allocator")
MORE_THAN_OWED = N_("allocation.more_than_owed")


def _at_recipient(where: Place | None, level: str, recipient: str) -> bool:
    if where is None or where.level != level:
        return False
    return (where.province_code if level == "PROVINCE" else where.district_code) == recipient


def _from_allocator(sender: Place, level: str, province: str) -> bool:
    if level == "PROVINCE":
        return sender.level in CENTRAL
    return sender.level == "PROVINCE" and sender.province_code == province


def require_deliverable(conn: Connection, allocation_id: str, sender: Place, to_warehouse: str,
                        vaccine_code: str, doses: int) -> None:
    """OpsError unless a transfer of `doses` of `vaccine_code` from `sender` to
    `to_warehouse` may deliver the allocation row: an unknown row, another product, a store
    that is not the recipient's or not the allocating level's, or more than allocated minus
    what is received and in transit. Called under the load lock, so two sends cannot both
    take the last doses owed."""
    row = conn.execute(text("""
        SELECT a.recipient_level, a.recipient_code, a.province_code, a.doses, v.vaccine_code
        FROM fct_allocation a JOIN dim_vaccine v ON v.vaccine_key = a.vaccine_key
        WHERE a.allocation_id = :a"""), {"a": allocation_id}).first()
    if row is None:
        raise OpsError.one("allocation_id", UNKNOWN, allocation_id)
    level, recipient, province, allocated, vaccine = (str(row[0]), str(row[1]), str(row[2]),
                                                      int(row[3]), str(row[4]))
    if vaccine != vaccine_code:
        raise OpsError.one("allocation_id", OTHER_VACCINE, vaccine)
    if not _at_recipient(place(conn, to_warehouse), level, recipient):
        raise OpsError.one("to_warehouse", NOT_RECIPIENT, recipient)
    if not _from_allocator(sender, level, province):
        raise OpsError.one("from_warehouse", NOT_ALLOCATOR, allocation_id)
    in_transit, received = delivered_of(conn, allocation_id)
    left = allocated - in_transit - received
    if doses > left:
        raise OpsError.one("doses", MORE_THAN_OWED, str(max(left, 0)))
