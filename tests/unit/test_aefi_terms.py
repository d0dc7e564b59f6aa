"""The AEFI 2x2 term table, including a province with no reports (issue 10, defect 2)."""

from __future__ import annotations

import pandas as pd

from data.mcc.aefi import term_table


def _reports(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    # Text columns as the database read gives them under pandas 3 (the 'str' dtype).
    return pd.DataFrame(rows, columns=["report_id", "vaccine_code", "symptoms"]).astype("str")


def test_no_reports_give_an_empty_table_not_a_type_error() -> None:
    table = term_table(_reports([]))
    assert table.empty
    assert list(table.columns) == ["vaccine_code", "term", "a", "b", "c", "d"]


def test_counts_of_the_two_by_two_table() -> None:
    table = term_table(_reports([("R1", "AZ", "Sốt; đau đầu"), ("R2", "AZ", "sốt"),
                                 ("R3", "PFZ", "Sốt"), ("R4", "PFZ", "ngất")]))
    got = {(r.vaccine_code, r.term): (r.a, r.b, r.c, r.d) for r in table.itertuples()}
    assert got == {("AZ", "sốt"): (2, 0, 1, 1), ("AZ", "đau đầu"): (1, 1, 0, 2),
                   ("PFZ", "sốt"): (1, 1, 2, 0), ("PFZ", "ngất"): (1, 1, 0, 2)}
