"""The stock page's alerts and the transfer form's first-expiry-first-out suggestion, and the
adjustment reasons the form words (every one the command takes, nothing else)."""

from __future__ import annotations

import datetime as dt

from callbacks.ops.stock import split_lot, whole
from callbacks.ops.stock_forms import REASON_KEYS
from data.ops.commands.stock import ADJUST_REASONS
from data.ops.rules.stock_alerts import EXPIRED, EXPIRING, VVM, alerts, fefo

TODAY = dt.date(2021, 10, 1)


def _in(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def test_alerts_for_expiry_and_the_vvm_discard_point() -> None:
    assert alerts(_in(-1), 1, TODAY) == [EXPIRED]
    assert alerts(_in(0), None, TODAY) == [EXPIRING]  # usable to the end of its expiry day
    assert alerts(_in(30), 2, TODAY) == [EXPIRING]
    assert alerts(_in(31), 2, TODAY) == []
    assert alerts(_in(90), 3, TODAY) == [VVM]
    assert alerts(_in(-3), 4, TODAY) == [EXPIRED, VVM]
    assert alerts(None, None, TODAY) == []


def test_fefo_takes_the_earliest_usable_lot_with_stock() -> None:
    lots = [("A", _in(40), 10, 1), ("B", _in(-1), 99, 1), ("C", _in(5), 0, 1),
            ("D", _in(3), 10, 3), ("E", _in(20), 5, None), ("F", None, 50, 1)]
    assert fefo(lots, TODAY) == "E"
    assert fefo([lot for lot in lots if lot[0] != "E"], TODAY) == "A"
    assert fefo([("B", _in(-1), 99, 1), ("F", None, 50, 1)], TODAY) is None
    assert fefo([], TODAY) is None


def test_typed_numbers_and_lot_values() -> None:
    assert [whole(v) for v in ("1.000", "1,000", "1 000", " -20 ", "+5", "12", 7)] == [
        1000, 1000, 1000, -20, 5, 12, 7]
    assert [whole(v) for v in ("1.5", "10.00", "", "x", None, True, "1" * 17)] == [
        None, None, None, None, None, None, None]
    assert split_lot("AZ|L|1") == ("AZ", "L|1")
    assert [split_lot(v) for v in ("AZ", "|L1", "AZ|", None, "A|" + "x" * 70)] == [None] * 5


def test_every_adjustment_reason_has_words() -> None:
    assert set(REASON_KEYS) == set(ADJUST_REASONS)
