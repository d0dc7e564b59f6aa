"""The stock ledger against an independent replay (issue 12, Tests), on each backend: a
random sequence of receipts, issues, adjustments, counts, transfers sent and confirmed, many
of them back-dated or sharing a moment, is run through the commands and, beside them, through
a plain-Python ledger (lists of (hour, entry number, doses)). After every event:

- an event the replay says would take some balance below zero, at its date or any later one,
  is refused and leaves the database exactly as it was; every other one is accepted;
- the balance at each hour equals the replay's running sum, and the stock card's running
  balance equals it event by event, never below zero;
- doses in transit are on hand at neither warehouse and counted once, as the receiver's
  in_transit_in: on hand + in transit + shortfalls = what came in from outside minus what
  went out.

Each example uses its own lot, so examples share one database without meeting. The examples
are fixed (derandomized); set VX_FUZZ_EXAMPLES to explore more.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from data.auth.roles import Principal
from data.command_errors import OpsError
from data.ops.commands import counts, stock, transfers
from data.ops.queries.stock_ledger import LotKey, in_transit_in, on_hand_at, stock_card
from data.recompute import rollup_as_stored, rollup_from_facts
from data.settings import Settings
from tests.integration.stock_ledger_setup import (
    DISTRICT,
    EXPIRY,
    PROVINCE,
    accounts,
    at,
    ledger_state,
    seed_warehouses,
)

EXPLORE = int(os.environ.get("VX_FUZZ_EXAMPLES", "0"))
EXAMPLES = EXPLORE or 30  # keeps each backend well under a minute
SIDES = (PROVINCE, DISTRICT)
HOURS = range(-4, 24)
KINDS = ("receive", "issue", "adjust", "count", "send", "send", "confirm", "confirm")
EVENTS = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 1),
                            st.integers(HOURS.start, HOURS.stop - 1), st.integers(0, 60),
                            st.integers(0, 11)), min_size=1, max_size=12)
_lots = itertools.count()


@dataclass
class Replay:
    """The ledger in plain Python: per warehouse, (hour, entry number, signed doses)."""

    events: dict[str, list[tuple[int, int, int]]] = field(
        default_factory=lambda: {w: [] for w in SIDES})
    pending: list[tuple[str, str, int, int]] = field(default_factory=list)  # id, to, n, hour
    outside: int = 0   # doses in from outside (receipts, credits) minus doses gone out
    shortfall: int = 0
    entries: itertools.count = field(default_factory=itertools.count)

    def at(self, w: str, hour: int) -> int:
        """The running sum of the warehouse's events up to and including `hour`."""
        return sum(d for h, _e, d in self.events[w] if h <= hour)

    def fits(self, w: str, hour: int, delta: int) -> bool:
        """Whether adding `delta` at `hour` (after every event of that hour) keeps every
        running balance of the warehouse >= 0."""
        trial = sorted([*self.events[w], (hour, 10**9, delta)])
        return min(itertools.accumulate(d for _h, _e, d in trial)) >= 0

    def add(self, w: str, hour: int, delta: int) -> None:
        self.events[w].append((hour, next(self.entries), delta))


@pytest.fixture
def officer(settings: Settings, engine: Engine, tmp_path: Path) -> Principal:
    seed_warehouses(settings, engine, tmp_path)
    return accounts(engine)["province"]  # keeps both warehouses


def _accepted(engine: Engine, call: object, ok: bool) -> object:
    """Run a command the replay expects to be accepted (ok) or refused by the back-dated
    check, and hold it to that; a refusal must leave nothing written."""
    if ok:
        return call()  # type: ignore[operator]
    before = ledger_state(engine)
    with pytest.raises(OpsError) as err:
        call()  # type: ignore[operator]
    # Below zero today: the stock kind's own refusal; only at some date: the ledger's.
    [(field_name, code)] = err.value.codes().items()
    assert field_name in ("doses", "counted")
    assert code in ("stock_below_zero", "stock_below_zero_later")
    assert ledger_state(engine) == before
    return None


