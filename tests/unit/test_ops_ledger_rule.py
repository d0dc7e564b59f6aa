"""The ledger's below-zero rule over time (data.interchange.ledger_walk), on plain lists."""

from __future__ import annotations

import datetime as dt

from data.interchange.ledger_walk import Dip, first_dip

T = dt.datetime(2021, 10, 1, tzinfo=dt.UTC)


def h(hours: int) -> dt.datetime:
    return T + dt.timedelta(hours=hours)


STORED = [(h(0), 100), (h(10), -80), (h(20), 50)]  # balances 100, 20, 70


def test_a_debit_is_checked_at_its_date_and_every_later_one() -> None:
    assert first_dip(STORED, [(h(5), -20)]) is None           # 80, then 0, then 50
    assert first_dip(STORED, [(h(5), -21)]) == Dip(0, 20)     # -1 at hour 10
    assert first_dip(STORED, [(h(-1), -1)]) == Dip(0, 0)      # nothing before the receipt
    assert first_dip(STORED, [(h(25), -70)]) is None          # today's 70 is all there is
    assert first_dip(STORED, [(h(15), 30)]) is None           # a credit never dips


def test_a_new_movement_comes_after_the_stored_ones_of_its_moment() -> None:
    # At hour 10 the stored issue comes first: 20 are left for a debit at that moment.
    assert first_dip(STORED, [(h(10), -20)]) is None
    assert first_dip(STORED, [(h(10), -21)]) == Dip(0, 20)


def test_new_movements_add_up_in_their_own_order() -> None:
    assert first_dip(STORED, [(h(5), -10), (h(5), -10)]) is None
    assert first_dip(STORED, [(h(5), -10), (h(5), -11)]) == Dip(1, 10)
    assert first_dip(STORED, [(h(5), 5), (h(5), -25)]) is None


def test_a_dip_already_stored_is_not_the_new_movement_s_fault() -> None:
    legacy = [(h(0), 10), (h(1), -15), (h(2), 20)]  # -5 at hour 1, loaded before the rule
    assert first_dip(legacy, [(h(3), -15)]) is None
    assert first_dip(legacy, [(h(3), -16)]) == Dip(0, 15)
    assert first_dip(legacy, [(h(0), -1)]) == Dip(0, 0)  # deeper than the stored dip
    # A debit its own credit covers leaves the stored dip as it was.
    assert first_dip(legacy, [(h(0), 5), (h(0), -5)]) is None
