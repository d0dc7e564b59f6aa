"""stock_movements: one row per movement of one lot at one warehouse."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from data import catalog
from data.interchange import parse
from data.interchange.kinds.base import Transformed, keep_last_per_key
from data.interchange.kinds.common import row_hash
from data.interchange.validate import Validator
from data.lookups import RefContext
from data.lookups_batch import stock_for

KEY = "movement_id"
REQUIRED = ["movement_id", "occurred_at", "warehouse_code", "movement_type", "vaccine_code",
            "lot_number", "expiry_date", "doses"]
OPERATIONAL = ["movement_id", "occurred_at", "warehouse_code", "movement_type",
               "counterparty_code", "vaccine_code", "lot_number", "expiry_date", "doses",
               "reason"]
LOT = ["warehouse_key", "vaccine_key", "lot_number"]
NEEDS_COUNTERPARTY = {"TRANSFER_OUT", "TRANSFER_IN"}
NEEDS_REASON = {"WASTAGE", "ADJUSTMENT"}
_VKEY = {v.code: v.key for v in catalog.VACCINES}


@dataclass(frozen=True)
class StockState:
    """On-hand balances of the file's warehouses and stored versions of re-sent ids."""

    on_hand: pd.DataFrame
    previous: pd.DataFrame


def prefetch(conn: Connection, raw: pd.DataFrame, ctx: RefContext) -> StockState:
    """Read the balances the file's movements will change."""
    codes = parse.text(raw.get("warehouse_code", pd.Series(dtype="str")))
    keys = codes.map(ctx.warehouse_keys).dropna()
    ids = parse.text(raw.get("movement_id", pd.Series(dtype="str"))).dropna()
    return StockState(*stock_for(conn, keys.astype("int64"), ids))


def transform(v: Validator, ctx: RefContext, state: StockState) -> Transformed:
    """Validate every rule, then reject movements that would take a lot below zero."""
    out = pd.DataFrame(index=v.raw.index)
    out["movement_id"] = v.required_text("movement_id")
    at = v.timestamp("occurred_at")
    out["warehouse_code"] = v.required_text("warehouse_code")
    wkey = out["warehouse_code"].map(ctx.warehouse_keys)
    v.reject(out["warehouse_code"].notna() & wkey.isna(), "warehouse_code", "unknown_warehouse")
    kind = v.choice("movement_type", catalog.MOVEMENT_SIGN)
    out["movement_type"] = kind
    out["counterparty_code"] = v.optional_text("counterparty_code")
    cp = out["counterparty_code"]
    v.reject(kind.isin(NEEDS_COUNTERPARTY) & cp.isna(), "counterparty_code",
             "counterparty_required", kind=kind.fillna(""))
    v.reject(cp.notna() & ~cp.isin(ctx.warehouse_keys), "counterparty_code", "unknown_warehouse")
    out["vaccine_code"] = v.choice("vaccine_code", _VKEY)
    out["lot_number"] = v.required_text("lot_number")
    expiry = v.date("expiry_date", not_future=False)
    out["doses"] = v.integer("doses")
    adj = kind == "ADJUSTMENT"
    v.reject(~adj & out["doses"].notna() & (out["doses"] <= 0), "doses", "not_positive")
    v.reject(adj & (out["doses"] == 0), "doses", "zero_adjustment")
    reason = v.choice("reason", catalog.MOVEMENT_REASONS, required=False)
    v.reject(kind.isin(NEEDS_REASON) & reason.isna(), "reason", "reason_required",
             kind=kind.fillna(""))
    out["reason"] = reason

    ok = v.valid_mask()
    rows = out[ok].copy()
    rows["occurred_at"] = parse.sql_timestamp(at[ok])
    rows["expiry_date"] = parse.sql_date(expiry[ok])
    rows["doses"] = rows["doses"].astype("int64")
    rows["row_hash"] = row_hash(rows[OPERATIONAL])
    rows["date_key"] = parse.local_date_key(at[ok], v.tz).astype("int64")
    rows["expiry_date_key"] = parse.date_key(expiry[ok]).astype("int64")
    rows["warehouse_key"] = wkey[ok].astype("int64")
    rows["counterparty_key"] = rows["counterparty_code"].map(ctx.warehouse_keys).astype("Int64")
    rows["vaccine_key"] = rows["vaccine_code"].map(_VKEY).astype("int64")
    rows["signed"] = rows["doses"] * rows["movement_type"].map(catalog.MOVEMENT_SIGN)
    rows["_ts"] = at[ok]
    rows, dups = keep_last_per_key(rows, KEY)
    # No valid row: nothing to walk (the empty frame's columns have no numeric dtype).
    below = _below_zero(rows, state) if len(rows) else pd.Series(False, index=rows.index)
    if below.any():
        bad = rows[below].reindex(v.raw.index)
        v.reject(bad["movement_id"].notna(), "doses", "stock_below_zero",
                 lot=bad["lot_number"].fillna(""), warehouse=bad["warehouse_code"].fillna(""),
                 balance=bad["_balance"].astype("Int64").astype("str").fillna(""))
        rows = rows[~below]
    return Transformed(rows.drop(columns=["_ts", "_balance"], errors="ignore"), v.rejects(), dups)


def _below_zero(rows: pd.DataFrame, state: StockState) -> pd.Series:
    """Walk each lot's movements in time order; a movement taking it below zero is refused."""
    start = _start_balances(rows, state)
    order = rows.assign(_in=rows["signed"] > 0).sort_values(
        ["_ts", "_in"], ascending=[True, False], kind="stable")
    bal = order.groupby(LOT, sort=False)["signed"].cumsum() + order[LOT].merge(
        start, how="left", on=LOT)["start"].fillna(0).to_numpy()
    rows["_balance"] = bal.reindex(rows.index)
    lots_ok = bal.groupby([order[c] for c in LOT]).transform("min") >= 0
    refused = pd.Series(False, index=rows.index)
    for _, group in order[~lots_ok.to_numpy()].groupby(LOT, sort=False):
        # Only lots that dip below zero need the exact sequential walk.
        balance = int(start_lookup(start, group.iloc[0]))
        for idx, delta in zip(group.index, group["signed"].to_numpy(), strict=True):
            if balance + delta < 0:
                refused[idx] = True
                rows.loc[idx, "_balance"] = balance + delta
            else:
                balance += int(delta)
    return refused


def _start_balances(rows: pd.DataFrame, state: StockState) -> pd.DataFrame:
    on_hand = state.on_hand.rename(columns={"doses": "start"})
    if len(state.previous):
        # A re-sent movement replaces its stored version: take the old effect out first.
        prev = state.previous[state.previous["movement_id"].isin(rows["movement_id"])]
        undo = prev.groupby(LOT, as_index=False)["doses"].sum().rename(columns={"doses": "undo"})
        on_hand = on_hand.merge(undo, how="outer", on=LOT).fillna({"start": 0, "undo": 0})
        on_hand["start"] = on_hand["start"] - on_hand["undo"]
        on_hand = on_hand.drop(columns="undo")
    on_hand["vaccine_key"] = on_hand["vaccine_key"].astype("int64")
    on_hand["warehouse_key"] = on_hand["warehouse_key"].astype("int64")
    return on_hand[[*LOT, "start"]]


def start_lookup(start: pd.DataFrame, row: pd.Series) -> int:
    """Stored balance of the lot of `row` (0 when none)."""
    hit = start[(start["warehouse_key"] == row["warehouse_key"])
                & (start["vaccine_key"] == row["vaccine_key"])
                & (start["lot_number"] == row["lot_number"])]
    return int(hit["start"].iloc[0]) if len(hit) else 0

