"""Small-cell suppression (data.safe_cells): no public figure over fewer than 10 people."""

from __future__ import annotations

from data.safe_cells import MIN_CELL, shown_count, shown_rate


def test_threshold_is_ten() -> None:
    assert MIN_CELL == 10


def test_counts_under_ten_are_suppressed_and_ten_is_shown() -> None:
    assert shown_count(9) is None
    assert shown_count(10) == 10
    assert shown_count(0) is None  # zero is fewer than ten people too
    assert shown_count(1) is None
    assert shown_count(None) is None
    assert shown_count(123_456) == 123_456


def test_a_rate_needs_ten_on_both_sides() -> None:
    assert shown_rate(9, 100_000, 100_000) is None        # 9 cases
    assert shown_rate(10, 100_000, 100_000) == 10.0       # 10 cases per 100,000 doses
    assert shown_rate(10, 9, 100) is None                 # over 9 doses
    assert shown_rate(10, 10, 100) == 100.0
    assert shown_rate(12, 34_567, 100_000) == round(1e5 * 12 / 34_567, 2)
    assert shown_rate(None, 1000) is None
    assert shown_rate(50, None) is None
    assert shown_rate(10, 30, digits=1) == 33.3
