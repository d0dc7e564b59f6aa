"""Pure pieces of the reconciliation page and the periodic report: the typed period, signed
gaps, the operations scope of each role, the workbook's words for every code."""

from __future__ import annotations

import datetime as dt

from callbacks.mcc.periodic import REASONS, province_of, words
from callbacks.ops.reconciliation import period, signed
from data.auth.roles import SYSTEM, Grant, Principal, Role
from data.catalog import MOVEMENT_REASONS, PRIORITY_GROUPS
from data.reconciliation import Scope, scope_of

TODAY = dt.date(2021, 10, 20)


def _who(*grants: Grant) -> Principal:
    return Principal(7, "someone", "Someone", grants)


def test_the_period_defaults_to_the_last_seven_days_and_tells_bad_days_apart() -> None:
    assert period("", None, TODAY, "vi") == (dt.date(2021, 10, 14), TODAY, {})
    assert period("15/10/2021", "2021-10-16", TODAY, "en") == (
        dt.date(2021, 10, 15), dt.date(2021, 10, 16), {})
    start, end, errors = period("31/02/2021", "16/10/2021", TODAY, "en")
    assert (start, end, errors) == (None, dt.date(2021, 10, 16),
                                    {"start": "Enter the day as dd/mm/yyyy."})
    assert period("15/10/2021", "", TODAY, "vi")[2] == {"end": "Nhập ngày dạng dd/mm/yyyy."}


def test_gaps_carry_their_sign() -> None:
    assert [signed(n, "vi") for n in (-1234, 0, 12)] == ["−1.234", "0", "+12"]


def test_each_role_reconciles_its_own_places() -> None:
    assert scope_of(SYSTEM) == Scope(national=True)
    assert scope_of(_who(Grant(Role.MINISTRY_LEADER, "NATIONAL", None))).empty
    staff = Grant(Role.FACILITY_STAFF, "FACILITY", "F00101", "01", "001")
    district = Grant(Role.DISTRICT_OFFICER, "DISTRICT", "002", "01", "002")
    province = Grant(Role.PROVINCE_OFFICER, "PROVINCE", "79", "79")
    assert scope_of(_who(staff, district, province)) == Scope(
        False, ("F00101",), ("01-002",), ("79",))


def test_the_report_is_of_the_chosen_province_or_the_readers_own() -> None:
    officer = _who(Grant(Role.PROVINCE_OFFICER, "PROVINCE", "01", "01"))
    assert province_of(officer, "") == "01" and province_of(officer, "79") == "79"
    leader = _who(Grant(Role.MINISTRY_LEADER, "NATIONAL", None))
    assert province_of(leader, None) is None


def test_the_workbook_has_words_for_every_code() -> None:
    assert set(REASONS) == set(MOVEMENT_REASONS)
    for lang in ("vi", "en"):
        said = words(lang)
        assert all(said[f"reason.{r}"] != f"reason.{r}" for r in MOVEMENT_REASONS)
        assert all(f"group.{g}" in said for g in PRIORITY_GROUPS)
    assert words("vi")["reason.OPEN_VIAL"] == "Lọ đã mở"
    assert words("en")["group.7"] == "7. People over 65"
