"""What each allocation decision row has been delivered: allocated -> dispatched -> received,
and what is still owed, read from the two-sided transfers that name it
(vax_stock_transfer.allocation_id, data.ops.commands.transfers.send). No separate bookkeeping:
the operations page and the command centre read the same rows through this module.

- dispatched: the doses sent on transfers of the allocation (in transit or confirmed);
- received: the doses the recipient confirmed (a shortfall stays the transfer's discrepancy);
- in_transit: sent, not yet confirmed; short: sent, confirmed as never arrived;
- owed = allocated - received (what the recipient still waits for; never below zero).

With `as_of` a transfer counts as dispatched from its sending day and as received (or short)
from its confirming day, both on the campaign's clock, as the stock facts date their movements.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, text

FIGURES = ["dispatched", "received", "in_transit", "short", "transfers"]


def _by_end_of(values: pd.Series, tz: str, day: dt.date) -> pd.Series:
    """Whether each moment (naive ones are UTC, as SQLite hands them back) falls on or before
    `day` on the local clock; False where there is none."""
    at = pd.to_datetime(values, utc=True, format="mixed").dt.tz_convert(ZoneInfo(tz))
    local = at.dt.tz_localize(None).dt.normalize()
    return (local <= pd.Timestamp(day)).fillna(False).astype(bool)


def transfers_of(conn: Connection, allocation_ids: list[str] | None = None) -> pd.DataFrame:
    """The transfers delivering allocations (of `allocation_ids` when given): transfer_id,
    allocation_id, from_warehouse, to_warehouse, vaccine_code, lot_number, sent, sent_at,
    status, received, received_at, discrepancy; in the order they were sent."""
    where = "allocation_id IS NOT NULL"
    params: dict[str, object] = {}
    if allocation_ids is not None:
        if not allocation_ids:
            return pd.DataFrame(columns=["transfer_id", "allocation_id"])
        names = [f":a{i}" for i in range(len(allocation_ids))]
        where = f"allocation_id IN ({', '.join(names)})"
        params = {f"a{i}": a for i, a in enumerate(allocation_ids)}
    rows = conn.execute(text(f"""
        SELECT transfer_id, allocation_id, from_warehouse, to_warehouse, vaccine_code,
               lot_number, sent, sent_at, status, received, received_at, discrepancy
        FROM vax_stock_transfer WHERE {where} ORDER BY sent_at, transfer_id"""), params)
    return pd.DataFrame(rows.mappings().all(), columns=[
        "transfer_id", "allocation_id", "from_warehouse", "to_warehouse", "vaccine_code",
        "lot_number", "sent", "sent_at", "status", "received", "received_at", "discrepancy"])


def figures(transfers: pd.DataFrame, tz: str, as_of: dt.date | None = None) -> pd.DataFrame:
    """dispatched, received, in_transit, short and transfers per allocation_id (the index) of
    transfers_of(...) rows, as they stood at the end of `as_of` (None: now)."""
    if transfers.empty:
        return pd.DataFrame(columns=FIGURES, dtype="int64").rename_axis("allocation_id")
    df = transfers.copy()
    sent = df["sent"].astype("int64")
    confirmed = df["status"] == "RECEIVED"
    if as_of is not None:
        sent_by = _by_end_of(df["sent_at"], tz, as_of)
        confirmed &= _by_end_of(df["received_at"].where(confirmed), tz, as_of)
        df = df[sent_by]
        sent, confirmed = sent[sent_by], confirmed[sent_by]
    received = df["received"].where(confirmed, 0).fillna(0).astype("int64")
    out = pd.DataFrame({
        "allocation_id": df["allocation_id"], "dispatched": sent, "received": received,
        "in_transit": sent.where(~confirmed, 0), "short": (sent - received).where(confirmed, 0),
        "transfers": 1})
    return out.groupby("allocation_id")[FIGURES].sum().astype("int64")


def with_deliveries(allocations: pd.DataFrame, delivered: pd.DataFrame) -> pd.DataFrame:
    """`allocations` (allocation_id, doses, ...) with dispatched, received, in_transit, short,
    transfers and owed = doses - received (at least 0) beside each row."""
    out = allocations.copy()
    for col in FIGURES:
        out[col] = out["allocation_id"].map(delivered[col]).fillna(0).astype("int64") \
            if len(delivered) else 0
        out[col] = out[col].astype("int64")
    out["owed"] = (out["doses"].astype("int64") - out["received"]).clip(lower=0)
    return out


def delivered_of(conn: Connection, allocation_id: str) -> tuple[int, int]:
    """(in transit, received) on the allocation's transfers now: what a new dispatch may add
    up to (data.ops.commands.transfers.send refuses more than allocated)."""
    row = conn.execute(text("""
        SELECT COALESCE(SUM(CASE WHEN status = 'IN_TRANSIT' THEN sent ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN status = 'RECEIVED' THEN received ELSE 0 END), 0)
        FROM vax_stock_transfer WHERE allocation_id = :a"""), {"a": allocation_id}).one()
    return int(row[0]), int(row[1])
