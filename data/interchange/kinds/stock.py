"""stock_movements: one row per movement of one lot at one warehouse."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from data import catalog
from data.interchange import parse
from data.interchange.kinds.base import Transformed, keep_last_per_key
from data.interchange.kinds.common import row_hash
from data.interchange.ledger_walk import first_dip
from data.interchange.validate import Validator
from data.lookups import RefContext
from data.lookups_batch import stock_after, stock_for

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
# A file's times without an offset are local (UTC-12..+14): the stored movements read for
# back-dated rows start this much before the earliest time read as UTC, then the exact cut is
# made once the rows are parsed.
_TZ_MARGIN = pd.Timedelta(days=1)


@dataclass(frozen=True)
class StockState:
    """On-hand balances of the file's warehouses, stored versions of re-sent ids, and the
    stored movements of the file's lots after the earliest time the file gives each."""

    on_hand: pd.DataFrame
    previous: pd.DataFrame
    later: pd.DataFrame


def prefetch(conn: Connection, raw: pd.DataFrame, ctx: RefContext) -> StockState:
    """Read the balances the file's movements will change."""
    codes = parse.text(raw.get("warehouse_code", pd.Series(dtype="str")))
    keys = codes.map(ctx.warehouse_keys).dropna()
    ids = parse.text(raw.get("movement_id", pd.Series(dtype="str"))).dropna()
    on_hand, previous = stock_for(conn, keys.astype("int64"), ids)
    return StockState(on_hand, previous, stock_after(conn, _lots(raw, previous)))


