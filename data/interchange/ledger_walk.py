"""The ledger's below-zero rule over time (issue 12: a back-dated event is checked against the
balance at its date and at every later date), as a pure walk over one lot's events.

The stock kind's rule, so it holds for a file's rows and a form's alike (data.interchange.kinds
.stock); the ledger's commands walk with it too (data.ops.commands.stock_common)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# datetime.datetime or pandas.Timestamp (a subclass): anything ordered in time.
Moment = dt.datetime


@dataclass(frozen=True)
class Dip:
    """The new movement that would take the lot below zero, and the most it could take away
    from its date on."""

    index: int  # into the new movements
    available: int


def first_dip(stored: Sequence[tuple[Moment, int]], new: Sequence[tuple[Moment, int]]
              ) -> Dip | None:
    """Walk the lot's stored events (in ledger order) with the new ones merged in: each after
    every stored event of its moment, the new ones in their own order. None when no balance
    goes below zero because of them; else the first new debit to blame. A dip the stored
    events already had (a file loaded before this rule) is not the new movements' fault: only
    a balance below zero AND below what it was without them counts."""
    merged = sorted([(at, 0, i, d) for i, (at, d) in enumerate(stored)]
                    + [(at, 1, i, d) for i, (at, d) in enumerate(new)])
    with_new = without = 0
    last_debit: tuple[int, int] | None = None  # (new index, position in merged)
    balances = []
    for pos, (_at, is_new, i, d) in enumerate(merged):
        with_new += d
        if is_new:
            if d < 0:
                last_debit = (i, pos)
        else:
            without += d
        balances.append(with_new)
        if with_new < min(0, without) and last_debit is not None:
            index, start = last_debit
            # What the debit could have taken: the lowest balance from it on, without it.
            lowest = min(balances[start:] + [with_new]) - new[index][1]
            for *_, d2 in merged[pos + 1:]:
                with_new += d2
                lowest = min(lowest, with_new - new[index][1])
            return Dip(index, max(lowest, 0))
    return None