def _step(engine: Engine, who: Principal, r: Replay, lot: str,
          event: tuple[str, int, int, int, int]) -> None:
    kind, side, hour, qty, extra = event
    w, other = SIDES[side], SIDES[1 - side]
    n = max(qty, 1)
    if kind == "receive":
        stock.receive(engine, who, w, "AZ", lot, EXPIRY, n, at(hour))
        r.add(w, hour, n)
        r.outside += n
    elif kind == "issue":
        ok = r.fits(w, hour, -n)
        _accepted(engine, lambda: stock.issue(engine, who, w, "AZ", lot, n, at(hour)), ok)
        if ok:
            r.add(w, hour, -n)
            r.outside -= n
    elif kind == "adjust":
        delta = n if extra % 2 else -n
        reason = "OTHER" if delta > 0 else ("BROKEN", "LOST", "COLD_CHAIN_FAILURE")[extra % 3]
        ok = r.fits(w, hour, delta)
        _accepted(engine, lambda: stock.adjust(engine, who, w, "AZ", lot, delta, reason,
                                               at(hour)), ok)
        if ok:
            r.add(w, hour, delta)
            r.outside += delta
    elif kind == "count":
        delta = qty - r.at(w, hour)
        ok = delta == 0 or r.fits(w, hour, delta)
        _accepted(engine, lambda: counts.count(engine, who, w, "AZ", lot, qty, at(hour)), ok)
        if ok and delta:
            r.add(w, hour, delta)
            r.outside += delta
    elif kind == "send":
        ok = r.fits(w, hour, -n)
        tid = _accepted(engine, lambda: transfers.send(engine, who, w, other, "AZ", lot, n,
                                                       at(hour)), ok)
        if ok:
            r.add(w, hour, -n)
            r.pending.append((str(tid), other, n, hour))
    elif r.pending:  # confirm one transfer in transit, at or after it left
        tid, to, sent, left = r.pending.pop(extra % len(r.pending))
        received, when = min(qty, sent), min(left + abs(hour), HOURS.stop - 1)
        assert transfers.confirm(engine, who, tid, received, at(when)) == sent - received
        if received:
            r.add(to, when, received)
        r.shortfall += sent - received


def _agrees(engine: Engine, r: Replay, lot: str) -> None:
    with engine.connect() as conn:
        for w in SIDES:
            key = LotKey(w, "AZ", lot)
            assert [on_hand_at(conn, key, at(h)) for h in HOURS] == [r.at(w, h) for h in HOURS]
            card = [c.balance for c in stock_card(conn, key)]
            expected = list(itertools.accumulate(d for _h, _e, d in sorted(r.events[w])))
            assert card == expected
            assert min(card, default=0) >= 0
        transit = {w: in_transit_in(conn, w).get(("AZ", lot), 0) for w in SIDES}
    assert transit == {w: sum(n for _t, to, n, _h in r.pending if to == w) for w in SIDES}
    on_hand = sum(r.at(w, HOURS.stop) for w in SIDES)
    assert on_hand + sum(transit.values()) + r.shortfall == r.outside


def test_the_ledger_equals_a_plain_replay(settings: Settings, engine: Engine,
                                          officer: Principal) -> None:
    @fuzz_settings(max_examples=EXAMPLES, deadline=None, database=None,
                   derandomize=not EXPLORE)
    @given(st.integers(1, 200), st.integers(1, 200), EVENTS)
    def run(first: int, second: int, events: list[tuple[str, int, int, int, int]]) -> None:
        lot, r = f"P{next(_lots)}", Replay()
        for w, n in zip(SIDES, (first, second), strict=True):
            stock.receive(engine, officer, w, "AZ", lot, EXPIRY, n, at(0))
            r.add(w, 0, n)
            r.outside += n
        for event in [*events, ("confirm", 0, 0, 60, 0)]:  # the last: one more arrives
            _step(engine, officer, r, lot, event)
            _agrees(engine, r, lot)

    run()
    with engine.connect() as conn:
        stored = rollup_as_stored(conn, "agg_stock_on_hand")
        assert stored.equals(rollup_from_facts(conn, "agg_stock_on_hand"))