def _lots(raw: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """The lots of the file and of the re-sent ids' stored versions, each with the earliest
    time given for it (less the margin for the file's local times)."""
    cols = ["warehouse_code", "vaccine_code", "lot_number"]
    old = previous[cols].assign(since=previous["occurred_at"])
    if any(c not in raw for c in [*cols, "occurred_at"]):
        return old
    lots = pd.DataFrame({c: parse.text(raw[c]) for c in cols})
    lots["since"] = pd.to_datetime(parse.text(raw["occurred_at"]), utc=True, errors="coerce",
                                   format="ISO8601") - _TZ_MARGIN
    lots = pd.concat([lots.dropna(), old], ignore_index=True)
    return lots.groupby(cols, as_index=False)["since"].min()


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
    # The ledger's moments are whole seconds (parse.sql_timestamp).
    rows["_ts"] = at[ok].dt.floor("s")
    rows, dups = keep_last_per_key(rows, KEY)
    # No valid row: nothing to walk (the empty frame's columns have no numeric dtype).
    below = back = pd.Series(False, index=rows.index)
    if len(rows):
        later = _later(rows, state)
        back = pd.Series(rows.set_index(LOT).index.isin(later.set_index(LOT).index),
                         index=rows.index)
        start = _start_balances(rows, state)
        now_refused, now_balance = _below_zero(rows[~back], start)
        back_refused, back_balance = _below_zero_back_dated(rows[back], state, later)
        below = pd.concat([now_refused, back_refused]).reindex(rows.index)
        rows["_balance"] = pd.concat([now_balance, back_balance]).reindex(rows.index)
    if below.any():
        bad = rows[below & ~back].reindex(v.raw.index)
        v.reject(bad["movement_id"].notna(), "doses", "stock_below_zero",
                 lot=bad["lot_number"].fillna(""), warehouse=bad["warehouse_code"].fillna(""),
                 balance=bad["_balance"].astype("Int64").astype("str").fillna(""))
        late = rows[below & back].reindex(v.raw.index)
        v.reject(late["movement_id"].notna(), "doses", "stock_below_zero_later",
                 lot=late["lot_number"].fillna(""), warehouse=late["warehouse_code"].fillna(""),
                 available=late["_balance"].astype("Int64").astype("str").fillna(""))
        rows = rows[~below]
    return Transformed(rows.drop(columns=["_ts", "_balance"], errors="ignore"), v.rejects(), dups)


def _below_zero(rows: pd.DataFrame, start: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Walk each lot's movements in time order from today's balance (no stored movement is
    later than the file's): a movement taking it below zero is refused. (refused, balance)."""
    if not len(rows):
        return pd.Series(False, index=rows.index), pd.Series(index=rows.index, dtype="Int64")
    order = rows.assign(_in=rows["signed"] > 0).sort_values(
        ["_ts", "_in"], ascending=[True, False], kind="stable")
    bal = order.groupby(LOT, sort=False)["signed"].cumsum() + order[LOT].merge(
        start, how="left", on=LOT)["start"].fillna(0).to_numpy()
    balance = bal.reindex(rows.index)
    lots_ok = bal.groupby([order[c] for c in LOT]).transform("min") >= 0
    refused = pd.Series(False, index=rows.index)
    for _, group in order[~lots_ok.to_numpy()].groupby(LOT, sort=False):
        # Only lots that dip below zero need the exact sequential walk.
        left = int(start_lookup(start, group.iloc[0]))
        for idx, delta in zip(group.index, group["signed"].to_numpy(), strict=True):
            if left + delta < 0:
                refused[idx] = True
                balance[idx] = left + delta
            else:
                left += int(delta)
    return refused, balance


def _later(rows: pd.DataFrame, state: StockState) -> pd.DataFrame:
    """Stored movements of each lot later than the first moment the rows touch in it (their
    own times, and the stored times of the ids they re-send), keyed like the rows."""
    wkeys = dict(zip(rows["warehouse_code"], rows["warehouse_key"], strict=True))
    later = state.later.assign(warehouse_key=state.later["warehouse_code"].map(wkeys),
                               vaccine_key=state.later["vaccine_code"].map(_VKEY))
    later = later.dropna(subset=["warehouse_key", "vaccine_key"]).astype(
        {"warehouse_key": "int64", "vaccine_key": "int64"})
    later = later.merge(_first_moments(rows, state), on=LOT)
    later = later[later["occurred_at"] > later["_first"]]
    signs = later["movement_type"].map(catalog.MOVEMENT_SIGN).fillna(1).astype("int64")
    return later.assign(signed=later["doses"].astype("int64") * signs)


def _first_moments(rows: pd.DataFrame, state: StockState) -> pd.DataFrame:
    old = _replaced(rows, state)
    both = pd.concat([rows[[*LOT, "_ts"]], old[[*LOT, "occurred_at"]].rename(
        columns={"occurred_at": "_ts"})], ignore_index=True)
    return both.groupby(LOT, as_index=False)["_ts"].min().rename(columns={"_ts": "_first"})


def _replaced(rows: pd.DataFrame, state: StockState) -> pd.DataFrame:
    """The stored versions of the ids the rows re-send, with their row's index (`_row`)."""
    old = state.previous.merge(rows[["movement_id"]].reset_index(names="_row"),
                               on="movement_id")
    return old.astype({"warehouse_key": "int64", "vaccine_key": "int64"})


def _below_zero_back_dated(rows: pd.DataFrame, state: StockState, later: pd.DataFrame
                           ) -> tuple[pd.Series, pd.Series]:
    """The lots with stored movements after the first moment the rows touch: each row is
    checked against the balance at its date and at every later date (first_dip), the culprit
    refused and the rest walked again. A re-sent id is its stored version taken out at its
    stored time plus the new version. (refused, the most the refused row could take away)."""
    refused = pd.Series(False, index=rows.index)
    balance = pd.Series(index=rows.index, dtype="Int64")
    firsts = _first_moments(rows, state).set_index(LOT)["_first"]
    replaced = _replaced(rows, state)
    today = state.on_hand.astype({"warehouse_key": "int64", "vaccine_key": "int64"}).rename(
        columns={"doses": "start"})
    for key, group in rows.groupby(LOT, sort=False):
        mine = later[(later["warehouse_key"] == key[0]) & (later["vaccine_key"] == key[1])
                     & (later["lot_number"] == key[2])]
        first = firsts[key]
        # The balance at the lot's first moment here: today's less what was stored after it.
        stored = [(first, int(start_lookup(today, group.iloc[0])) - int(mine["signed"].sum()))]
        stored += list(zip(mine["occurred_at"], mine["signed"].astype(int), strict=True))
        old = replaced[replaced["_row"].isin(group.index)]
        new = sorted([(at, d <= 0, i, d) for i, at, d in zip(
                         group.index, group["_ts"], group["signed"].astype(int), strict=True)]
                     + [(at, d >= 0, i, -d) for i, at, d in zip(
                         old["_row"], old["occurred_at"], old["doses"].astype(int),
                         strict=True)])
        while (dip := first_dip(stored, [(at, d) for at, _out, _i, d in new])) is not None:
            culprit = new[dip.index][2]
            refused[culprit] = True
            balance[culprit] = dip.available
            new = [e for e in new if e[2] != culprit]
    return refused, balance


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

